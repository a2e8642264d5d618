import type { FaceMatcher } from './face-matcher.ts';
import type { FaceMetrics } from './face-quality.ts';
import type { FaceGallery, StoredEnrolment, Threshold } from './gallery.ts';
import {
  ACCEPT_SCORE,
  ENROL_MIN_EYE_DISTANCE_PX,
  LOOKALIKE_MARGIN,
  LOOKALIKE_SCORE,
  MAX_CUT_OFF_SHARE,
  MAX_EAR_ASYMMETRY,
  MAX_NOSE_OFFSET,
  MIN_SHARPNESS,
  RETAKE_MARGIN,
} from './identity-policy.ts';

export interface LookalikePair {
  readonly a: string;
  readonly b: string;
  readonly score: number;
}

export interface RetakeSuggestion {
  readonly code: string;
  /** Why, one phrase per measurement near its gate limit. */
  readonly reasons: readonly string[];
}

/** What `letan faces audit` found. */
export interface GalleryAudit {
  readonly enrolled: number;
  /** Pairs of enrolled delegates compared. */
  readonly pairs: number;
  readonly lookalikeScore: number;
  /** Distribution of the pair scores, or null with fewer than two delegates. */
  readonly scores: { readonly median: number; readonly p99: number; readonly max: number } | null;
  /** Pairs scoring LOOKALIKE_SCORE or more, highest first. */
  readonly lookalikes: readonly LookalikePair[];
  /** The per-person thresholds the audit sets (every delegate of a look-alike pair). */
  readonly thresholds: readonly Threshold[];
  readonly retakes: readonly RetakeSuggestion[];
}

/**
 * The audit of a gallery, computed only: look-alike pairs (pair score ≥ LOOKALIKE_SCORE),
 * per-person thresholds (each delegate of a pair must score max(ACCEPT_SCORE, its highest
 * pair score + LOOKALIKE_MARGIN)) and photos worth retaking (RETAKE_MARGIN).
 */
export function computeAudit(matcher: FaceMatcher, enrolments: readonly StoredEnrolment[]): GalleryAudit {
  const all = matcher.pairs();
  const scores = Float64Array.from(all, (p) => p.score).sort();
  const lookalikes = all.filter((p) => p.score >= LOOKALIKE_SCORE).sort((x, y) => y.score - x.score);
  const partners = new Map<string, LookalikePair[]>();
  for (const p of lookalikes) {
    partners.set(p.a, [...(partners.get(p.a) ?? []), p]);
    partners.set(p.b, [...(partners.get(p.b) ?? []), p]);
  }
  const thresholds = [...partners.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([code, pairs]) => {
      const top = pairs[0]!; // highest first, like `lookalikes`
      const others = pairs.map((p) => `${p.a === code ? p.b : p.a} (${p.score.toFixed(2)})`);
      return {
        code,
        minScore: round3(Math.max(ACCEPT_SCORE, top.score + LOOKALIKE_MARGIN)),
        reason: `look-alike of ${others.join(', ')}`,
      };
    });
  return {
    enrolled: matcher.size,
    pairs: all.length,
    lookalikeScore: LOOKALIKE_SCORE,
    scores: scores.length > 0 ? { median: quantile(scores, 0.5), p99: quantile(scores, 0.99), max: scores[scores.length - 1]! } : null,
    lookalikes,
    thresholds,
    retakes: enrolments.flatMap((e) => {
      const reasons = retakeReasons(e.quality);
      return reasons.length > 0 ? [{ code: e.code, reasons }] : [];
    }),
  };
}

/** Audits `gallery` and stores its thresholds (replacing the previous audit's). */
export function auditGallery(gallery: FaceGallery, actor: string): GalleryAudit {
  const audit = computeAudit(gallery.matcher(), gallery.enrolments());
  gallery.setThresholds(audit.thresholds, actor);
  return audit;
}

/** Gate measurements of an enrolled photo within RETAKE_MARGIN of their limit. */
export function retakeReasons(m: FaceMetrics): string[] {
  const near = 1 - RETAKE_MARGIN;
  const far = 1 + RETAKE_MARGIN;
  const out: string[] = [];
  if (m.eyeDistancePx < ENROL_MIN_EYE_DISTANCE_PX * far) out.push(`small face (${m.eyeDistancePx.toFixed(0)} px between the eyes)`);
  if (Math.abs(m.noseOffset) > MAX_NOSE_OFFSET * near || Math.abs(m.earAsymmetry) > MAX_EAR_ASYMMETRY * near) out.push('face partly turned away');
  if (m.cutOffShare > MAX_CUT_OFF_SHARE * near) out.push('face at the edge of the photo');
  if (m.sharpness < MIN_SHARPNESS * far) out.push(`soft focus (sharpness ${m.sharpness.toFixed(3)})`);
  return out;
}

function quantile(sorted: Float64Array, q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * (sorted.length - 1)))]!;
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
