/**
 * Data the reception statechart exchanges with its actors. Plain data only:
 * the machine decides WHAT to say and WHERE to go; the controller knows HOW.
 */
import type { PublicDelegate } from '../src/delegates/types.ts';

/** The delegate being served, with where their seat is. */
export interface ReceptionDelegate extends PublicDelegate {
  readonly row: string;
  readonly seatNumber: number;
}

/** Why a badge was not accepted (each has its own polite phrase). */
export type RefusalReason = 'not-a-badge' | 'unsupported-version' | 'other-event' | 'forged' | 'revoked' | 'unknown-delegate' | 'unreadable';

export interface IdentifyInput {
  readonly text: string;
  /** Clock time the badge was first seen (for latency accounting). */
  readonly seenAtMs: number;
}

export type IdentifyOutcome =
  | { readonly kind: 'checked-in'; readonly delegate: ReceptionDelegate; readonly checkInId: string }
  | { readonly kind: 'already-checked-in'; readonly delegate: ReceptionDelegate; readonly firstAtMs: number; readonly firstGate: string }
  | { readonly kind: 'refused'; readonly reason: RefusalReason };

/** Where a delegate can ask to be taken. */
export type EscortTarget =
  | { readonly kind: 'seat' }
  | { readonly kind: 'poi'; readonly poi: 'lift' | 'restroom' | 'exit' | 'staff-desk' | 'stage' }
  | { readonly kind: 'post' };

export type PhraseKey = 'greeting' | 'already_checked_in' | 'refusal' | 'offer_help' | 'escort_start' | 'arrived' | 'nav_aborted';

export interface SpeakInput {
  readonly phrase: PhraseKey;
  readonly delegate?: ReceptionDelegate | null;
  readonly earlier?: { readonly atMs: number; readonly gate: string } | null;
  readonly refusal?: RefusalReason | null;
  readonly escort?: EscortTarget | null;
}

export interface NavigateInput {
  readonly target: EscortTarget;
  /** Whose seat, when the target is `seat`. */
  readonly delegate?: ReceptionDelegate | null;
}
