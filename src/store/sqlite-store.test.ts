import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InputError } from '../shared/errors.ts';
import { schemaVersion } from './migrations.ts';
import { openStore } from './sqlite-store.ts';

describe('openStore (real SQLite file)', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'letan-store-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('creates the folder, sets WAL + synchronous=FULL + foreign keys, and migrates once', () => {
    const path = join(dir, 'nested/deeper/letan.sqlite');
    const store = openStore(path);
    expect(store.path).toBe(path);
    expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(store.db.pragma('synchronous', { simple: true })).toBe(2);
    expect(store.db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(store.db.pragma('user_version', { simple: true })).toBe(schemaVersion);
    expect(store.db.pragma('busy_timeout', { simple: true })).toBe(250); // short: a lock wait blocks the event loop
    const tables = store.db.prepare<[], { name: string }>("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name").all().map((r) => r.name);
    expect(tables).toEqual([
      'audit_log',
      'badge_revocations',
      'biometric_purges',
      'checkin_attempts',
      'checkin_undos',
      'checkins',
      'delegates',
      'face_consents',
      'face_embeddings',
      'face_thresholds',
      'meta',
    ]);
    store.db.prepare("INSERT INTO meta (key, value) VALUES ('k', 'v')").run();
    store.close();
    store.close();

    const again = openStore(path);
    expect(again.db.prepare<[], { value: string }>("SELECT value FROM meta WHERE key = 'k'").get()?.value).toBe('v');
    again.close();
  });

  it('takes the busy timeout as an option, and gives up on a held write lock after it', () => {
    const path = join(dir, 'letan.sqlite');
    const holder = openStore(path);
    const waiter = openStore(path, { busyTimeoutMs: 20 });
    expect(waiter.db.pragma('busy_timeout', { simple: true })).toBe(20);
    holder.db.prepare('BEGIN IMMEDIATE').run();
    expect(() => waiter.db.prepare("INSERT INTO meta (key, value) VALUES ('k', 'v')").run()).toThrow(/database is locked/);
    holder.db.prepare('ROLLBACK').run();
    waiter.db.prepare("INSERT INTO meta (key, value) VALUES ('k', 'v')").run();
    waiter.close();
    holder.close();
    expect(() => openStore(path, { busyTimeoutMs: -1 })).toThrow(RangeError);
  });

  it('enforces one active check-in per delegate and foreign keys in the schema itself', () => {
    const store = openStore(join(dir, 'letan.sqlite'));
    const db = store.db;
    db.prepare("INSERT INTO delegates (code, full_name, seat) VALUES ('D-1', 'Lê Văn A', 'A-1')").run();
    const insert = db.prepare("INSERT INTO checkins (id, code, at_ms, source, device, gate) VALUES (?, ?, 1, 'badge', 'r', 'A')");
    insert.run('c1', 'D-1');
    expect(() => insert.run('c2', 'D-1')).toThrow(/UNIQUE constraint failed/);
    expect(() => insert.run('c3', 'D-404')).toThrow(/FOREIGN KEY constraint failed/);
    db.prepare("INSERT INTO checkin_undos (id, checkin_id, at_ms, operator, device, reason) VALUES ('u1', 'c1', 2, 'Lan', 't', 'mistake')").run();
    db.prepare("UPDATE checkins SET undone_by = 'u1' WHERE id = 'c1'").run();
    insert.run('c2', 'D-1');
    expect(db.prepare<[], { n: number }>('SELECT count(*) AS n FROM checkins').get()!.n).toBe(2);
    store.close();
  });

  it('says a file that is not SQLite is not a letan store', () => {
    const path = join(dir, 'notes.sqlite');
    writeFileSync(path, 'this is a text file, not a database, padded to more than one hundred bytes so SQLite reads a header........');
    expect(() => openStore(path)).toThrow(InputError);
    expect(() => openStore(path)).toThrow(/notes\.sqlite: not a letan store/);
  });

  it('refuses a store written by a newer letan', () => {
    const path = join(dir, 'future.sqlite');
    const db = new BetterSqlite3(path);
    db.pragma(`user_version = ${schemaVersion + 1}`);
    db.close();
    expect(() => openStore(path)).toThrow(/newer than this letan/);
  });
});
