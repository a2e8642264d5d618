import type { Database } from 'better-sqlite3';
import { InputError } from '../shared/errors.ts';
import type { Delegate } from './types.ts';

interface DelegateRow {
  code: string;
  full_name: string;
  title: string;
  delegation: string;
  seat: string;
  photo: string;
  language: string;
  needs: string;
}

function fromRow(r: DelegateRow): Delegate {
  return {
    code: r.code,
    fullName: r.full_name,
    title: r.title,
    delegation: r.delegation,
    seat: r.seat,
    photo: r.photo,
    language: r.language === 'en' ? 'en' : 'vi',
    needs: JSON.parse(r.needs) as string[],
  };
}

const columns = 'code, full_name, title, delegation, seat, photo, language, needs';

/** The event's delegate list in the store. Delegates are validated before they get here (import.ts). */
export class DelegateRepository {
  constructor(private readonly db: Database) {}

  /** Every delegate, by code. */
  all(): Delegate[] {
    return this.db.prepare<[], DelegateRow>(`SELECT ${columns} FROM delegates ORDER BY code`).all().map(fromRow);
  }

  byCode(code: string): Delegate | undefined {
    const row = this.db.prepare<[string], DelegateRow>(`SELECT ${columns} FROM delegates WHERE code = ?`).get(code);
    return row ? fromRow(row) : undefined;
  }

  bySeat(seat: string): Delegate | undefined {
    const row = this.db.prepare<[string], DelegateRow>(`SELECT ${columns} FROM delegates WHERE seat = ?`).get(seat);
    return row ? fromRow(row) : undefined;
  }

  count(): number {
    return this.db.prepare<[], { n: number }>('SELECT count(*) AS n FROM delegates').get()!.n;
  }

  /**
   * Replaces the whole list in one transaction (nested in the caller's, if any).
   * Check-ins are never deleted, so a delegate with any check-in on record (active or
   * undone) must stay in the list: InputError naming each one otherwise, and nothing changes.
   * A code on the check-in record or with a revoked badge keeps its person: a different
   * full_name for it (the badge would now greet someone else) is an InputError too.
   * The same two rules hold for a delegate with face data: an enrolled face or a face consent
   * on record (withdrawn ones too: the consent record is kept). A face must never greet, or
   * a consent be filed under, someone else.
   */
  replaceAll(delegates: readonly Delegate[]): void {
    const keep = new Set(delegates.map((d) => d.code));
    const newName = new Map(delegates.map((d) => [d.code, d.fullName]));
    const replace = this.db.transaction(() => {
      const withHistory = this.db
        .prepare<[], { code: string; active: number }>(
          'SELECT code, max(undone_by IS NULL) AS active FROM checkins GROUP BY code ORDER BY code',
        )
        .all()
        .filter((r) => !keep.has(r.code));
      if (withHistory.length > 0) {
        throw new InputError(
          `the new list drops ${withHistory.length} delegate(s) already on the check-in record; keep them in the file`,
          withHistory.map((r) => `${r.code}: ${r.active ? 'checked in now' : 'has an undone check-in on record'}`),
        );
      }
      const withFaceData = this.faceData().filter((r) => !keep.has(r.code));
      if (withFaceData.length > 0) {
        throw new InputError(
          `the new list drops ${withFaceData.length} delegate(s) with face check-in data on record; keep them in the file (to remove a face, withdraw the consent)`,
          withFaceData.map((r) => `${r.code}: ${faceDataText(r)}`),
        );
      }
      const renamed = this.db
        .prepare<[], { code: string; full_name: string; checkins: number; revocations: number; embeddings: number; consents: number }>(
          `SELECT d.code, d.full_name,
                  (SELECT count(*) FROM checkins c WHERE c.code = d.code) AS checkins,
                  (SELECT count(*) FROM badge_revocations r WHERE r.code = d.code) AS revocations,
                  (SELECT count(*) FROM face_embeddings e WHERE e.code = d.code) AS embeddings,
                  (SELECT count(*) FROM face_consents f WHERE f.code = d.code) AS consents
           FROM delegates d ORDER BY d.code`,
        )
        .all()
        .filter((r) => r.checkins + r.revocations + r.embeddings + r.consents > 0)
        .filter((r) => {
          const name = newName.get(r.code);
          return name !== undefined && name.normalize('NFC') !== r.full_name.normalize('NFC');
        });
      if (renamed.length > 0) {
        throw new InputError(
          `the new list gives ${renamed.length} code(s) already on record to a different person; a code stays with its delegate (give the new person a new code)`,
          renamed.map(
            (r) =>
              `${r.code}: ${r.full_name} → ${newName.get(r.code)} (${[
                r.checkins > 0 ? 'has check-ins' : '',
                r.revocations > 0 ? 'has a revoked badge' : '',
                r.embeddings > 0 ? 'has an enrolled face' : '',
                r.consents > 0 && r.embeddings === 0 ? 'has a face consent on record' : '',
              ]
                .filter(Boolean)
                .join(', ')})`,
          ),
        );
      }
      // Rows are deleted and re-inserted (seats may move between delegates); foreign keys
      // from checkins are checked at commit, when every referenced code is back.
      this.db.pragma('defer_foreign_keys = ON');
      this.db.prepare('DELETE FROM delegates').run();
      const insert = this.db.prepare(`INSERT INTO delegates (${columns}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`);
      for (const d of delegates) {
        insert.run(d.code, d.fullName, d.title, d.delegation, d.seat, d.photo, d.language, JSON.stringify(d.needs));
      }
    });
    replace.immediate();
  }

  /** Delegates with an embedding or any face consent row, by code. */
  private faceData(): FaceDataRow[] {
    return this.db
      .prepare<[], FaceDataRow>(
        `SELECT code, sum(embedding) AS embeddings, sum(consent) AS consents FROM (
           SELECT code, 1 AS embedding, 0 AS consent FROM face_embeddings
           UNION ALL SELECT code, 0, 1 FROM face_consents
         ) GROUP BY code ORDER BY code`,
      )
      .all();
  }
}

interface FaceDataRow {
  code: string;
  embeddings: number;
  consents: number;
}

function faceDataText(r: FaceDataRow): string {
  return r.embeddings > 0 ? 'has an enrolled face' : 'has a face consent on record';
}
