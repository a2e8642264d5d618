/**
 * Grayscale image operations used by the QR strategy ladder. Every function is pure:
 * it returns a new image and never changes its input.
 */

/** One 8-bit luminance value per pixel, row-major. */
export interface GrayImage {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8ClampedArray;
}

/** An RGBA image as jsQR and the Frame port carry it (4 bytes per pixel, row-major). */
export interface RgbaImage {
  readonly width: number;
  readonly height: number;
  readonly rgba: Uint8ClampedArray;
}

/** Luminance with Rec. 709 weights (the weights jsQR uses), in integer arithmetic. */
export function toGray(image: RgbaImage): GrayImage {
  const { width, height, rgba } = image;
  const data = new Uint8ClampedArray(width * height);
  for (let i = 0, p = 0; i < data.length; i++, p += 4) {
    data[i] = (rgba[p]! * 54 + rgba[p + 1]! * 183 + rgba[p + 2]! * 19) >> 8;
  }
  return { width, height, data };
}

/** Back to RGBA (gray in R, G and B, opaque), for decoders that only take RGBA. */
export function toRgba(gray: GrayImage): Uint8ClampedArray {
  const out = new Uint8ClampedArray(gray.data.length * 4);
  for (let i = 0, p = 0; i < gray.data.length; i++, p += 4) {
    const v = gray.data[i]!;
    out[p] = v;
    out[p + 1] = v;
    out[p + 2] = v;
    out[p + 3] = 255;
  }
  return out;
}

/**
 * Resizes by `scale` (> 0). Downscaling averages the source pixels under each target
 * pixel (box filter, which also averages out sensor noise); upscaling is bilinear.
 */
export function resize(gray: GrayImage, scale: number): GrayImage {
  if (!(scale > 0)) throw new RangeError(`scale must be > 0, got ${scale}`);
  const width = Math.max(1, Math.round(gray.width * scale));
  const height = Math.max(1, Math.round(gray.height * scale));
  return scale < 1 ? boxDownscale(gray, width, height) : bilinear(gray, width, height);
}

function boxDownscale(gray: GrayImage, width: number, height: number): GrayImage {
  const { width: sw, height: sh, data: src } = gray;
  const data = new Uint8ClampedArray(width * height);
  const fx = sw / width;
  const fy = sh / height;
  for (let y = 0; y < height; y++) {
    const y0 = Math.floor(y * fy);
    const y1 = Math.max(y0 + 1, Math.min(sh, Math.floor((y + 1) * fy)));
    for (let x = 0; x < width; x++) {
      const x0 = Math.floor(x * fx);
      const x1 = Math.max(x0 + 1, Math.min(sw, Math.floor((x + 1) * fx)));
      let sum = 0;
      for (let yy = y0; yy < y1; yy++) {
        const row = yy * sw;
        for (let xx = x0; xx < x1; xx++) sum += src[row + xx]!;
      }
      data[y * width + x] = sum / ((y1 - y0) * (x1 - x0));
    }
  }
  return { width, height, data };
}

function bilinear(gray: GrayImage, width: number, height: number): GrayImage {
  const { width: sw, height: sh, data: src } = gray;
  const data = new Uint8ClampedArray(width * height);
  const fx = sw / width;
  const fy = sh / height;
  for (let y = 0; y < height; y++) {
    const sy = Math.min(sh - 1, Math.max(0, (y + 0.5) * fy - 0.5));
    const y0 = Math.floor(sy);
    const y1 = Math.min(sh - 1, y0 + 1);
    const wy = sy - y0;
    for (let x = 0; x < width; x++) {
      const sx = Math.min(sw - 1, Math.max(0, (x + 0.5) * fx - 0.5));
      const x0 = Math.floor(sx);
      const x1 = Math.min(sw - 1, x0 + 1);
      const wx = sx - x0;
      const top = src[y0 * sw + x0]! * (1 - wx) + src[y0 * sw + x1]! * wx;
      const bottom = src[y1 * sw + x0]! * (1 - wx) + src[y1 * sw + x1]! * wx;
      data[y * width + x] = top * (1 - wy) + bottom * wy;
    }
  }
  return { width, height, data };
}

/** Otsu's global threshold: the level that maximises the between-class variance. */
export function otsuLevel(gray: GrayImage): number {
  const hist = new Float64Array(256);
  for (const v of gray.data) hist[v]!++;
  const total = gray.data.length;
  let sumAll = 0;
  for (let i = 0; i < 256; i++) sumAll += i * hist[i]!;
  let sumBelow = 0;
  let countBelow = 0;
  let best = 0;
  let bestLevel = 127;
  for (let t = 0; t < 256; t++) {
    countBelow += hist[t]!;
    if (countBelow === 0) continue;
    const countAbove = total - countBelow;
    if (countAbove === 0) break;
    sumBelow += t * hist[t]!;
    const meanBelow = sumBelow / countBelow;
    const meanAbove = (sumAll - sumBelow) / countAbove;
    const between = countBelow * countAbove * (meanBelow - meanAbove) ** 2;
    if (between > best) {
      best = between;
      bestLevel = t;
    }
  }
  return bestLevel;
}

