import type { RgbaImage } from '../perception/qr-image.ts';
import type { DetectedFace } from './face.ts';
import { ALIGNED_EYE_DISTANCE, ALIGNED_EYE_Y, BGR_MEAN, EMBEDDER_INPUT_PX, SQUARE_CROP_SCALE } from './identity-policy.ts';

/**
 * The embedder's input for one face: EMBEDDER_INPUT_PX² pixels, HWC, B-G-R minus BGR_MEAN
 * (so a pixel outside the photo, filled with the mean colour, is 0).
 */
export type FaceCrop = Float32Array;

/** Which crops identity uses, in the order their embeddings are concatenated. */
export type CropKind = 'square' | 'aligned';

/** Crop→image similarity: image = origin + scale·R(angle)·(crop − cropCentre). */
interface Placement {
  readonly originX: number;
  readonly originY: number;
  readonly cropCentreX: number;
  readonly cropCentreY: number;
  /** Image pixels per crop pixel. */
  readonly scale: number;
  readonly angleRad: number;
}

export function cropFace(image: RgbaImage, face: DetectedFace, kind: CropKind): FaceCrop {
  return sample(image, kind === 'square' ? squarePlacement(face) : alignedPlacement(face));
}

/** The crop seen in a mirror (the embedder averages both, which cancels left/right bias). */
export function mirrorCrop(crop: FaceCrop): FaceCrop {
  const size = EMBEDDER_INPUT_PX;
  const out = new Float32Array(crop.length);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const from = (y * size + x) * 3;
      const to = (y * size + (size - 1 - x)) * 3;
      out[to] = crop[from] ?? 0;
      out[to + 1] = crop[from + 1] ?? 0;
      out[to + 2] = crop[from + 2] ?? 0;
    }
  }
  return out;
}

function squarePlacement(face: DetectedFace): Placement {
  const { x0, y0, x1, y1 } = face.box;
  const side = SQUARE_CROP_SCALE * Math.max(x1 - x0, y1 - y0);
  const half = EMBEDDER_INPUT_PX / 2;
  return { originX: (x0 + x1) / 2, originY: (y0 + y1) / 2, cropCentreX: half, cropCentreY: half, scale: side / EMBEDDER_INPUT_PX, angleRad: 0 };
}

function alignedPlacement(face: DetectedFace): Placement {
  // rightEye is on the image's left: the vector below points left-to-right across the face.
  const dx = face.leftEye.x - face.rightEye.x;
  const dy = face.leftEye.y - face.rightEye.y;
  const eyeDistancePx = Math.max(1, Math.hypot(dx, dy));
  return {
    originX: (face.leftEye.x + face.rightEye.x) / 2,
    originY: (face.leftEye.y + face.rightEye.y) / 2,
    cropCentreX: EMBEDDER_INPUT_PX / 2,
    cropCentreY: ALIGNED_EYE_Y * EMBEDDER_INPUT_PX,
    scale: eyeDistancePx / (ALIGNED_EYE_DISTANCE * EMBEDDER_INPUT_PX),
    angleRad: Math.atan2(dy, dx),
  };
}

/** Bilinear sampling, supersampled when shrinking so large faces do not alias. */
function sample(image: RgbaImage, p: Placement): FaceCrop {
  const size = EMBEDDER_INPUT_PX;
  const out = new Float32Array(size * size * 3);
  const cos = Math.cos(p.angleRad) * p.scale;
  const sin = Math.sin(p.angleRad) * p.scale;
  const sub = Math.max(1, Math.min(4, Math.ceil(p.scale)));
  const weight = 1 / (sub * sub);
  const px = [0, 0, 0];
  for (let v = 0; v < size; v++) {
    for (let u = 0; u < size; u++) {
      let b = 0;
      let g = 0;
      let r = 0;
      for (let sv = 0; sv < sub; sv++) {
        for (let su = 0; su < sub; su++) {
          const cu = u + (su + 0.5) / sub - 0.5 - p.cropCentreX;
          const cv = v + (sv + 0.5) / sub - 0.5 - p.cropCentreY;
          bilinear(image, p.originX + cos * cu - sin * cv, p.originY + sin * cu + cos * cv, px);
          r += px[0] ?? 0;
          g += px[1] ?? 0;
          b += px[2] ?? 0;
        }
      }
      const o = (v * size + u) * 3;
      out[o] = b * weight - BGR_MEAN[0];
      out[o + 1] = g * weight - BGR_MEAN[1];
      out[o + 2] = r * weight - BGR_MEAN[2];
    }
  }
  return out;
}

/** RGB at a sub-pixel position into `px`; outside the image, the mean colour. */
function bilinear(image: RgbaImage, x: number, y: number, px: number[]): void {
  const { width, height, rgba } = image;
  if (x < 0 || y < 0 || x > width - 1 || y > height - 1) {
    px[0] = BGR_MEAN[2];
    px[1] = BGR_MEAN[1];
    px[2] = BGR_MEAN[0];
    return;
  }
  const x0 = Math.floor(x);
  const y0 = Math.floor(y);
  const x1 = Math.min(width - 1, x0 + 1);
  const y1 = Math.min(height - 1, y0 + 1);
  const fx = x - x0;
  const fy = y - y0;
  for (let c = 0; c < 3; c++) {
    const a = rgba[(y0 * width + x0) * 4 + c] ?? 0;
    const b = rgba[(y0 * width + x1) * 4 + c] ?? 0;
    const d = rgba[(y1 * width + x0) * 4 + c] ?? 0;
    const e = rgba[(y1 * width + x1) * 4 + c] ?? 0;
    px[c] = (a * (1 - fx) + b * fx) * (1 - fy) + (d * (1 - fx) + e * fx) * fy;
  }
}
