import type { Database } from 'better-sqlite3';

/** One line of the audit trail: who did what, from which device, when. */
export interface AuditEntry {
  readonly atMs: number;
  /** Staff member or component, e.g. `operator:Lan`, `import`. */
  readonly actor: string;
  readonly device: string;
  /** Stable verb, e.g. `checkin.undo`, `delegates.import`. */
  readonly action: string;
  readonly detail: Readonly<Record<string, unknown>>;
}

/** Appends to audit_log; call inside the transaction of the change it records. */
export function writeAudit(db: Database, entry: AuditEntry): void {
  db.prepare('INSERT INTO audit_log (at_ms, actor, device, action, detail) VALUES (?, ?, ?, ?, ?)').run(
    Math.round(entry.atMs),
    entry.actor,
    entry.device,
    entry.action,
    JSON.stringify(entry.detail),
  );
}

interface AuditRow {
  at_ms: number;
  actor: string;
  device: string;
  action: string;
  detail: string;
}

/** The newest `limit` entries, newest first. */
export function readAudit(db: Database, limit = 100): AuditEntry[] {
  return db
    .prepare<[number], AuditRow>('SELECT at_ms, actor, device, action, detail FROM audit_log ORDER BY id DESC LIMIT ?')
    .all(limit)
    .map((r) => ({ atMs: r.at_ms, actor: r.actor, device: r.device, action: r.action, detail: JSON.parse(r.detail) as Record<string, unknown> }));
}
