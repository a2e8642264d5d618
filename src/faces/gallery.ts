import type { Database } from 'better-sqlite3';
import { InputError } from '../shared/errors.ts';
import { logger } from '../shared/logger.ts';
import { writeAudit } from '../store/audit.ts';
import { getMeta, setMeta } from '../store/meta.ts';
import { FEATURE_DIM, featureFromBytes, featureToBytes, meanFeature, type FaceFeature } from './face-features.ts';
import { FaceMatcher, type GalleryEntry } from './face-matcher.ts';
import type { FaceMetrics } from './face-quality.ts';
import { FEATURE_MODEL_ID } from './identity-policy.ts';

const log = logger('faces/gallery');

/** How a delegate's consent to face check-in was recorded (face_consents.method). */
export const consentMethods = ['signed-form', 'registration-form', 'kiosk', 'verbal-witnessed'] as const;
export type ConsentMethod = (typeof consentMethods)[number];

export function isConsentMethod(s: string): s is ConsentMethod {
  return (consentMethods as readonly string[]).includes(s);
}

export interface ConsentInput {
  readonly code: string;
  readonly givenAtMs: number;
  /** Who took it, e.g. `staff:Lan`. */
  readonly recordedBy: string;
  readonly method: ConsentMethod;
}

export interface Consent extends ConsentInput {
  readonly id: number;
  readonly withdrawnAtMs: number | null;
}

/** One delegate's enrolment: a feature from a photo that passed the enrolment gate. */
export interface Enrolment {
  readonly code: string;
  readonly feature: FaceFeature;
  /** The photo's gate measurements (the audit reads them back to suggest retakes). */
  readonly quality: FaceMetrics;
  /** Their current consent (face_consents.id). */
  readonly consentId: number;
  readonly atMs: number;
  readonly actor: string;
  readonly device: string;
}

/** An enrolment as stored, without the vector. */
export interface StoredEnrolment {
  readonly code: string;
  readonly consentId: number;
  readonly quality: FaceMetrics;
  readonly enrolledAtMs: number;
}

export interface Threshold {
  readonly code: string;
  readonly minScore: number;
  readonly reason: string;
}

/** Meta key of the gallery mean (base64 float32 little-endian, FEATURE_DIM values). */
export const GALLERY_MEAN_KEY = 'face_gallery_mean';

interface ConsentRow {
  id: number;
  code: string;
  given_at_ms: number;
  recorded_by: string;
  method: string;
  withdrawn_at_ms: number | null;
}

function fromConsentRow(r: ConsentRow): Consent {
  return {
    id: r.id,
    code: r.code,
    givenAtMs: r.given_at_ms,
    recordedBy: r.recorded_by,
    method: r.method as ConsentMethod,
    withdrawnAtMs: r.withdrawn_at_ms,
  };
}

export interface FaceGalleryOptions {
  /** Timestamps of the changes that take none (remove, setThresholds); default Date.now. */
  readonly now?: () => number;
  /** Device named in the audit log when a change takes none (default `cli`). */
  readonly device?: string;
}

/**
 * The enrolled faces in the store (face_consents, face_embeddings, face_thresholds): one
 * feature per delegate, only with a current consent, never a photo. Every change is one
 * transaction with its audit entry (which never holds a vector); enrolling or removing keeps
 * the gallery mean (meta GALLERY_MEAN_KEY) up to date in the same transaction.
 */
export class FaceGallery {
  private readonly now: () => number;
  private readonly device: string;

  constructor(
    private readonly db: Database,
    options: FaceGalleryOptions = {},
  ) {
    this.now = options.now ?? Date.now;
    this.device = options.device ?? 'cli';
  }

  /** Records a consent; returns its id. InputError for an unknown code, method or an empty recorder. */
  recordConsent(c: ConsentInput): number {
    if (!this.isDelegate(c.code)) throw new InputError(`${c.code}: not a delegate of this event (import the delegates first)`);
    if (!isConsentMethod(c.method)) throw new InputError(`${c.code}: consent method ${String(c.method)}: expected one of ${consentMethods.join(', ')}`);
    if (c.recordedBy.trim() === '') throw new InputError(`${c.code}: consent recorded_by: empty (who took the consent?)`);
    if (!Number.isFinite(c.givenAtMs)) throw new RangeError(`givenAtMs must be a time, got ${c.givenAtMs}`);
    return this.db
      .transaction(() => {
        const id = Number(
          this.db
            .prepare('INSERT INTO face_consents (code, given_at_ms, recorded_by, method) VALUES (?, ?, ?, ?)')
            .run(c.code, Math.round(c.givenAtMs), c.recordedBy.trim(), c.method).lastInsertRowid,
        );
        writeAudit(this.db, {
          atMs: this.now(),
          actor: c.recordedBy.trim(),
          device: this.device,
          action: 'faces.consent',
          detail: { code: c.code, consentId: id, givenAtMs: Math.round(c.givenAtMs), method: c.method },
        });
        return id;
      })
      .immediate();
  }

