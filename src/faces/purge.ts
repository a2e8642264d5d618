import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Store } from '../store/sqlite-store.ts';
import { writeAudit } from '../store/audit.ts';
import { logger } from '../shared/logger.ts';
import { FaceGallery, GALLERY_MEAN_KEY } from './gallery.ts';

const log = logger('faces/purge');

/** What a biometric purge deleted; kept in biometric_purges and written beside the store. */
export interface PurgeReceipt {
  readonly purgedAtMs: number;
  /** ISO form of purgedAtMs (UTC), for people reading the file. */
  readonly purgedAt: string;
  readonly embeddings: number;
  readonly thresholds: number;
  /** Consent records kept (they hold no biometric data and prove consent existed). */
  readonly consentsKept: number;
  /**
   * SHA-256 (hex) over the deleted embeddings in code order: for each, the code's UTF-8
   * bytes, one 0 byte, then the vector bytes as stored. Lets an auditor holding a copy of the
   * store check that exactly those rows were deleted.
   */
  readonly digest: string;
  readonly store: string;
}

export interface PurgeOptions {
  readonly nowMs: number;
  readonly actor: string;
  readonly device: string;
}

/**
 * Deletes every face embedding, per-person threshold and the gallery mean in one
 * transaction (with its receipt in biometric_purges and the audit log), then rewrites the
 * file so no deleted byte remains in it or in its WAL: checkpoint, VACUUM, checkpoint with
 * truncation. Writes the receipt as `biometric-purge-<UTC timestamp>.json` beside the store.
 * Throws when another connection keeps the WAL from being emptied (stop letan first; the rows
 * are deleted either way, and running the purge again finishes the job).
 */
export function purgeBiometrics(store: Store, options: PurgeOptions): { receipt: PurgeReceipt; receiptFile: string } {
  const { db } = store;
  const nowMs = Math.round(options.nowMs);
  const receipt = db
    .transaction((): PurgeReceipt => {
      const hash = createHash('sha256');
      const rows = db.prepare<[], { code: string; vector: Buffer }>('SELECT code, vector FROM face_embeddings ORDER BY code').all();
      for (const r of rows) {
        hash.update(Buffer.from(r.code, 'utf8'));
        hash.update(Buffer.of(0));
        hash.update(r.vector);
      }
      const embeddings = db.prepare('DELETE FROM face_embeddings').run().changes;
      const thresholds = db.prepare('DELETE FROM face_thresholds').run().changes;
      db.prepare('DELETE FROM meta WHERE key = ?').run(GALLERY_MEAN_KEY);
      const consentsKept = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM face_consents').get()!.n;
      const r: PurgeReceipt = {
        purgedAtMs: nowMs,
        purgedAt: new Date(nowMs).toISOString(),
        embeddings,
        thresholds,
        consentsKept,
        digest: hash.digest('hex'),
        store: store.path,
      };
      db.prepare('INSERT INTO biometric_purges (at_ms, receipt) VALUES (?, ?)').run(nowMs, JSON.stringify(r));
      writeAudit(db, { atMs: nowMs, actor: options.actor, device: options.device, action: 'faces.purge', detail: { ...r } });
      return r;
    })
    .immediate();
  const receiptFile = writeReceipt(dirname(store.path), receipt);
  scrub(store);
  log.info({ ...receipt, receiptFile }, 'biometric data purged');
  return { receipt, receiptFile };
}

/** Writes `biometric-purge-<UTC timestamp>.json` in `dir` (never over an earlier receipt); returns its path. */
function writeReceipt(dir: string, receipt: PurgeReceipt): string {
  const stamp = receipt.purgedAt.replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  for (let n = 1; ; n++) {
    const file = join(dir, `biometric-purge-${stamp}${n > 1 ? `-${n}` : ''}.json`);
    try {
      writeFileSync(file, `${JSON.stringify(receipt, null, 2)}\n`, { flag: 'wx' });
      return file;
    } catch (err: unknown) {
      if (!(err instanceof Error && 'code' in err && err.code === 'EEXIST')) throw err;
    }
  }
}

/** Rewrites the database file and empties its WAL, so deleted pages are gone from both. */
export function scrub(store: Store): void {
  const { db } = store;
  checkpoint(store);
  // VACUUM's scratch copy stays in memory, not in a temporary file.
  const tempStore = db.pragma('temp_store', { simple: true }) as number;
  db.pragma('temp_store = MEMORY');
  try {
    db.exec('VACUUM');
  } finally {
    db.pragma(`temp_store = ${tempStore}`);
  }
  checkpoint(store);
}

function checkpoint(store: Store): void {
  const [result] = store.db.pragma('wal_checkpoint(TRUNCATE)') as { busy: number; log: number; checkpointed: number }[];
  if (!result || result.busy !== 0 || result.log !== 0) {
    throw new Error(
      `${store.path}: the face data is deleted, but another process has the store open, so the deleted bytes may remain in the file until it closes; stop letan and run the purge again`,
    );
  }
}

/**
 * One delegate withdraws consent: their consent is marked withdrawn, their feature and
 * threshold deleted (the gallery mean recomputed), and the file scrubbed like a purge.
 * InputError when they have no current consent.
 */
export function withdrawFaceConsent(store: Store, code: string, options: PurgeOptions): void {
  new FaceGallery(store.db, { device: options.device }).withdrawConsent(code, options.nowMs, options.actor);
  scrub(store);
}
