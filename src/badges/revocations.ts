/**
 * Badge revocation: a lost or stolen badge stops working at once. Revocation is per
 * delegate code (the token of a code never changes), so a delegate whose badge was
 * revoked is checked in by staff at the desk. Each revocation is audited.
 */
import type { Database } from 'better-sqlite3';
import { InputError } from '../shared/errors.ts';
import { writeAudit } from '../store/audit.ts';

export interface Revocation {
  readonly code: string;
  readonly reason: string;
  readonly operator: string;
  readonly device: string;
  readonly atMs: number;
}

/** Records the revocation and its audit line in one transaction. Unknown code or empty reason → InputError. */
export function revokeBadge(db: Database, revocation: Revocation): void {
  if (!revocation.reason.trim()) throw new InputError('--reason: say why the badge is revoked (e.g. "lost at the entrance")');
  const known = db.prepare<[string], { n: number }>('SELECT count(*) AS n FROM delegates WHERE code = ?').get(revocation.code);
  if (!known?.n) throw new InputError(`no delegate with code ${revocation.code}`);
  db.transaction(() => {
    db.prepare('INSERT INTO badge_revocations (code, at_ms, reason) VALUES (?, ?, ?)').run(revocation.code, Math.round(revocation.atMs), revocation.reason.trim());
    writeAudit(db, {
      atMs: revocation.atMs,
      actor: `operator:${revocation.operator}`,
      device: revocation.device,
      action: 'badge.revoke',
      detail: { code: revocation.code, reason: revocation.reason.trim() },
    });
  }).immediate();
}

/** A lookup for verifyBadge's `isRevoked`, reading the store on each call (revocations apply at once). */
export function revocationCheck(db: Database): (code: string) => boolean {
  const query = db.prepare<[string], { n: number }>('SELECT count(*) AS n FROM badge_revocations WHERE code = ?');
  return (code) => (query.get(code)?.n ?? 0) > 0;
}
