import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { demoDelegates, seatsFrontToBack } from '../delegates/demo-data.ts';
import { DelegateRepository } from '../delegates/repository.ts';
import { scaledClock, type Clock } from '../shared/clock.ts';
import { InputError } from '../shared/errors.ts';
import { readAudit } from '../store/audit.ts';
import { openStore, type Store } from '../store/sqlite-store.ts';
import { smallVenue } from '../../tests/fixtures/delegates/small-venue.ts';
import { Ledger } from './ledger.ts';
import type { CheckInRequest } from './types.ts';

/** A clock that only moves when told: check-in times are then exact. */
function manualClock(startMs: number): Clock & { advance(ms: number): void } {
  let nowMs = startMs;
  return { ...scaledClock(1, startMs), now: () => nowMs, advance: (ms) => (nowMs += ms) };
}

const badge = (id: string, code: string, over: Partial<CheckInRequest> = {}): CheckInRequest => ({ id, code, source: 'badge', device: 'robot-1', gate: 'A', confidence: 1, ...over });

describe('Ledger (real SQLite file)', () => {
  let dir: string;
  let store: Store;
  let clock: ReturnType<typeof manualClock>;
  let ledger: Ledger;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'letan-ledger-'));
    store = openStore(join(dir, 'letan.sqlite'));
    new DelegateRepository(store.db).replaceAll(demoDelegates(seatsFrontToBack(smallVenue()), 20));
    clock = manualClock(1_760_000_000_000);
    ledger = new Ledger(store.db, clock);
  });
  afterEach(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('checks a delegate in and stores every field', () => {
    const r = ledger.checkIn(badge('c1', 'D-0001'));
    expect(r).toEqual({
      status: 'checked-in',
      replayed: false,
      record: { id: 'c1', code: 'D-0001', atMs: 1_760_000_000_000, source: 'badge', device: 'robot-1', gate: 'A', operator: null, confidence: 1 },
    });
    expect(ledger.isPresent('D-0001')).toBe(true);
    expect(ledger.activeCheckIn('D-0001')).toEqual(r.status === 'checked-in' ? r.record : undefined);
    const manual = ledger.checkIn({ id: 'c2', code: 'D-0002', source: 'manual', device: 'tablet-1', gate: 'B', operator: 'Lan' });
    expect(manual.status === 'checked-in' && manual.record).toMatchObject({ source: 'manual', operator: 'Lan', confidence: null, gate: 'B' });
  });

  it('replays the same id as the stored record, never a second row', () => {
    const first = ledger.checkIn(badge('c1', 'D-0001'));
    clock.advance(5_000);
    const again = ledger.checkIn(badge('c1', 'D-0001', { device: 'robot-2' }));
    expect(again).toEqual({ status: 'checked-in', replayed: true, record: first.status === 'checked-in' ? first.record : undefined });
    expect(store.db.prepare<[], { n: number }>('SELECT count(*) AS n FROM checkins').get()!.n).toBe(1);
    expect(ledger.attempts('D-0001')).toEqual([]);
  });

  it('refuses an id reused for another delegate', () => {
    ledger.checkIn(badge('c1', 'D-0001'));
    expect(() => ledger.checkIn(badge('c1', 'D-0002'))).toThrow(/c1: id already used for delegate D-0001, not D-0002/);
    expect(ledger.isPresent('D-0002')).toBe(false);
  });

  it('answers already with the first check-in and logs the attempt once per request id', () => {
    const first = ledger.checkIn(badge('c1', 'D-0003'));
    clock.advance(60_000);
    const second = ledger.checkIn(badge('c2', 'D-0003', { device: 'robot-2', gate: 'B', source: 'face', confidence: 0.9 }));
    expect(second).toEqual({ status: 'already', first: first.status === 'checked-in' ? first.record : undefined });
    ledger.checkIn(badge('c2', 'D-0003', { device: 'robot-2', gate: 'B', source: 'face', confidence: 0.9 }));
    expect(ledger.attempts('D-0003')).toEqual([
      { id: 'c2', code: 'D-0003', atMs: 1_760_000_060_000, source: 'face', device: 'robot-2', gate: 'B', firstCheckinId: 'c1' },
    ]);
    expect(ledger.presence()).toEqual({ present: 1, total: 20 });
  });

  it('reports an unknown delegate and writes nothing', () => {
    expect(ledger.checkIn(badge('c1', 'X-9999'))).toEqual({ status: 'unknown-delegate', code: 'X-9999' });
    expect(store.db.prepare<[], { n: number }>('SELECT count(*) AS n FROM checkins').get()!.n).toBe(0);
  });

  it('undoes with an audited record, then lets the delegate check in again under a new id', () => {
    ledger.checkIn(badge('c1', 'D-0004'));
    clock.advance(1_000);
    ledger.undo('c1', { reason: 'badge of a colleague', operator: 'Lan', device: 'tablet-1' });
    expect(ledger.isPresent('D-0004')).toBe(false);
    expect(ledger.get('c1')).toMatchObject({ id: 'c1', undoneBy: 'undo:c1' });
    expect(store.db.prepare('SELECT checkin_id, at_ms, operator, device, reason FROM checkin_undos').all()).toEqual([
      { checkin_id: 'c1', at_ms: 1_760_000_001_000, operator: 'Lan', device: 'tablet-1', reason: 'badge of a colleague' },
    ]);
    expect(readAudit(store.db, 1)[0]).toEqual({
      atMs: 1_760_000_001_000,
      actor: 'Lan',
      device: 'tablet-1',
      action: 'checkin.undo',
      detail: { checkinId: 'c1', code: 'D-0004', reason: 'badge of a colleague' },
    });
    // The undone id replays as what it was; it does not check the delegate in again.
    expect(ledger.checkIn(badge('c1', 'D-0004'))).toMatchObject({ status: 'checked-in', replayed: true });
    expect(ledger.isPresent('D-0004')).toBe(false);

    const again = ledger.checkIn(badge('c2', 'D-0004'));
    expect(again).toMatchObject({ status: 'checked-in', replayed: false, record: { id: 'c2' } });
    expect(ledger.activeCheckIn('D-0004')?.id).toBe('c2');
  });

  it('refuses an undo without a reason, of an unknown id, or twice', () => {
    ledger.checkIn(badge('c1', 'D-0005'));
    const who = { operator: 'Lan', device: 'tablet-1' };
    expect(() => ledger.undo('c1', { ...who, reason: '  ' })).toThrow(InputError);
    expect(() => ledger.undo('c1', { ...who, reason: '  ' })).toThrow(/reason: expected why/);
    expect(() => ledger.undo('nope', { ...who, reason: 'x' })).toThrow(/nope: no such check-in/);
    ledger.undo('c1', { ...who, reason: 'mistake' });
    expect(() => ledger.undo('c1', { ...who, reason: 'mistake' })).toThrow(/c1: already undone/);
    expect(store.db.prepare<[], { n: number }>('SELECT count(*) AS n FROM checkin_undos').get()!.n).toBe(1);
  });

  it('counts presence overall, by delegation, lists the absent and the most recent', () => {
    for (let n = 1; n <= 6; n++) {
      ledger.checkIn(badge(`c${n}`, `D-${String(n).padStart(4, '0')}`));
      clock.advance(1_000);
    }
    ledger.undo('c6', { reason: 'left the hall', operator: 'Lan', device: 'tablet-1' });
    expect(ledger.presence()).toEqual({ present: 5, total: 20 });
    expect(ledger.absent()).toHaveLength(15);
    expect(ledger.absent()).not.toContain('D-0001');
    expect(ledger.absent()).toContain('D-0006');
    const byDelegation = ledger.presenceByDelegation();
    expect(byDelegation.reduce((s, d) => s + d.present, 0)).toBe(5);
    expect(byDelegation.reduce((s, d) => s + d.total, 0)).toBe(20);
    expect(ledger.recent(3).map((r) => r.id)).toEqual(['c5', 'c4', 'c3']);
  });

  it('rejects a malformed request before touching the store', () => {
    expect(() => ledger.checkIn(badge('', 'D-0001'))).toThrow(/id: expected a non-empty/);
    expect(() => ledger.checkIn(badge('c1', 'D-0001', { confidence: 1.5 }))).toThrow(/confidence 1.5: expected 0..1/);
    expect(ledger.presence().present).toBe(0);
  });

  it('survives closing and reopening the file', () => {
    ledger.checkIn(badge('c1', 'D-0007'));
    store.close();
    store = openStore(join(dir, 'letan.sqlite'));
    const reopened = new Ledger(store.db, clock);
    expect(reopened.isPresent('D-0007')).toBe(true);
    expect(reopened.checkIn(badge('c1', 'D-0007'))).toMatchObject({ replayed: true });
  });
});