/** Black (0) at or below `level`, white (255) above. */
export function threshold(gray: GrayImage, level: number): GrayImage {
  const data = new Uint8ClampedArray(gray.data.length);
  for (let i = 0; i < data.length; i++) data[i] = gray.data[i]! > level ? 255 : 0;
  return { width: gray.width, height: gray.height, data };
}

/**
 * Local adaptive threshold: a pixel is black when darker than the mean of the square
 * window of side `2 * radius + 1` around it minus `offset`. Integral image, O(pixels).
 */
export function adaptiveThreshold(gray: GrayImage, radius: number, offset: number): GrayImage {
  const { width, height, data: src } = gray;
  const stride = width + 1;
  const integral = new Float64Array(stride * (height + 1));
  for (let y = 0; y < height; y++) {
    let rowSum = 0;
    for (let x = 0; x < width; x++) {
      rowSum += src[y * width + x]!;
      integral[(y + 1) * stride + x + 1] = integral[y * stride + x + 1]! + rowSum;
    }
  }
  const data = new Uint8ClampedArray(width * height);
  for (let y = 0; y < height; y++) {
    const y0 = Math.max(0, y - radius);
    const y1 = Math.min(height, y + radius + 1);
    for (let x = 0; x < width; x++) {
      const x0 = Math.max(0, x - radius);
      const x1 = Math.min(width, x + radius + 1);
      const sum = integral[y1 * stride + x1]! - integral[y0 * stride + x1]! - integral[y1 * stride + x0]! + integral[y0 * stride + x0]!;
      const mean = sum / ((y1 - y0) * (x1 - x0));
      data[y * width + x] = src[y * width + x]! < mean - offset ? 0 : 255;
    }
  }
  return { width, height, data };
}

/**
 * Linear contrast stretch: the `clipShare` darkest pixels map to 0, the `clipShare`
 * brightest to 255, the rest linearly in between.
 */
export function stretchContrast(gray: GrayImage, clipShare: number): GrayImage {
  const hist = new Uint32Array(256);
  for (const v of gray.data) hist[v]!++;
  const clip = gray.data.length * clipShare;
  let low = 0;
  for (let seen = 0; low < 255 && (seen += hist[low]!) <= clip; ) low++;
  let high = 255;
  for (let seen = 0; high > 0 && (seen += hist[high]!) <= clip; ) high--;
  if (high <= low) return gray;
  const lut = new Uint8ClampedArray(256);
  for (let v = 0; v < 256; v++) lut[v] = ((v - low) * 255) / (high - low);
  return mapLevels(gray, lut);
}

/** Negative image: light-on-dark codes become dark-on-light. */
export function invert(gray: GrayImage): GrayImage {
  const data = new Uint8ClampedArray(gray.data.length);
  for (let i = 0; i < data.length; i++) data[i] = 255 - gray.data[i]!;
  return { width: gray.width, height: gray.height, data };
}

/** Gamma correction: `gamma` > 1 brightens mid-tones (lifts shadows), < 1 darkens them. */
export function adjustGamma(gray: GrayImage, gamma: number): GrayImage {
  const lut = new Uint8ClampedArray(256);
  for (let v = 0; v < 256; v++) lut[v] = 255 * (v / 255) ** (1 / gamma);
  return mapLevels(gray, lut);
}

function mapLevels(gray: GrayImage, lut: Uint8ClampedArray): GrayImage {
  const data = new Uint8ClampedArray(gray.data.length);
  for (let i = 0; i < data.length; i++) data[i] = lut[gray.data[i]!]!;
  return { width: gray.width, height: gray.height, data };
}

/** 3×3 box blur (edges clamped): takes the edge off speckle noise and halftone dots. */
export function blur3(gray: GrayImage): GrayImage {
  const { width, height, data: src } = gray;
  const data = new Uint8ClampedArray(width * height);
  for (let y = 0; y < height; y++) {
    const ya = Math.max(0, y - 1) * width;
    const yb = y * width;
    const yc = Math.min(height - 1, y + 1) * width;
    for (let x = 0; x < width; x++) {
      const xa = Math.max(0, x - 1);
      const xc = Math.min(width - 1, x + 1);
      const sum =
        src[ya + xa]! + src[ya + x]! + src[ya + xc]! + src[yb + xa]! + src[yb + x]! + src[yb + xc]! + src[yc + xa]! + src[yc + x]! + src[yc + xc]!;
      data[yb + x] = sum / 9;
    }
  }
  return { width, height, data };
}

/** Unsharp mask: `gray + amount * (gray - blur3(gray))`, sharpening soft module edges. */
export function sharpen(gray: GrayImage, amount: number): GrayImage {
  const soft = blur3(gray);
  const data = new Uint8ClampedArray(gray.data.length);
  for (let i = 0; i < data.length; i++) data[i] = gray.data[i]! + amount * (gray.data[i]! - soft.data[i]!);
  return { width: gray.width, height: gray.height, data };
}
