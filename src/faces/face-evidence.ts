import type { RgbaImage } from '../perception/qr-image.ts';
import type { DetectedFace } from './face.ts';
import { cropFace, mirrorCrop, type CropKind, type FaceCrop } from './face-crops.ts';
import { FEATURE_DIM, type FaceFeature } from './face-features.ts';
import type { FaceMatcher } from './face-matcher.ts';
import { decideIdentity, type FaceDecision } from './identity-decision.ts';
import { EMBEDDING_DIM } from './identity-policy.ts';

/** One model input: which crop, seen directly or in a mirror. */
export interface CropSlot {
  readonly kind: CropKind;
  readonly mirrored: boolean;
}

/** The four crops of the measured best single-photo feature. */
export const ALL_CROPS: readonly CropSlot[] = [
  { kind: 'square', mirrored: false },
  { kind: 'square', mirrored: true },
  { kind: 'aligned', mirrored: false },
  { kind: 'aligned', mirrored: true },
];

/**
 * A live camera spreads the four crops over two frames — both crops direct on even frames,
 * mirrored on odd ones — so two frames cost what one photo costs, and the fused feature of
 * two frames has every crop the single-photo feature has.
 */
export function cropsForFrame(frameIndex: number): readonly CropSlot[] {
  const mirrored = frameIndex % 2 === 1;
  return [
    { kind: 'square', mirrored },
    { kind: 'aligned', mirrored },
  ];
}

export function makeCrops(image: RgbaImage, face: DetectedFace, slots: readonly CropSlot[]): FaceCrop[] {
  const base = new Map<CropKind, FaceCrop>();
  return slots.map((slot) => {
    let crop = base.get(slot.kind);
    if (!crop) {
      crop = cropFace(image, face, slot.kind);
      base.set(slot.kind, crop);
    }
    return slot.mirrored ? mirrorCrop(crop) : crop;
  });
}

/**
 * Everything seen of one person so far: the crop embeddings of each frame. The fused feature
 * averages every square-crop embedding and every aligned-crop embedding (over frames and
 * mirrors) and concatenates the two means, the layout of FaceFeature.
 */
export class FaceEvidence {
  private readonly byFrame: { slot: CropSlot; embedding: Float32Array }[][] = [];

  /** Keeps the newest `windowFrames` frames (a live track), or all of them. */
  constructor(private readonly windowFrames = Number.POSITIVE_INFINITY) {}

  get frames(): number {
    return this.byFrame.length;
  }

  addFrame(slots: readonly CropSlot[], embeddings: readonly Float32Array[]): void {
    if (slots.length !== embeddings.length) throw new RangeError(`${slots.length} crops but ${embeddings.length} embeddings`);
    this.byFrame.push(slots.map((slot, i) => ({ slot, embedding: embeddings[i]! })));
    while (this.byFrame.length > this.windowFrames) this.byFrame.shift();
  }

  /** All frames together. */
  fused(): FaceFeature {
    return combine(this.byFrame.flat());
  }

  /** One frame alone (for the per-frame vote). */
  frameFeature(index: number): FaceFeature {
    return combine(this.byFrame[index] ?? []);
  }

  /** The open-set decision on this evidence against `matcher`. */
  decide(matcher: FaceMatcher, minFrames?: number): FaceDecision {
    const frameTops = this.byFrame.map((_, i) => matcher.rank(this.frameFeature(i))[0]?.code ?? '');
    return decideIdentity({ fused: matcher.rank(this.fused()), frameTops, ...(minFrames === undefined ? {} : { minFrames }) });
  }
}

function combine(items: readonly { slot: CropSlot; embedding: Float32Array }[]): FaceFeature {
  const out = new Float32Array(FEATURE_DIM);
  for (const [half, kind] of (['square', 'aligned'] as const).entries()) {
    const mine = items.filter((it) => it.slot.kind === kind);
    const offset = half * EMBEDDING_DIM;
    for (const { embedding } of mine) {
      for (let i = 0; i < EMBEDDING_DIM; i++) out[offset + i] = (out[offset + i] ?? 0) + (embedding[i] ?? 0) / mine.length;
    }
  }
  return out;
}
