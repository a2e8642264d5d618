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
      const renamed = this.db
        .prepare<[], { code: string; full_name: string; checkins: number; revocations: number }>(
          `SELECT d.code, d.full_name,
                  (SELECT count(*) FROM checkins c WHERE c.code = d.code) AS checkins,
                  (SELECT count(*) FROM badge_revocations r WHERE r.code = d.code) AS revocations
           FROM delegates d ORDER BY d.code`,
        )
        .all()
        .filter((r) => r.checkins + r.revocations > 0)
        .filter((r) => {
          const name = newName.get(r.code);
          return name !== undefined && name.normalize('NFC') !== r.full_name.normalize('NFC');
        });
      if (renamed.length > 0) {
        throw new InputError(
          `the new list gives ${renamed.length} code(s) already on record to a different person; a code stays with its delegate (give the new person a new code)`,
          renamed.map(
            (r) =>
              `${r.code}: ${r.full_name} → ${newName.get(r.code)} (${[r.checkins > 0 ? 'has check-ins' : '', r.revocations > 0 ? 'has a revoked badge' : ''].filter(Boolean).join(', ')})`,
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
}
