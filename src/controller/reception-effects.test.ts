/**
 * identify on the real demo hall, a real SQLite store and real badge tokens: every
 * outcome the reception statechart branches on, for badges, faces (with the face verdict a
 * face pipeline would give) and staff confirmations; and the real reception statechart
 * running on it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActor, fromPromise, SimulatedClock } from 'xstate';
import { Ledger } from '../attendance/ledger.ts';
import { revocationCheck, revokeBadge } from '../badges/revocations.ts';
import { signBadge } from '../badges/token.ts';
import { demoDelegates, seatsFrontToBack } from '../delegates/demo-data.ts';
import { DelegateRepository } from '../delegates/repository.ts';
import { DEMO_BADGE_KEY_HEX } from '../event/config.ts';
import { scaledClock } from '../shared/clock.ts';
import { repoRoot } from '../shared/paths.ts';
import { inputErrorOf } from '../shared/test-support.ts';
import { readAudit } from '../store/audit.ts';
import { openStore, type Store } from '../store/sqlite-store.ts';
import { loadVenue } from '../venue/load-venue.ts';
import type { Venue } from '../venue/types.ts';
import type { IdentifyInput, IdentifyOutcome } from '../../statecharts/reception-types.ts';
import { receptionMachine } from '../../statecharts/reception.ts';
import { receptionStubs, settle } from '../../statecharts/test-actors.ts';
import type { FaceVerdict } from '../faces/face-watcher.ts';
import { escortPose, identify, type IdentifyDeps } from './reception-effects.ts';

const key = Buffer.from(DEMO_BADGE_KEY_HEX, 'hex');
let dir: string;
let store: Store;
let venue: Venue;
let deps: IdentifyDeps;
let ids = 0;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'letan-identify-'));
  venue = await loadVenue(join(repoRoot, 'maps/demo-hall'));
  store = openStore(join(dir, 'letan.sqlite'));
  const delegates = new DelegateRepository(store.db);
  delegates.replaceAll(demoDelegates(seatsFrontToBack(venue), 20));
  deps = {
    eventId: 'DEMO',
    badgeKey: key,
    delegates,
    ledger: new Ledger(store.db, scaledClock(1)),
    venue,
    device: 'robot-1',
    gate: 'A',
    newCheckInId: () => `test-${++ids}`,
    isRevoked: revocationCheck(store.db),
  };
});

afterAll(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

const badgeOf = (code: string, eventId = 'DEMO'): string => signBadge({ eventId, code, key });

describe('identify by badge (real store, real tokens)', () => {
  it('checks a valid badge in with the seat split into row and number', () => {
    const outcome = identify(deps, { by: 'badge', text: badgeOf('D-0001'), seenAtMs: 0 });
    expect(outcome).toMatchObject({ kind: 'checked-in', delegate: { code: 'D-0001', seat: 'A-1', row: 'A', seatNumber: 1 } });
    expect(deps.ledger.isPresent('D-0001')).toBe(true);
  });

  it('answers a second showing with the first check-in, not a new one', () => {
    const outcome = identify(deps, { by: 'badge', text: badgeOf('D-0001'), seenAtMs: 0 });
    expect(outcome).toMatchObject({ kind: 'already-checked-in', firstGate: 'A' });
    expect(deps.ledger.presence().present).toBe(1);
  });

  it('refuses forged, other-event, unknown and non-badge codes with their reasons, checking nobody in', () => {
    const genuine = badgeOf('D-0002');
    expect(identify(deps, { by: 'badge', text: `${genuine.slice(0, -1)}${genuine.endsWith('A') ? 'B' : 'A'}`, seenAtMs: 0 })).toEqual({ kind: 'refused', reason: 'forged' });
    expect(identify(deps, { by: 'badge', text: badgeOf('D-0002', 'OTHER'), seenAtMs: 0 })).toEqual({ kind: 'refused', reason: 'other-event' });
    expect(identify(deps, { by: 'badge', text: badgeOf('D-9999'), seenAtMs: 0 })).toEqual({ kind: 'refused', reason: 'unknown-delegate' });
    expect(identify(deps, { by: 'badge', text: 'https://example.org/', seenAtMs: 0 })).toEqual({ kind: 'refused', reason: 'not-a-badge' });
    expect(deps.ledger.presence().present).toBe(1);
  });

  it('refuses a revoked badge from the moment it is revoked, and audits the revocation', () => {
    revokeBadge(store.db, { code: 'D-0003', reason: 'lost at the entrance', operator: 'Lan', device: 'desk', atMs: 1 });
    expect(identify(deps, { by: 'badge', text: badgeOf('D-0003'), seenAtMs: 0 })).toEqual({ kind: 'refused', reason: 'revoked' });
    expect(readAudit(store.db, 1)[0]).toMatchObject({ actor: 'operator:Lan', action: 'badge.revoke', detail: { code: 'D-0003' } });
    expect(inputErrorOf(() => revokeBadge(store.db, { code: 'D-9999', reason: 'x', operator: 'Lan', device: 'desk', atMs: 1 })).message).toBe('no delegate with code D-9999');
    expect(inputErrorOf(() => revokeBadge(store.db, { code: 'D-0004', reason: ' ', operator: 'Lan', device: 'desk', atMs: 1 })).message).toContain('--reason');
  });

  it('finds the escort poses: the row aisle for a seat, POIs by kind, and says why when it cannot', () => {
    const delegate = { ...deps.delegates.byCode('D-0001')!, row: 'A', seatNumber: 1 };
    expect(escortPose(venue, { target: { kind: 'seat' }, delegate })).toEqual({ ok: true, pose: venue.row('A')!.aislePose });
    expect(escortPose(venue, { target: { kind: 'poi', poi: 'lift' } })).toEqual({ ok: true, pose: venue.poi('lift')!.pose });
    expect(escortPose(venue, { target: { kind: 'seat' } })).toEqual({ ok: false, reason: 'no delegate to take to a seat' });
    expect(escortPose(venue, { target: { kind: 'seat' }, delegate: { ...delegate, row: 'ZZ' } })).toEqual({ ok: false, reason: 'row ZZ is not in venue demo-hall' });
  });
});

/** Check-ins and repeat-scan attempts stored so far: "no ledger write" means neither changes. */
function ledgerRows(): { checkins: number; attempts: number } {
  const count = (table: string): number => store.db.prepare<[], { n: number }>(`SELECT count(*) AS n FROM ${table}`).get()?.n ?? 0;
  return { checkins: count('checkins'), attempts: count('checkin_attempts') };
}

