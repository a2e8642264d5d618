import QRCode from 'qrcode';
import type { RgbaImage } from './qr-image.ts';

/**
 * Synthetic badge images for the QR tests: a qrcode-generated symbol drawn into RGBA
 * pixels, then rotated, noised or inverted like a camera would see it.
 */
export interface BadgeImageOptions {
  /** Pixels per module (default 6). */
  readonly modulePx?: number;
  /** Quiet zone in modules (default 4). */
  readonly marginModules?: number;
  /** Rotation about the centre, degrees (default 0). */
  readonly rotationDeg?: number;
  /** Uniform noise amplitude added to every channel, 0..255 (default 0). */
  readonly noise?: number;
  /** Light modules on dark (default false). */
  readonly inverted?: boolean;
  /** Seed for the noise (default 1). */
  readonly seed?: number;
}

export function badgeImage(text: string, opts: BadgeImageOptions = {}): RgbaImage {
  const symbol = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const modules = symbol.modules.size;
  const modulePx = opts.modulePx ?? 6;
  const margin = opts.marginModules ?? 4;
  const side = (modules + 2 * margin) * modulePx;
  const angle = ((opts.rotationDeg ?? 0) * Math.PI) / 180;
  const cos = Math.cos(angle);
  const sin = Math.sin(angle);
  const centre = side / 2;
  let seed = opts.seed ?? 1;
  const random = (): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  const rgba = new Uint8ClampedArray(side * side * 4);
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      // Inverse rotation: which point of the upright badge lands on this pixel.
      const ux = cos * (x - centre) + sin * (y - centre) + centre;
      const uy = -sin * (x - centre) + cos * (y - centre) + centre;
      const col = Math.floor(ux / modulePx) - margin;
      const row = Math.floor(uy / modulePx) - margin;
      const dark = col >= 0 && row >= 0 && col < modules && row < modules && symbol.modules.get(row, col) === 1;
      const base = dark !== (opts.inverted ?? false) ? 20 : 235;
      const v = base + (opts.noise ? (random() * 2 - 1) * opts.noise : 0);
      const p = (y * side + x) * 4;
      rgba[p] = v;
      rgba[p + 1] = v;
      rgba[p + 2] = v;
      rgba[p + 3] = 255;
    }
  }
  return { width: side, height: side, rgba };
}

/** Uniform random noise: the worst case for a locator (finder-pattern candidates everywhere). */
export function noiseImage(width: number, height: number, seed = 7): RgbaImage {
  const rgba = new Uint8ClampedArray(width * height * 4);
  let state = seed;
  for (let i = 0; i < rgba.length; i++) {
    state = (state * 1103515245 + 12345) % 2147483648;
    rgba[i] = (i & 3) === 3 ? 255 : state >> 23;
  }
  return { width, height, rgba };
}
