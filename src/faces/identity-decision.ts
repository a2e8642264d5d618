import type { Candidate } from './face-matcher.ts';
import { ACCEPT_SCORE, GREY_SCORE, MARGIN, MIN_AGREEING_FRAMES } from './identity-policy.ts';

/**
 * The open-set decision for one person in front of the camera. A name is said only when
 * `identified`; anything short of it is `unsure` (staff confirm or the badge) or `unknown`
 * (nobody enrolled is close: ask for the badge).
 */
export type FaceDecision =
  | { readonly kind: 'identified'; readonly code: string; readonly score: number; readonly margin: number; readonly frames: number }
  | { readonly kind: 'unsure'; readonly candidate: string; readonly score: number; readonly margin: number; readonly frames: number; readonly why: UnsureWhy }
  | { readonly kind: 'unknown'; readonly score: number; readonly frames: number };

export type UnsureWhy = 'below-threshold' | 'look-alike' | 'close-second' | 'frames-disagree' | 'more-frames-needed';

export interface DecisionInput {
  /** The gallery ranked against the mean feature of all the person's frames (best first). */
  readonly fused: readonly Candidate[];
  /** Each frame's best candidate code, in order. */
  readonly frameTops: readonly string[];
  /** Frames that must agree before a name is said (1 for a single photo). */
  readonly minFrames?: number;
}

/**
 * Identified only when the fused best score clears the threshold (the per-person one from the
 * gallery audit when higher), leads the second best by MARGIN, and at least `minFrames` frames
 * each put the same person first with no frame disagreeing.
 */
export function decideIdentity(input: DecisionInput): FaceDecision {
  const [best, second] = input.fused;
  const frames = input.frameTops.length;
  if (!best) return { kind: 'unknown', score: 0, frames };
  const margin = best.score - (second?.score ?? 0);
  if (best.score < GREY_SCORE) return { kind: 'unknown', score: best.score, frames };
  const unsure = (why: UnsureWhy): FaceDecision => ({ kind: 'unsure', candidate: best.code, score: best.score, margin, frames, why });
  if (best.score < ACCEPT_SCORE) return unsure('below-threshold');
  if (best.minScore !== null && best.score < best.minScore) return unsure('look-alike');
  if (margin < MARGIN) return unsure('close-second');
  if (input.frameTops.some((code) => code !== best.code)) return unsure('frames-disagree');
  if (frames < (input.minFrames ?? MIN_AGREEING_FRAMES)) return unsure('more-frames-needed');
  return { kind: 'identified', code: best.code, score: best.score, margin, frames };
}
