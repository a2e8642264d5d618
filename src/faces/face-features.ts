import type { RgbaImage } from '../perception/qr-image.ts';
import type { DetectedFace } from './face.ts';
import type { FaceEngine } from './face-engine.ts';
import { ALL_CROPS, FaceEvidence, makeCrops } from './face-evidence.ts';
import { EMBEDDING_DIM } from './identity-policy.ts';

/**
 * A face's identity feature: the square crop's embedding averaged with its mirror's, then the
 * eye-aligned crop's averaged with its mirror's, concatenated (raw, uncentred). The gallery
 * centres and normalises it (see FaceMatcher); it is what the store keeps, never the photo.
 */
export type FaceFeature = Float32Array;

export const FEATURE_DIM = 2 * EMBEDDING_DIM;

/** One photo's feature: all four crops in one model batch (what enrolment stores). */
export async function faceFeature(engine: Pick<FaceEngine, 'embed'>, image: RgbaImage, face: DetectedFace): Promise<FaceFeature> {
  const evidence = new FaceEvidence();
  evidence.addFrame(ALL_CROPS, await engine.embed(makeCrops(image, face, ALL_CROPS)));
  return evidence.fused();
}

/** Element-wise mean of features (several frames of one person). */
export function meanFeature(features: readonly FaceFeature[]): FaceFeature {
  const out = new Float32Array(FEATURE_DIM);
  for (const f of features) for (let i = 0; i < FEATURE_DIM; i++) out[i] = (out[i] ?? 0) + (f[i] ?? 0) / features.length;
  return out;
}

export function featureToBytes(feature: FaceFeature): Buffer {
  return Buffer.from(feature.buffer, feature.byteOffset, feature.byteLength);
}

export function featureFromBytes(bytes: Uint8Array): FaceFeature {
  if (bytes.byteLength !== FEATURE_DIM * 4) throw new RangeError(`a face feature is ${FEATURE_DIM * 4} bytes, got ${bytes.byteLength}`);
  return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
}
