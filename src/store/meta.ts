import type { Database } from 'better-sqlite3';

/** Key/value facts about the store (e.g. which venue its delegates were imported against). */
export function getMeta(db: Database, key: string): string | undefined {
  const row = db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?').get(key);
  return row?.value;
}

export function setMeta(db: Database, key: string, value: string): void {
  db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(key, value);
}
