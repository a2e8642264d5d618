/**
 * identifyBadge on the real demo hall, a real SQLite store and real badge tokens:
 * every badge outcome the reception statechart branches on.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
import { escortPose, identifyBadge, type IdentifyDeps } from './reception-effects.ts';

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

describe('identifyBadge (real store, real tokens)', () => {
  it('checks a valid badge in with the seat split into row and number', () => {
    const outcome = identifyBadge(deps, { text: badgeOf('D-0001'), seenAtMs: 0 });
    expect(outcome).toMatchObject({ kind: 'checked-in', delegate: { code: 'D-0001', seat: 'A-1', row: 'A', seatNumber: 1 } });
    expect(deps.ledger.isPresent('D-0001')).toBe(true);
  });

  it('answers a second showing with the first check-in, not a new one', () => {
    const outcome = identifyBadge(deps, { text: badgeOf('D-0001'), seenAtMs: 0 });
    expect(outcome).toMatchObject({ kind: 'already-checked-in', firstGate: 'A' });
    expect(deps.ledger.presence().present).toBe(1);
  });

  it('refuses forged, other-event, unknown and non-badge codes with their reasons, checking nobody in', () => {
    const genuine = badgeOf('D-0002');
    expect(identifyBadge(deps, { text: `${genuine.slice(0, -1)}${genuine.endsWith('A') ? 'B' : 'A'}`, seenAtMs: 0 })).toEqual({ kind: 'refused', reason: 'forged' });
    expect(identifyBadge(deps, { text: badgeOf('D-0002', 'OTHER'), seenAtMs: 0 })).toEqual({ kind: 'refused', reason: 'other-event' });
    expect(identifyBadge(deps, { text: badgeOf('D-9999'), seenAtMs: 0 })).toEqual({ kind: 'refused', reason: 'unknown-delegate' });
    expect(identifyBadge(deps, { text: 'https://example.org/', seenAtMs: 0 })).toEqual({ kind: 'refused', reason: 'not-a-badge' });
    expect(deps.ledger.presence().present).toBe(1);
  });

  it('refuses a revoked badge from the moment it is revoked, and audits the revocation', () => {
    revokeBadge(store.db, { code: 'D-0003', reason: 'lost at the entrance', operator: 'Lan', device: 'desk', atMs: 1 });
    expect(identifyBadge(deps, { text: badgeOf('D-0003'), seenAtMs: 0 })).toEqual({ kind: 'refused', reason: 'revoked' });
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
