import type { Database } from 'better-sqlite3';

/**
 * Schema migrations, applied in order by `PRAGMA user_version`.
 * A migration is never edited once shipped: changes are a new entry at the end.
 */
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

export const migrations: readonly Migration[] = [
  {
    version: 1,
    name: 'delegates, check-in ledger, audit log',
    sql: `
      CREATE TABLE delegates (
        code       TEXT PRIMARY KEY,
        full_name  TEXT NOT NULL,
        title      TEXT NOT NULL DEFAULT '',
        delegation TEXT NOT NULL DEFAULT '',
        seat       TEXT NOT NULL UNIQUE,
        photo      TEXT NOT NULL DEFAULT '',
        language   TEXT NOT NULL DEFAULT 'vi' CHECK (language IN ('vi', 'en')),
        needs      TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(needs) AND json_type(needs) = 'array')
      ) STRICT;

      -- id is the idempotency key chosen by the device. A check-in is never deleted:
      -- an undo is a row in checkin_undos, linked by undone_by.
      CREATE TABLE checkins (
        id         TEXT PRIMARY KEY,
        code       TEXT NOT NULL REFERENCES delegates (code),
        at_ms      INTEGER NOT NULL,
        source     TEXT NOT NULL CHECK (source IN ('badge', 'face', 'both', 'manual')),
        device     TEXT NOT NULL,
        gate       TEXT NOT NULL,
        operator   TEXT,
        confidence REAL CHECK (confidence IS NULL OR (confidence >= 0 AND confidence <= 1)),
        undone_by  TEXT REFERENCES checkin_undos (id)
      ) STRICT;
      -- At most one active (not undone) check-in per delegate.
      CREATE UNIQUE INDEX checkins_one_active_per_delegate ON checkins (code) WHERE undone_by IS NULL;
      CREATE INDEX checkins_by_time ON checkins (at_ms);

      CREATE TABLE checkin_undos (
        id         TEXT PRIMARY KEY,
        checkin_id TEXT NOT NULL UNIQUE REFERENCES checkins (id),
        at_ms      INTEGER NOT NULL,
        operator   TEXT NOT NULL,
        device     TEXT NOT NULL,
        reason     TEXT NOT NULL CHECK (length(trim(reason)) > 0)
      ) STRICT;

      -- Repeat scans of a delegate already present (badge sharing shows up here).
      -- request_id makes a retried request one attempt, not two.
      CREATE TABLE checkin_attempts (
        request_id       TEXT PRIMARY KEY,
        code             TEXT NOT NULL,
        at_ms            INTEGER NOT NULL,
        source           TEXT NOT NULL,
        device           TEXT NOT NULL,
        gate             TEXT NOT NULL,
        first_checkin_id TEXT NOT NULL REFERENCES checkins (id)
      ) STRICT;
      CREATE INDEX checkin_attempts_by_code ON checkin_attempts (code, at_ms);

      CREATE TABLE badge_revocations (
        id     INTEGER PRIMARY KEY,
        code   TEXT NOT NULL,
        at_ms  INTEGER NOT NULL,
        reason TEXT NOT NULL
      ) STRICT;
      CREATE INDEX badge_revocations_by_code ON badge_revocations (code);

      CREATE TABLE audit_log (
        id     INTEGER PRIMARY KEY,
        at_ms  INTEGER NOT NULL,
        actor  TEXT NOT NULL,
        device TEXT NOT NULL,
        action TEXT NOT NULL,
        detail TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(detail))
      ) STRICT;

      CREATE TABLE meta (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) STRICT;
    `,
  },
  {
    version: 2,
    name: 'face identity: consents, embeddings (never photos), per-person thresholds, purge receipts',
    sql: `
      -- Who gave consent to face check-in, when, and how it was recorded. Kept after a purge
      -- (it is the record that consent existed), never holds biometric data.
      CREATE TABLE face_consents (
        id              INTEGER PRIMARY KEY,
        code            TEXT NOT NULL REFERENCES delegates (code),
        given_at_ms     INTEGER NOT NULL,
        recorded_by     TEXT NOT NULL CHECK (length(trim(recorded_by)) > 0),
        method          TEXT NOT NULL CHECK (method IN ('signed-form', 'registration-form', 'kiosk', 'verbal-witnessed')),
        withdrawn_at_ms INTEGER
      ) STRICT;
      CREATE INDEX face_consents_by_code ON face_consents (code);

      -- One embedding per delegate (float32 little-endian), computed from the enrolment photo,
      -- which is never stored. model names the model + preprocessing that made it.
      CREATE TABLE face_embeddings (
        code           TEXT PRIMARY KEY REFERENCES delegates (code),
        consent_id     INTEGER NOT NULL REFERENCES face_consents (id),
        model          TEXT NOT NULL,
        vector         BLOB NOT NULL,
        quality        TEXT NOT NULL CHECK (json_valid(quality)),
        enrolled_at_ms INTEGER NOT NULL
      ) STRICT;

      -- Raised acceptance thresholds for delegates with a look-alike in the gallery (faces audit).
      CREATE TABLE face_thresholds (
        code      TEXT PRIMARY KEY REFERENCES delegates (code),
        min_score REAL NOT NULL,
        reason    TEXT NOT NULL
      ) STRICT;

      CREATE TABLE biometric_purges (
        id      INTEGER PRIMARY KEY,
        at_ms   INTEGER NOT NULL,
        receipt TEXT NOT NULL CHECK (json_valid(receipt))
      ) STRICT;
    `,
  },
];

/** The schema version this build writes. */
export const schemaVersion: number = migrations.at(-1)?.version ?? 0;

/**
 * Brings `db` up to `schemaVersion`, each migration in its own transaction together with
 * its user_version bump. Throws when the file was written by a newer letan.
 */
export function migrate(db: Database, path: string): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > schemaVersion) {
    throw new Error(`${path}: store schema v${current} is newer than this letan (v${schemaVersion}); upgrade letan`);
  }
  for (const m of migrations) {
    if (m.version <= current) continue;
    db.transaction(() => {
      db.exec(m.sql);
      db.pragma(`user_version = ${m.version}`);
    }).immediate();
  }
}