  /** Every consent on record (withdrawn ones too), oldest first; of one delegate when `code` is given. */
  consents(code?: string): Consent[] {
    const rows =
      code === undefined
        ? this.db.prepare<[], ConsentRow>('SELECT * FROM face_consents ORDER BY id').all()
        : this.db.prepare<[string], ConsentRow>('SELECT * FROM face_consents WHERE code = ? ORDER BY id').all(code);
    return rows.map(fromConsentRow);
  }

  /** The newest consent of `code` that is not withdrawn. */
  currentConsent(code: string): Consent | undefined {
    const row = this.db
      .prepare<[string], ConsentRow>('SELECT * FROM face_consents WHERE code = ? AND withdrawn_at_ms IS NULL ORDER BY id DESC LIMIT 1')
      .get(code);
    return row ? fromConsentRow(row) : undefined;
  }

  /**
   * Withdraws every current consent of `code` and deletes their embedding and threshold.
   * InputError when they have no current consent.
   */
  withdrawConsent(code: string, atMs: number, actor: string): void {
    this.db
      .transaction(() => {
        const withdrawn = this.db.prepare('UPDATE face_consents SET withdrawn_at_ms = ? WHERE code = ? AND withdrawn_at_ms IS NULL').run(Math.round(atMs), code).changes;
        if (withdrawn === 0) throw new InputError(`${code}: has no current face consent to withdraw`);
        const embeddingDeleted = this.deleteFaceData(code);
        if (embeddingDeleted) this.recomputeMean();
        writeAudit(this.db, { atMs, actor, device: this.device, action: 'faces.consent-withdrawn', detail: { code, consents: withdrawn, embeddingDeleted } });
      })
      .immediate();
  }

  /** Enrols one delegate (replacing an older embedding). See enrollMany. */
  enroll(e: Enrolment): void {
    this.enrollMany([e]);
  }

  /**
   * Enrols every one of `list` in one transaction, each replacing the delegate's older
   * embedding (and dropping its look-alike threshold: the audit sets it again), then
   * recomputes the gallery mean. InputError, nothing stored, when one has no current
   * consent or its consentId is not that consent.
   */
  enrollMany(list: readonly Enrolment[]): void {
    for (const e of list) {
      if (e.feature.length !== FEATURE_DIM) throw new RangeError(`${e.code}: a face feature has ${FEATURE_DIM} values, got ${e.feature.length}`);
    }
    const upsert = this.db.prepare(
      `INSERT INTO face_embeddings (code, consent_id, model, vector, quality, enrolled_at_ms) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (code) DO UPDATE SET consent_id = excluded.consent_id, model = excluded.model, vector = excluded.vector,
         quality = excluded.quality, enrolled_at_ms = excluded.enrolled_at_ms`,
    );
    const enrolled = this.db.prepare<[string], { n: number }>('SELECT count(*) AS n FROM face_embeddings WHERE code = ?');
    const dropThreshold = this.db.prepare('DELETE FROM face_thresholds WHERE code = ?');
    this.db
      .transaction(() => {
        const problems: string[] = [];
        for (const e of list) {
          const consent = this.currentConsent(e.code);
          if (!consent) problems.push(`${e.code}: no current face consent (record the consent first)`);
          else if (consent.id !== e.consentId) problems.push(`${e.code}: consent #${e.consentId} is not their current consent (#${consent.id})`);
        }
        if (problems.length > 0) {
          throw new InputError(`${problems.length} delegate(s) without a current face consent; nothing enrolled`, problems);
        }
        for (const e of list) {
          const replaced = enrolled.get(e.code)!.n > 0;
          upsert.run(e.code, e.consentId, FEATURE_MODEL_ID, featureToBytes(e.feature), JSON.stringify(e.quality), Math.round(e.atMs));
          dropThreshold.run(e.code);
          writeAudit(this.db, {
            atMs: e.atMs,
            actor: e.actor,
            device: e.device,
            action: 'faces.enroll',
            detail: { code: e.code, consentId: e.consentId, model: FEATURE_MODEL_ID, replaced },
          });
        }
        if (list.length > 0) this.recomputeMean();
      })
      .immediate();
  }

  /** Deletes `code`'s embedding and threshold (the consent stays on record); false when not enrolled. */
  remove(code: string, actor: string): boolean {
    return this.db
      .transaction(() => {
        const removed = this.deleteFaceData(code);
        if (removed) {
          this.recomputeMean();
          writeAudit(this.db, { atMs: this.now(), actor, device: this.device, action: 'faces.remove', detail: { code } });
        }
        return removed;
      })
      .immediate();
  }

  /**
   * The enrolled delegates of the current model (FEATURE_MODEL_ID), by code, with their
   * look-alike threshold. Rows of another model are left out with a warning: re-enrol them.
   */
  entries(): GalleryEntry[] {
    this.warnOtherModels();
    return this.db
      .prepare<[string], { code: string; vector: Buffer; min_score: number | null }>(
        `SELECT e.code, e.vector, t.min_score FROM face_embeddings e LEFT JOIN face_thresholds t ON t.code = e.code
         WHERE e.model = ? ORDER BY e.code`,
      )
      .all(FEATURE_MODEL_ID)
      .map((r) => ({ code: r.code, feature: featureFromBytes(r.vector), minScore: r.min_score }));
  }