const withFace = (verdict: FaceVerdict, seen: string[] = []): IdentifyDeps => ({
  ...deps,
  faceVerdictFor: (code) => {
    seen.push(code);
    return verdict;
  },
});

describe('identify: badge and face fused, face alone, staff confirmation (real store)', () => {
  it('checks a badge in as `both` when the face in view is its delegate, and as `badge` when there is no usable face', () => {
    const asked: string[] = [];
    expect(identify(withFace('match', asked), { by: 'badge', text: badgeOf('D-0005'), seenAtMs: 0 })).toMatchObject({
      kind: 'checked-in',
      source: 'both',
      delegate: { code: 'D-0005' },
    });
    expect(asked).toEqual(['D-0005']);
    expect(deps.ledger.activeCheckIn('D-0005')).toMatchObject({ source: 'both', confidence: 1, operator: null });

    expect(identify(withFace('unknown'), { by: 'badge', text: badgeOf('D-0006'), seenAtMs: 0 })).toMatchObject({ kind: 'checked-in', source: 'badge' });
    expect(deps.ledger.activeCheckIn('D-0006')).toMatchObject({ source: 'badge' });
  });

  it('checks nobody in and asks for staff when a valid badge is held by someone whose face is clearly not its delegate', () => {
    const before = ledgerRows();
    expect(identify(withFace('mismatch'), { by: 'badge', text: badgeOf('D-0007'), seenAtMs: 0 })).toMatchObject({
      kind: 'needs-staff',
      reason: 'badge-face-mismatch',
      delegate: { code: 'D-0007' },
    });
    expect(deps.ledger.isPresent('D-0007')).toBe(false);
    expect(ledgerRows()).toEqual(before);
  });

  it('refuses an invalid badge before looking at any face', () => {
    const asked: string[] = [];
    expect(identify(withFace('match', asked), { by: 'badge', text: badgeOf('D-9999'), seenAtMs: 0 })).toEqual({ kind: 'refused', reason: 'unknown-delegate' });
    expect(identify(withFace('match', asked), { by: 'badge', text: badgeOf('D-0003'), seenAtMs: 0 })).toEqual({ kind: 'refused', reason: 'revoked' });
    expect(asked).toEqual([]);
  });

  it('checks a confidently identified face in with its score as the confidence (clamped to 0..1), and answers a second time with the first check-in', () => {
    expect(identify(deps, { by: 'face', code: 'D-0008', score: 0.87, seenAtMs: 0 })).toMatchObject({ kind: 'checked-in', source: 'face', delegate: { code: 'D-0008' } });
    expect(deps.ledger.activeCheckIn('D-0008')).toMatchObject({ source: 'face', confidence: 0.87 });
    expect(identify(deps, { by: 'face', code: 'D-0009', score: 1.4, seenAtMs: 0 })).toMatchObject({ kind: 'checked-in', source: 'face' });
    expect(deps.ledger.activeCheckIn('D-0009')?.confidence).toBe(1);
    expect(identify(deps, { by: 'face', code: 'D-0010', score: Number.NaN, seenAtMs: 0 })).toMatchObject({ kind: 'checked-in', source: 'face' });
    expect(deps.ledger.activeCheckIn('D-0010')?.confidence).toBe(0);
    expect(identify(deps, { by: 'face', code: 'D-0008', score: 0.9, seenAtMs: 0 })).toMatchObject({ kind: 'already-checked-in', firstGate: 'A' });
  });

  it('refuses a face code that is not a delegate, and does not apply badge revocation to a face (it stops a lost badge, not its delegate)', () => {
    const before = ledgerRows();
    expect(identify(deps, { by: 'face', code: 'D-9999', score: 0.99, seenAtMs: 0 })).toEqual({ kind: 'refused', reason: 'unknown-delegate' });
    expect(ledgerRows()).toEqual(before);
    expect(identify(deps, { by: 'face', code: 'D-0003', score: 0.95, seenAtMs: 0 })).toMatchObject({ kind: 'checked-in', source: 'face' });
  });

  it("checks a staff member's confirmation in as manual with the operator's name", () => {
    expect(identify(deps, { by: 'staff', code: 'D-0011', operator: 'Lan' })).toMatchObject({ kind: 'checked-in', source: 'manual', delegate: { code: 'D-0011' } });
    expect(deps.ledger.activeCheckIn('D-0011')).toMatchObject({ source: 'manual', operator: 'Lan', confidence: null });
    expect(identify(deps, { by: 'staff', code: 'D-9999', operator: 'Lan' })).toEqual({ kind: 'refused', reason: 'unknown-delegate' });
  });
});

