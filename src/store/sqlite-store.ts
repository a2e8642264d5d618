import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import BetterSqlite3, { type Database } from 'better-sqlite3';
import { InputError, errorText } from '../shared/errors.ts';
import { logger } from '../shared/logger.ts';
import { migrate } from './migrations.ts';

const log = logger('store/sqlite');

/** The embedded Store adapter: one SQLite file (DESIGN.md, Store). */
export interface Store {
  readonly db: Database;
  /** Absolute path of the SQLite file. */
  readonly path: string;
  close(): void;
}

/**
 * Default wait for another connection's lock before SQLITE_BUSY. better-sqlite3 is
 * synchronous: the wait blocks this process's event loop (the controller and its e-stop
 * endpoint), so it stays short; a caller that can afford to wait passes a longer one.
 */
export const defaultBusyTimeoutMs = 250;

export interface OpenStoreOptions {
  /** How long a statement waits for another connection's lock (default defaultBusyTimeoutMs). */
  readonly busyTimeoutMs?: number;
}

/**
 * Opens (creating the folder and file when needed) and migrates the store at `path`.
 * WAL + synchronous=FULL: a committed transaction is fsync'd before commit returns,
 * so nothing acknowledged is lost on a crash or power cut.
 * Waits at most `busyTimeoutMs` for another connection's lock (blocking the thread).
 * Throws InputError when the file is not a SQLite database.
 */
export function openStore(path: string, opts: OpenStoreOptions = {}): Store {
  const busyTimeoutMs = opts.busyTimeoutMs ?? defaultBusyTimeoutMs;
  if (!Number.isInteger(busyTimeoutMs) || busyTimeoutMs < 0) throw new RangeError(`busyTimeoutMs must be an integer ≥ 0, got ${busyTimeoutMs}`);
  const abs = resolve(path);
  mkdirSync(dirname(abs), { recursive: true });
  const db = new BetterSqlite3(abs);
  try {
    const mode = db.pragma('journal_mode = WAL', { simple: true });
    if (mode !== 'wal') throw new Error(`${abs}: could not switch to WAL journal (got ${String(mode)})`);
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    db.pragma(`busy_timeout = ${busyTimeoutMs}`);
    migrate(db, abs);
  } catch (err: unknown) {
    db.close();
    if (err instanceof Error && 'code' in err && err.code === 'SQLITE_NOTADB') {
      throw new InputError(`${abs}: not a letan store (${errorText(err)})`);
    }
    throw err;
  }
  log.debug({ path: abs }, 'store open');
  return {
    db,
    path: abs,
    close: () => {
      if (db.open) db.close();
    },
  };
}
