import type { Database, Statement } from 'better-sqlite3';
import type { Clock } from '../shared/clock.ts';
import { InputError } from '../shared/errors.ts';
import { logger } from '../shared/logger.ts';
import { writeAudit } from '../store/audit.ts';
import type { CheckInRecord, CheckInRequest, CheckInResult, CheckInSource, Presence } from './types.ts';

const log = logger('attendance/ledger');

/** A repeat scan of a delegate who was already present (badge sharing shows up here). */
export interface CheckInAttempt extends Pick<CheckInRecord, 'code' | 'atMs' | 'source' | 'device' | 'gate'> {
  /** The request's idempotency key. */
  readonly id: string;
  /** The active check-in the delegate already had. */
  readonly firstCheckinId: string;
}

export interface UndoRequest {
  /** Why, in the staff member's words; required. */
  readonly reason: string;
  readonly operator: string;
  readonly device: string;
}

export interface DelegationPresence {
  readonly delegation: string;
  readonly present: number;
  readonly total: number;
}

interface CheckInRow {
  id: string;
  code: string;
  at_ms: number;
  source: CheckInSource;
  device: string;
  gate: string;
  operator: string | null;
  confidence: number | null;
  undone_by: string | null;
}

interface AttemptRow {
  request_id: string;
  code: string;
  at_ms: number;
  source: CheckInSource;
  device: string;
  gate: string;
  first_checkin_id: string;
}

function record(r: CheckInRow): CheckInRecord {
  return { id: r.id, code: r.code, atMs: r.at_ms, source: r.source, device: r.device, gate: r.gate, operator: r.operator, confidence: r.confidence };
}

const checkinColumns = 'id, code, at_ms, source, device, gate, operator, confidence, undone_by';
const sources: readonly CheckInSource[] = ['badge', 'face', 'both', 'manual'];

/**
 * The attendance ledger: append-only check-ins with idempotency keys, audited undos,
 * and repeat-scan attempts, in the store's SQLite file.
 * Every write is one IMMEDIATE transaction committed with synchronous=FULL (openStore),
 * so when a method returns its effect is on disk.
 */