describe('the reception statechart on the real identify effect', () => {
  function startReception(identifyDeps: IdentifyDeps) {
    const stubs = receptionStubs();
    const real = fromPromise<IdentifyOutcome, IdentifyInput>(({ input }) => Promise.resolve(identify(identifyDeps, input)));
    const actor = createActor(receptionMachine.provide({ actors: { ...stubs.actors, identify: real } }), {
      input: { checkIn: true },
      clock: new SimulatedClock(),
    }).start();
    return { actor, ...stubs };
  }

  it('greets a delegate seen only by face, checked in as `face`', async () => {
    const { actor } = startReception(deps);
    actor.send({ type: 'FACE_IDENTIFIED', code: 'D-0012', score: 0.93, seenAtMs: 0 });
    await settle();
    expect(actor.getSnapshot().value).toBe('greeting');
    expect(actor.getSnapshot().context).toMatchObject({ checkInSource: 'face', delegate: { code: 'D-0012' } });
    expect(deps.ledger.activeCheckIn('D-0012')?.source).toBe('face');
  });

  it('greets a badge matched by the face as `both`', async () => {
    const { actor } = startReception(withFace('match'));
    actor.send({ type: 'BADGE_READ', text: badgeOf('D-0013'), seenAtMs: 0 });
    await settle();
    expect(actor.getSnapshot().value).toBe('greeting');
    expect(actor.getSnapshot().context.checkInSource).toBe('both');
    expect(deps.ledger.activeCheckIn('D-0013')?.source).toBe('both');
  });

  it('asks staff about a badge held by someone else, storing nothing, then checks in manually when staff confirm', async () => {
    const { actor, speak } = startReception(withFace('mismatch'));
    const before = ledgerRows();
    actor.send({ type: 'BADGE_READ', text: badgeOf('D-0014'), seenAtMs: 0 });
    await settle();
    expect(actor.getSnapshot().value).toEqual({ askingStaff: 'explaining' });
    expect(actor.getSnapshot().context.staffQuestion).toEqual({ reason: 'badge-face-mismatch', candidate: 'D-0014' });
    expect(speak.last().input).toEqual({ phrase: 'staff_called' });
    expect(ledgerRows()).toEqual(before);
    expect(deps.ledger.isPresent('D-0014')).toBe(false);

    actor.send({ type: 'STAFF_CONFIRMED', code: 'D-0014', operator: 'Lan' });
    await settle();
    expect(actor.getSnapshot().value).toBe('greeting');
    expect(actor.getSnapshot().context.checkInSource).toBe('manual');
    expect(deps.ledger.activeCheckIn('D-0014')).toMatchObject({ source: 'manual', operator: 'Lan' });
  });
});