  /** The stored enrolments of the current model, without vectors, by code. */
  enrolments(): StoredEnrolment[] {
    return this.db
      .prepare<[string], { code: string; consent_id: number; quality: string; enrolled_at_ms: number }>(
        'SELECT code, consent_id, quality, enrolled_at_ms FROM face_embeddings WHERE model = ? ORDER BY code',
      )
      .all(FEATURE_MODEL_ID)
      .map((r) => ({ code: r.code, consentId: r.consent_id, quality: JSON.parse(r.quality) as FaceMetrics, enrolledAtMs: r.enrolled_at_ms }));
  }

  /** The gallery mean kept with the embeddings, or undefined when nobody is enrolled. */
  mean(): FaceFeature | undefined {
    const text = getMeta(this.db, GALLERY_MEAN_KEY);
    if (text === undefined) return undefined;
    try {
      return featureFromBytes(Buffer.from(text, 'base64'));
    } catch (err: unknown) {
      log.warn({ err }, 'gallery mean unreadable; using the mean of the entries');
      return undefined;
    }
  }

  /** A matcher over entries(), centred by mean(). */
  matcher(): FaceMatcher {
    return new FaceMatcher(this.entries(), this.mean());
  }

  /** How many delegates are enrolled with the current model. */
  count(): number {
    return this.db.prepare<[string], { n: number }>('SELECT count(*) AS n FROM face_embeddings WHERE model = ?').get(FEATURE_MODEL_ID)!.n;
  }

  thresholds(): Threshold[] {
    return this.db
      .prepare<[], { code: string; min_score: number; reason: string }>('SELECT code, min_score, reason FROM face_thresholds ORDER BY code')
      .all()
      .map((r) => ({ code: r.code, minScore: r.min_score, reason: r.reason }));
  }

  /**
   * Replaces every per-person threshold with `list` in one transaction. InputError, nothing
   * changed, for a code that is not enrolled or a score outside -1..1.
   */
  setThresholds(list: readonly Threshold[], actor: string): void {
    this.db
      .transaction(() => {
        const enrolled = new Set(
          this.db
            .prepare<[], { code: string }>('SELECT code FROM face_embeddings')
            .all()
            .map((r) => r.code),
        );
        const problems = list.flatMap((t) => [
          ...(enrolled.has(t.code) ? [] : [`${t.code}: not enrolled`]),
          ...(Number.isFinite(t.minScore) && t.minScore >= -1 && t.minScore <= 1 ? [] : [`${t.code}: min score ${t.minScore}: expected -1..1`]),
        ]);
        if (problems.length > 0) throw new InputError(`${problems.length} bad threshold(s); none changed`, problems);
        const before = this.db.prepare<[], { n: number }>('SELECT count(*) AS n FROM face_thresholds').get()!.n;
        this.db.prepare('DELETE FROM face_thresholds').run();
        const insert = this.db.prepare('INSERT INTO face_thresholds (code, min_score, reason) VALUES (?, ?, ?)');
        for (const t of list) insert.run(t.code, t.minScore, t.reason);
        writeAudit(this.db, { atMs: this.now(), actor, device: this.device, action: 'faces.thresholds', detail: { before, after: list.length } });
      })
      .immediate();
  }

  private isDelegate(code: string): boolean {
    return this.db.prepare<[string], { n: number }>('SELECT count(*) AS n FROM delegates WHERE code = ?').get(code)!.n > 0;
  }

  /** Deletes the embedding and threshold of `code`; true when there was an embedding. */
  private deleteFaceData(code: string): boolean {
    this.db.prepare('DELETE FROM face_thresholds WHERE code = ?').run(code);
    return this.db.prepare('DELETE FROM face_embeddings WHERE code = ?').run(code).changes > 0;
  }

  /** The mean of every current-model feature into meta (deleted when there is none). */
  private recomputeMean(): void {
    const features = this.db
      .prepare<[string], { vector: Buffer }>('SELECT vector FROM face_embeddings WHERE model = ?')
      .all(FEATURE_MODEL_ID)
      .map((r) => featureFromBytes(r.vector));
    if (features.length === 0) {
      this.db.prepare('DELETE FROM meta WHERE key = ?').run(GALLERY_MEAN_KEY);
      return;
    }
    setMeta(this.db, GALLERY_MEAN_KEY, featureToBytes(meanFeature(features)).toString('base64'));
  }

  private warnOtherModels(): void {
    const others = this.db
      .prepare<[string], { model: string; n: number }>('SELECT model, count(*) AS n FROM face_embeddings WHERE model <> ? GROUP BY model')
      .all(FEATURE_MODEL_ID);
    if (others.length > 0) {
      log.warn({ others, current: FEATURE_MODEL_ID }, 'embeddings of another face model ignored: re-enrol those delegates');
    }
  }
}
