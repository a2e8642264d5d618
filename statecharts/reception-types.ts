/**
 * Data the reception statechart exchanges with its actors. Plain data only:
 * the machine decides WHAT to say and WHERE to go; the controller knows HOW.
 */
import type { CheckInSource } from '../src/attendance/types.ts';
import type { PublicDelegate } from '../src/delegates/types.ts';

/** The delegate being served, with where their seat is. */
export interface ReceptionDelegate extends PublicDelegate {
  readonly row: string;
  readonly seatNumber: number;
}

/** Why a badge was not accepted (each has its own polite phrase). */
export type RefusalReason = 'not-a-badge' | 'unsupported-version' | 'other-event' | 'forged' | 'revoked' | 'unknown-delegate' | 'unreadable';

/** What the camera asks of a person whose face it sees but cannot use (one spoken line each). */
export type FaceAdvice = 'step-closer' | 'step-back' | 'one-at-a-time' | 'look-at-camera' | 'hold-still';

/** Why the robot called staff; the staff tablet shows it with the candidate to confirm. */
export type StaffQuestionReason = 'face-grey-zone' | 'badge-face-mismatch';

export interface StaffQuestion {
  readonly reason: StaffQuestionReason;
  /** Code of the delegate staff are asked to confirm (the face's best match, or the badge's delegate); null when there is none. */
  readonly candidate: string | null;
}

/** What to identify someone by: a badge, a confident face match, or a staff member's confirmation. */
export type IdentifyInput =
  | {
      readonly by: 'badge';
      /** The badge's QR text. */
      readonly text: string;
      /** Clock time the badge was first seen (for latency accounting). */
      readonly seenAtMs: number;
    }
  | {
      /** A confident identification over several frames (src/faces decides what is confident). */
      readonly by: 'face';
      readonly code: string;
      /** Match score, 0..1 (stored as the check-in's confidence). */
      readonly score: number;
      readonly seenAtMs: number;
    }
  | {
      /** One tap on the staff tablet: "yes, this is delegate `code`". */
      readonly by: 'staff';
      readonly code: string;
      readonly operator: string;
    };

export type IdentifyOutcome =
  | {
      readonly kind: 'checked-in';
      readonly delegate: ReceptionDelegate;
      readonly checkInId: string;
      /** What the check-in rests on: the badge, the face, both agreeing, or staff (manual). */
      readonly source: CheckInSource;
    }
  | { readonly kind: 'already-checked-in'; readonly delegate: ReceptionDelegate; readonly firstAtMs: number; readonly firstGate: string }
  | { readonly kind: 'refused'; readonly reason: RefusalReason }
  /**
   * A valid badge, but the face in front of the camera is clearly someone else's (possibly a
   * shared badge). Nobody is checked in; staff decide. `delegate` is the badge's delegate.
   */
  | { readonly kind: 'needs-staff'; readonly reason: 'badge-face-mismatch'; readonly delegate: ReceptionDelegate };

/** Where a delegate can ask to be taken. */
export type EscortTarget =
  | { readonly kind: 'seat' }
  | { readonly kind: 'poi'; readonly poi: 'lift' | 'restroom' | 'exit' | 'staff-desk' | 'stage' }
  | { readonly kind: 'post' };

export type PhraseKey =
  | 'greeting'
  | 'already_checked_in'
  | 'refusal'
  | 'offer_help'
  | 'escort_start'
  | 'arrived'
  | 'nav_aborted'
  /** "Please hold your delegate badge up to the camera." */
  | 'ask_badge'
  /** "Please wait a moment; staff will help you." The same words whatever the reason: never accusing. */
  | 'staff_called'
  /** One line per FaceAdvice (`advice`). */
  | 'advice';

export interface SpeakInput {
  readonly phrase: PhraseKey;
  readonly delegate?: ReceptionDelegate | null;
  readonly earlier?: { readonly atMs: number; readonly gate: string } | null;
  readonly refusal?: RefusalReason | null;
  readonly escort?: EscortTarget | null;
  /** For `advice`: which one. */
  readonly advice?: FaceAdvice | null;
}

export interface NavigateInput {
  readonly target: EscortTarget;
  /** Whose seat, when the target is `seat`. */
  readonly delegate?: ReceptionDelegate | null;
}
