import type { Random } from '../perception/seeded-random.ts';
import type { RgbaImage } from '../perception/qr-image.ts';

/** How far a jittered copy may move from the original (what successive camera frames of a standing person differ by). */
export const JITTER = { shiftShare: 0.03, scaleShare: 0.05, brightnessShare: 0.15, rotationRad: 0.05 } as const;

/**
 * A copy of `image` as the next camera frame might see the same person: shifted, scaled and
 * slightly rotated about the centre, brighter or darker; edges repeat the border pixels.
 */
export function jitterImage(image: RgbaImage, rng: Random): RgbaImage {
  const { width, height, rgba } = image;
  const dx = rng.range(-JITTER.shiftShare, JITTER.shiftShare) * width;
  const dy = rng.range(-JITTER.shiftShare, JITTER.shiftShare) * height;
  const scale = 1 + rng.range(-JITTER.scaleShare, JITTER.scaleShare);
  const angle = rng.range(-JITTER.rotationRad, JITTER.rotationRad);
  const gain = 1 + rng.range(-JITTER.brightnessShare, JITTER.brightnessShare);
  const cx = width / 2;
  const cy = height / 2;
  const cos = Math.cos(angle) / scale;
  const sin = Math.sin(angle) / scale;
  const out = new Uint8ClampedArray(rgba.length);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      // Inverse map: output pixel → source position.
      const ox = x - cx - dx;
      const oy = y - cy - dy;
      const sx = Math.min(width - 1, Math.max(0, cx + cos * ox + sin * oy));
      const sy = Math.min(height - 1, Math.max(0, cy - sin * ox + cos * oy));
      const x0 = Math.floor(sx);
      const y0 = Math.floor(sy);
      const x1 = Math.min(width - 1, x0 + 1);
      const y1 = Math.min(height - 1, y0 + 1);
      const fx = sx - x0;
      const fy = sy - y0;
      const o = (y * width + x) * 4;
      for (let c = 0; c < 3; c++) {
        const top = (rgba[(y0 * width + x0) * 4 + c] ?? 0) * (1 - fx) + (rgba[(y0 * width + x1) * 4 + c] ?? 0) * fx;
        const bottom = (rgba[(y1 * width + x0) * 4 + c] ?? 0) * (1 - fx) + (rgba[(y1 * width + x1) * 4 + c] ?? 0) * fx;
        out[o + c] = (top * (1 - fy) + bottom * fy) * gain;
      }
      out[o + 3] = 255;
    }
  }
  return { width, height, rgba: out };
}
