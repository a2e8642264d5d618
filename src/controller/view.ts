/**
 * What the kiosk and the staff page show, derived from the statechart's snapshot.
 * Tagged unions cross the WebSocket (STYLE 4); the browser switches on `screen`/`type`.
 */
import type { Presence } from '../attendance/types.ts';
import type { NavFeedback, Pose2D } from '../robot/robot-port.ts';
import type { Problem } from '../shared/problems.ts';
import type { EscortTarget, FaceAdvice, ReceptionDelegate, RefusalReason, StaffQuestionReason } from '../../statecharts/reception-types.ts';
import type { ReceptionContext } from '../../statecharts/reception.ts';
import type { RobotMode } from '../../statecharts/robot-modes.ts';

export type KioskScreen =
  /** Idle: "hold up your badge". */
  | { readonly screen: 'attract'; readonly checkIn: boolean }
  | { readonly screen: 'identifying' }
  | { readonly screen: 'greeting'; readonly delegate: ReceptionDelegate; readonly earlier: { readonly atMs: number; readonly gate: string } | null }
  | { readonly screen: 'help'; readonly delegate: ReceptionDelegate | null }
  | { readonly screen: 'escorting'; readonly delegate: ReceptionDelegate | null; readonly target: EscortTarget; readonly phase: 'announcing' | 'leading' | 'arrived'; readonly progress: NavFeedback | null }
  | { readonly screen: 'refusal'; readonly reason: RefusalReason }
  /** Waiting for a member of staff (a face not certain enough, or a badge that does not match its holder's face). */
  | { readonly screen: 'staff-called' }
  /** The face was not recognised with certainty: "please hold up your badge". */
  | { readonly screen: 'show-badge' }
  /** The camera cannot use the face: step closer / back, one at a time, look at the camera, hold still. */
  | { readonly screen: 'advice'; readonly advice: FaceAdvice }
  | { readonly screen: 'returning'; readonly problem: string | null }
  | { readonly screen: 'stranded'; readonly problem: string | null }
  | { readonly screen: 'stopped' }
  /** Standby, maintenance, docking, performance: the kiosk shows information only. */
  | { readonly screen: 'unavailable'; readonly mode: RobotMode };

export interface RobotStatus {
  readonly pose: Pose2D;
  readonly speedMps: number;
  readonly stopped: boolean;
  readonly battery: number;
}

/**
 * What staff are asked to confirm with one tap. The candidate is who the face resembles
 * (grey zone) or whose badge was shown (mismatch); no photo is ever shown or stored.
 */
export interface StaffQuestionView {
  readonly reason: StaffQuestionReason;
  readonly candidate: { readonly code: string; readonly fullName: string; readonly delegation: string; readonly seat: string } | null;
}

export interface ControllerView {
  readonly event: { readonly id: string; readonly name: { readonly vi: string; readonly en: string } };
  readonly mode: RobotMode;
  /** The statechart's active state path, e.g. ['reception', 'escorting', 'leading']. */
  readonly statePath: readonly string[];
  readonly stoppedBy: string | null;
  readonly screen: KioskScreen;
  readonly presence: Presence;
  readonly robot: RobotStatus;
  readonly problems: readonly Problem[];
  /** Set while the robot waits for staff (askingStaff). */
  readonly staffQuestion: StaffQuestionView | null;
}

/** Flattens an XState state value into a path: { a: { b: 'c' } } → ['a', 'b', 'c']. */
export function statePath(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (value && typeof value === 'object') {
    const [key, inner] = Object.entries(value as Record<string, unknown>)[0] ?? [];
    return key === undefined ? [] : [key, ...statePath(inner)];
  }
  return [];
}

/** The kiosk screen for the robot's state path and the reception's context. */
export function kioskScreen(path: readonly string[], mode: RobotMode, reception: ReceptionContext | null, progress: NavFeedback | null): KioskScreen {
  if (path[0] === 'stopped') return { screen: 'stopped' };
  if ((path[0] !== 'reception' && path[0] !== 'guide') || !reception) return { screen: 'unavailable', mode };
  const [state, sub] = path.slice(1);
  switch (state) {
    case 'identifying':
      return { screen: 'identifying' };
    case 'greeting':
    case 'tellingAlreadyCheckedIn':
      return reception.delegate ? { screen: 'greeting', delegate: reception.delegate, earlier: reception.earlier } : { screen: 'identifying' };
    case 'refusing':
      return { screen: 'refusal', reason: reception.refusal ?? 'unreadable' };
    case 'askingStaff':
      return { screen: 'staff-called' };
    case 'askingForBadge':
      return { screen: 'show-badge' };
    case 'advising':
      return reception.advice ? { screen: 'advice', advice: reception.advice } : { screen: 'show-badge' };
    case 'offeringHelp':
      return { screen: 'help', delegate: reception.delegate };
    case 'escorting':
      return {
        screen: 'escorting',
        delegate: reception.delegate,
        target: reception.escort ?? { kind: 'post' },
        phase: sub === 'leading' || sub === 'arrived' ? sub : 'announcing',
        progress: sub === 'leading' ? progress : null,
      };
    case 'apologising':
    case 'returning':
    case 'waitingToRetryReturn':
      return { screen: 'returning', problem: reception.navProblem };
    case 'stranded':
      return { screen: 'stranded', problem: reception.navProblem };
    default:
      return { screen: 'attract', checkIn: reception.checkIn };
  }
}
