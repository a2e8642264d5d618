/**
 * The reception statechart's effects, implemented on the ports: this is the one
 * straight path of a delegate's data — badge text, face or staff tap → identity → ledger → greeting
 * → seat → escort. Each function is the body of one actor the machine declares.
 */
import type { Ledger } from '../attendance/ledger.ts';
import type { CheckInRequest } from '../attendance/types.ts';
import { verifyBadge } from '../badges/token.ts';
import type { DelegateRepository } from '../delegates/repository.ts';
import type { Delegate } from '../delegates/types.ts';
import type { FaceVerdict } from '../faces/face-watcher.ts';
import type { NavigateOptions, NavOutcome, Pose2D, RobotPort } from '../robot/robot-port.ts';
import type { Venue } from '../venue/types.ts';
import type { IdentifyInput, IdentifyOutcome, NavigateInput, ReceptionDelegate } from '../../statecharts/reception-types.ts';


export interface IdentifyDeps {
  readonly eventId: string;
  readonly badgeKey: Buffer;
  readonly delegates: DelegateRepository;
  readonly ledger: Ledger;
  readonly venue: Venue;
  readonly device: string;
  readonly gate: string;
  /** A fresh idempotency key per check-in attempt. */
  readonly newCheckInId: () => string;
  readonly isRevoked: (code: string) => boolean;
  /** The face in view against a badge's delegate; absent (no face pipeline) counts as `unknown`. */
  readonly faceVerdictFor?: (code: string) => FaceVerdict;
}

/** Seat `C-14` → row `C`, number 14 (from the venue when it knows the seat). */
export function receptionDelegate(delegate: Delegate, venue: Venue): ReceptionDelegate {
  const seat = venue.seat(delegate.seat);
  const match = /^([A-Z]+)-(\d+)$/.exec(delegate.seat);
  return {
    code: delegate.code,
    fullName: delegate.fullName,
    title: delegate.title,
    delegation: delegate.delegation,
    seat: delegate.seat,
    language: delegate.language,
    needs: delegate.needs,
    row: seat?.row ?? match?.[1] ?? '',
    seatNumber: seat?.number ?? Number(match?.[2] ?? 0),
  };
}

/**
 * Identifies the person and checks them in. Resolves only after the check-in is durably
 * stored, so the greeting never precedes the record. Never guesses:
 * - badge: anything not a valid, current badge of a known delegate is a refusal with its
 *   reason. A valid badge is fused with the face in view (`faceVerdictFor`): the same person →
 *   source `both`; clearly someone else → `needs-staff` and nobody is checked in (a shared
 *   badge is for staff to judge, not the robot); no usable face → source `badge`.
 * - face: the caller vouches that the identification is confident (several frames, above the
 *   threshold); an unknown code is refused. Badge revocation does not apply: it stops a lost
 *   badge, not its delegate.
 * - staff: a staff member's confirmation, recorded as a manual check-in with their name.
 */
export function identify(deps: IdentifyDeps, input: IdentifyInput): IdentifyOutcome {
  switch (input.by) {
    case 'badge': {
      const verdict = verifyBadge(input.text, { eventId: deps.eventId, key: deps.badgeKey, isRevoked: deps.isRevoked });
      if (!verdict.ok) return { kind: 'refused', reason: verdict.reason };
      const delegate = deps.delegates.byCode(verdict.code);
      if (!delegate) return { kind: 'refused', reason: 'unknown-delegate' };
      const face = deps.faceVerdictFor?.(delegate.code) ?? 'unknown';
      if (face === 'mismatch') return { kind: 'needs-staff', reason: 'badge-face-mismatch', delegate: receptionDelegate(delegate, deps.venue) };
      return checkIn(deps, delegate, { source: face === 'match' ? 'both' : 'badge', confidence: 1 });
    }
    case 'face': {
      const delegate = deps.delegates.byCode(input.code);
      if (!delegate) return { kind: 'refused', reason: 'unknown-delegate' };
      return checkIn(deps, delegate, { source: 'face', confidence: clampScore(input.score) });
    }
    case 'staff': {
      const delegate = deps.delegates.byCode(input.code);
      if (!delegate) return { kind: 'refused', reason: 'unknown-delegate' };
      return checkIn(deps, delegate, { source: 'manual', operator: input.operator });
    }
    default: {
      const unreachable: never = input;
      return unreachable;
    }
  }
}

/** A face score as a check-in confidence: 0..1 (not a number → 0). */
function clampScore(score: number): number {
  return Number.isFinite(score) ? Math.min(1, Math.max(0, score)) : 0;
}

function checkIn(
  deps: IdentifyDeps,
  delegate: Delegate,
  how: Pick<CheckInRequest, 'source' | 'confidence' | 'operator'>,
): IdentifyOutcome {
  const result = deps.ledger.checkIn({ id: deps.newCheckInId(), code: delegate.code, device: deps.device, gate: deps.gate, ...how });
  switch (result.status) {
    case 'checked-in':
      return { kind: 'checked-in', delegate: receptionDelegate(delegate, deps.venue), checkInId: result.record.id, source: result.record.source };
    case 'already':
      return { kind: 'already-checked-in', delegate: receptionDelegate(delegate, deps.venue), firstAtMs: result.first.atMs, firstGate: result.first.gate };
    case 'unknown-delegate':
      return { kind: 'refused', reason: 'unknown-delegate' };
    default: {
      const unreachable: never = result;
      return unreachable;
    }
  }
}

/** Where an escort target is on the map, or a reason why there is no such place. */
export function escortPose(venue: Venue, input: NavigateInput): { ok: true; pose: Pose2D } | { ok: false; reason: string } {
  const { target } = input;
  switch (target.kind) {
    case 'post': {
      const post = venue.poi('reception-post');
      return post ? { ok: true, pose: post.pose } : { ok: false, reason: `venue ${venue.id} has no reception-post POI` };
    }
    case 'poi': {
      const poi = venue.poi(target.poi);
      return poi ? { ok: true, pose: poi.pose } : { ok: false, reason: `venue ${venue.id} has no ${target.poi} POI` };
    }
    case 'seat': {
      if (!input.delegate) return { ok: false, reason: 'no delegate to take to a seat' };
      const row = venue.row(input.delegate.row);
      return row ? { ok: true, pose: row.aislePose } : { ok: false, reason: `row ${input.delegate.row} is not in venue ${venue.id}` };
    }
    default: {
      const unreachable: never = target;
      return unreachable;
    }
  }
}

/** Drives to an escort target; a target the venue lacks ends aborted/unreachable (never throws). */
export async function navigateTo(robot: RobotPort, venue: Venue, input: NavigateInput, options: NavigateOptions): Promise<NavOutcome> {
  const where = escortPose(venue, input);
  if (!where.ok) return { status: 'aborted', code: 'unreachable', reason: where.reason };
  return robot.navigateTo(where.pose, options);
}
