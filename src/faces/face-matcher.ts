import { FEATURE_DIM, meanFeature, type FaceFeature } from './face-features.ts';

/** One enrolled delegate as the matcher sees them. */
export interface GalleryEntry {
  readonly code: string;
  readonly feature: FaceFeature;
  /** Raised acceptance score from the gallery audit (look-alikes), when any. */
  readonly minScore?: number | null;
}

export interface Candidate {
  readonly code: string;
  /** Cosine similarity of the centred, normalised features, -1..1. */
  readonly score: number;
  readonly minScore: number | null;
}

/**
 * Cosine similarity against the whole gallery, after centring every feature by the gallery
 * mean (it removes what all faces share, so scores spread out) and L2 normalisation.
 */
export class FaceMatcher {
  private readonly codes: string[];
  private readonly minScores: (number | null)[];
  /** Row-major, one centred unit vector per entry. */
  private readonly templates: Float32Array;
  readonly mean: FaceFeature;

  /** `mean` defaults to the mean of the entries (what the store keeps up to date). */
  constructor(entries: readonly GalleryEntry[], mean?: FaceFeature) {
    this.codes = entries.map((e) => e.code);
    this.minScores = entries.map((e) => e.minScore ?? null);
    this.mean = mean ?? (entries.length > 0 ? meanFeature(entries.map((e) => e.feature)) : new Float32Array(FEATURE_DIM));
    this.templates = new Float32Array(entries.length * FEATURE_DIM);
    entries.forEach((e, i) => this.templates.set(this.normalise(e.feature), i * FEATURE_DIM));
  }

  get size(): number {
    return this.codes.length;
  }

  has(code: string): boolean {
    return this.codes.includes(code);
  }

  /** The centred unit vector of a raw feature (what scores are computed on). */
  normalise(feature: FaceFeature): Float32Array {
    const out = new Float32Array(FEATURE_DIM);
    let norm = 0;
    for (let i = 0; i < FEATURE_DIM; i++) {
      const v = (feature[i] ?? 0) - (this.mean[i] ?? 0);
      out[i] = v;
      norm += v * v;
    }
    const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    for (let i = 0; i < FEATURE_DIM; i++) out[i] = (out[i] ?? 0) * scale;
    return out;
  }

  /** Every enrolled delegate's score, best first. */
  rank(feature: FaceFeature): Candidate[] {
    const q = this.normalise(feature);
    const out: Candidate[] = this.codes.map((code, i) => ({ code, score: this.dot(q, i), minScore: this.minScores[i] ?? null }));
    return out.sort((a, b) => b.score - a.score);
  }

  /** 1:1 score against one delegate's template, or undefined when they are not enrolled. */
  verify(feature: FaceFeature, code: string): number | undefined {
    const i = this.codes.indexOf(code);
    return i < 0 ? undefined : this.dot(this.normalise(feature), i);
  }

  /** Scores between every pair of enrolled delegates (the gallery audit), i < j. */
  pairs(): { a: string; b: string; score: number }[] {
    const out: { a: string; b: string; score: number }[] = [];
    for (let i = 0; i < this.codes.length; i++) {
      const t = this.templates.subarray(i * FEATURE_DIM, (i + 1) * FEATURE_DIM);
      for (let j = i + 1; j < this.codes.length; j++) out.push({ a: this.codes[i] ?? '', b: this.codes[j] ?? '', score: this.dot(t, j) });
    }
    return out;
  }

  private dot(q: Float32Array, row: number): number {
    let s = 0;
    const base = row * FEATURE_DIM;
    for (let i = 0; i < FEATURE_DIM; i++) s += (q[i] ?? 0) * (this.templates[base + i] ?? 0);
    return s;
  }
}