export class Ledger {
  private readonly byId: Statement<[string], CheckInRow>;
  private readonly activeByCode: Statement<[string], CheckInRow>;
  private readonly delegateExists: Statement<[string], { one: number }>;
  private readonly insertCheckIn: Statement<[string, string, number, string, string, string, string | null, number | null]>;
  private readonly insertAttempt: Statement<[string, string, number, string, string, string, string]>;
  private readonly checkInTx: (req: CheckInRequest) => CheckInResult;
  private readonly undoTx: (checkinId: string, undo: UndoRequest) => void;

  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
  ) {
    this.byId = db.prepare(`SELECT ${checkinColumns} FROM checkins WHERE id = ?`);
    this.activeByCode = db.prepare(`SELECT ${checkinColumns} FROM checkins WHERE code = ? AND undone_by IS NULL`);
    this.delegateExists = db.prepare('SELECT 1 AS one FROM delegates WHERE code = ?');
    this.insertCheckIn = db.prepare(
      'INSERT INTO checkins (id, code, at_ms, source, device, gate, operator, confidence) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    );
    this.insertAttempt = db.prepare(
      `INSERT INTO checkin_attempts (request_id, code, at_ms, source, device, gate, first_checkin_id)
       VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (request_id) DO NOTHING`,
    );
    const checkIn = db.transaction((req: CheckInRequest) => this.checkInInside(req));
    this.checkInTx = (req) => checkIn.immediate(req);
    const undo = db.transaction((checkinId: string, u: UndoRequest) => this.undoInside(checkinId, u));
    this.undoTx = (checkinId, u) => undo.immediate(checkinId, u);
  }

  /**
   * Checks a delegate in. The same `id` again returns the stored record with
   * `replayed: true` and writes nothing (also when that check-in was undone since: a retried
   * request must not re-admit; use isPresent for the current state); a delegate already present gets `already`
   * with their first check-in, and the attempt is recorded once per request id.
   * Throws InputError for a malformed request or an id already used for another delegate.
   */
  checkIn(req: CheckInRequest): CheckInResult {
    if (req.id.trim() === '') throw new InputError('check-in: id: expected a non-empty idempotency key');
    if (!sources.includes(req.source)) throw new InputError(`check-in ${req.id}: source ${String(req.source)}: expected ${sources.join('|')}`);
    if (req.confidence !== undefined && !(req.confidence >= 0 && req.confidence <= 1)) {
      throw new InputError(`check-in ${req.id}: confidence ${req.confidence}: expected 0..1`);
    }
    return this.checkInTx(req);
  }

  private checkInInside(req: CheckInRequest): CheckInResult {
    const stored = this.byId.get(req.id);
    if (stored) {
      if (stored.code !== req.code) {
        throw new InputError(`check-in ${req.id}: id already used for delegate ${stored.code}, not ${req.code}`);
      }
      return { status: 'checked-in', record: record(stored), replayed: true };
    }
    if (!this.delegateExists.get(req.code)) {
      log.warn({ code: req.code, device: req.device, gate: req.gate }, 'check-in for unknown delegate');
      return { status: 'unknown-delegate', code: req.code };
    }
    const atMs = Math.round(this.clock.now());
    const active = this.activeByCode.get(req.code);
    if (active) {
      this.insertAttempt.run(req.id, req.code, atMs, req.source, req.device, req.gate, active.id);
      return { status: 'already', first: record(active) };
    }
    this.insertCheckIn.run(req.id, req.code, atMs, req.source, req.device, req.gate, req.operator ?? null, req.confidence ?? null);
    return {
      status: 'checked-in',
      record: {
        id: req.id,
        code: req.code,
        atMs,
        source: req.source,
        device: req.device,
        gate: req.gate,
        operator: req.operator ?? null,
        confidence: req.confidence ?? null,
      },
      replayed: false,
    };
  }

  /**
   * Undoes a check-in: a new audited record (checkin_undos + audit_log), never a delete.
   * The delegate is absent afterwards and can be checked in again under a new id.
   * InputError when reason or operator is empty, the id is unknown, or it is already undone.
   */
  undo(checkinId: string, u: UndoRequest): void {
    if (u.reason.trim() === '') throw new InputError(`undo ${checkinId}: reason: expected why the check-in is undone`);
    if (u.operator.trim() === '') throw new InputError(`undo ${checkinId}: operator: expected the staff member who undoes it`);
    this.undoTx(checkinId, u);
  }

  private undoInside(checkinId: string, u: UndoRequest): void {
    const stored = this.byId.get(checkinId);
    if (!stored) throw new InputError(`undo ${checkinId}: no such check-in`);
    if (stored.undone_by !== null) throw new InputError(`undo ${checkinId}: already undone (${stored.undone_by})`);
    const atMs = Math.round(this.clock.now());
    const undoId = `undo:${checkinId}`;
    this.db
      .prepare('INSERT INTO checkin_undos (id, checkin_id, at_ms, operator, device, reason) VALUES (?, ?, ?, ?, ?, ?)')
      .run(undoId, checkinId, atMs, u.operator.trim(), u.device, u.reason.trim());
    this.db.prepare('UPDATE checkins SET undone_by = ? WHERE id = ?').run(undoId, checkinId);
    writeAudit(this.db, {
      atMs,
      actor: u.operator.trim(),
      device: u.device,
      action: 'checkin.undo',
      detail: { checkinId, code: stored.code, reason: u.reason.trim() },
    });
  }

  /** Delegates present now (an active check-in each) out of all delegates. */
  presence(): Presence {
    const row = this.db
      .prepare<[], Presence>(
        'SELECT (SELECT count(*) FROM checkins WHERE undone_by IS NULL) AS present, (SELECT count(*) FROM delegates) AS total',
      )
      .get()!;
    return { present: row.present, total: row.total };
  }

  /** Presence per delegation, by delegation name. */
  presenceByDelegation(): DelegationPresence[] {
    return this.db
      .prepare<[], DelegationPresence>(
        `SELECT d.delegation AS delegation, count(c.id) AS present, count(*) AS total
         FROM delegates d LEFT JOIN checkins c ON c.code = d.code AND c.undone_by IS NULL
         GROUP BY d.delegation ORDER BY d.delegation`,
      )
      .all();
  }

  /** Codes of delegates without an active check-in, by code. */
  absent(): string[] {
    return this.db
      .prepare<[], { code: string }>(
        'SELECT code FROM delegates WHERE code NOT IN (SELECT code FROM checkins WHERE undone_by IS NULL) ORDER BY code',
      )
      .all()
      .map((r) => r.code);
  }

  isPresent(code: string): boolean {
    return this.activeByCode.get(code) !== undefined;
  }

  activeCheckIn(code: string): CheckInRecord | undefined {
    const row = this.activeByCode.get(code);
    return row ? record(row) : undefined;
  }

  /** A check-in by id, active or undone, with the id of its undo if any. */
  get(checkinId: string): (CheckInRecord & { readonly undoneBy: string | null }) | undefined {
    const row = this.byId.get(checkinId);
    return row ? { ...record(row), undoneBy: row.undone_by } : undefined;
  }

  /** The newest `limit` active check-ins, newest first. */
  recent(limit = 20): CheckInRecord[] {
    return this.db
      .prepare<[number], CheckInRow>(`SELECT ${checkinColumns} FROM checkins WHERE undone_by IS NULL ORDER BY at_ms DESC, rowid DESC LIMIT ?`)
      .all(limit)
      .map(record);
  }

  /** Repeat scans of `code` while present, oldest first. */
  attempts(code: string): CheckInAttempt[] {
    return this.db
      .prepare<[string], AttemptRow>('SELECT request_id, code, at_ms, source, device, gate, first_checkin_id FROM checkin_attempts WHERE code = ? ORDER BY at_ms, rowid')
      .all(code)
      .map((r) => ({ id: r.request_id, code: r.code, atMs: r.at_ms, source: r.source, device: r.device, gate: r.gate, firstCheckinId: r.first_checkin_id }));
  }
}
