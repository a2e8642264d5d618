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
   */
  replaceAll(delegates: readonly Delegate[]): void {
    const keep = new Set(delegates.map((d) => d.code));
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
