import type { RgbaImage } from './qr-image.ts';

/**
 * `image` shrunk (area-averaged, aspect kept) to fit in maxWidth × maxHeight; an image that
 * already fits is returned as is. How a camera of that resolution would see the same scene.
 */
export function fitWithin(image: RgbaImage, maxWidth: number, maxHeight: number): RgbaImage {
  const scale = Math.min(maxWidth / image.width, maxHeight / image.height);
  if (scale >= 1) return image;
  const width = Math.max(1, Math.round(image.width * scale));
  const height = Math.max(1, Math.round(image.height * scale));
  const rgba = new Uint8ClampedArray(width * height * 4);
  const step = 1 / scale;
  for (let y = 0; y < height; y++) {
    const sy0 = Math.floor(y * step);
    const sy1 = Math.max(sy0 + 1, Math.min(image.height, Math.floor((y + 1) * step)));
    for (let x = 0; x < width; x++) {
      const sx0 = Math.floor(x * step);
      const sx1 = Math.max(sx0 + 1, Math.min(image.width, Math.floor((x + 1) * step)));
      let r = 0;
      let g = 0;
      let b = 0;
      for (let sy = sy0; sy < sy1; sy++) {
        for (let sx = sx0; sx < sx1; sx++) {
          const i = (sy * image.width + sx) * 4;
          r += image.rgba[i] ?? 0;
          g += image.rgba[i + 1] ?? 0;
          b += image.rgba[i + 2] ?? 0;
        }
      }
      const n = (sx1 - sx0) * (sy1 - sy0);
      const o = (y * width + x) * 4;
      rgba[o] = r / n;
      rgba[o + 1] = g / n;
      rgba[o + 2] = b / n;
      rgba[o + 3] = 255;
    }
  }
  return { width, height, rgba };
}
