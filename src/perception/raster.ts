import type { Random } from './seeded-random.ts';

/**
 * Drawing helpers on RGBA rasters (row-major, 4 bytes a pixel), for the generated demo
 * camera. Colours are [r, g, b] in 0..255; alpha stays 255.
 */
export interface Raster {
  readonly width: number;
  readonly height: number;
  readonly rgba: Uint8ClampedArray;
}

export type Rgb = readonly [number, number, number];

/** Pixel rectangle, `x1`/`y1` exclusive. */
export interface Box {
  readonly x0: number;
  readonly y0: number;
  readonly x1: number;
  readonly y1: number;
}

export function createRaster(width: number, height: number, fill: Rgb = [0, 0, 0]): Raster {
  const rgba = new Uint8ClampedArray(width * height * 4);
  for (let i = 0; i < rgba.length; i += 4) {
    rgba[i] = fill[0];
    rgba[i + 1] = fill[1];
    rgba[i + 2] = fill[2];
    rgba[i + 3] = 255;
  }
  return { width, height, rgba };
}

export function clipBox(r: Raster, box: Box): Box {
  return {
    x0: Math.max(0, Math.floor(box.x0)),
    y0: Math.max(0, Math.floor(box.y0)),
    x1: Math.min(r.width, Math.ceil(box.x1)),
    y1: Math.min(r.height, Math.ceil(box.y1)),
  };
}

function blendPixel(r: Raster, i: number, c: Rgb, alpha: number): void {
  const d = r.rgba;
  d[i] = d[i]! + (c[0] - d[i]!) * alpha;
  d[i + 1] = d[i + 1]! + (c[1] - d[i + 1]!) * alpha;
  d[i + 2] = d[i + 2]! + (c[2] - d[i + 2]!) * alpha;
}

/** Vertical gradient from `top` (at y0) to `bottom` (at y1 − 1) over the rows y0..y1. */
export function fillVerticalGradient(r: Raster, y0: number, y1: number, top: Rgb, bottom: Rgb): void {
  const b = clipBox(r, { x0: 0, y0, x1: r.width, y1 });
  const span = Math.max(1, y1 - y0 - 1);
  for (let y = b.y0; y < b.y1; y++) {
    const t = (y - y0) / span;
    const c: Rgb = [top[0] + (bottom[0] - top[0]) * t, top[1] + (bottom[1] - top[1]) * t, top[2] + (bottom[2] - top[2]) * t];
    for (let x = b.x0; x < b.x1; x++) blendPixel(r, (y * r.width + x) * 4, c, 1);
  }
}

export function fillRect(r: Raster, box: Box, c: Rgb, alpha = 1): void {
  const b = clipBox(r, box);
  for (let y = b.y0; y < b.y1; y++) for (let x = b.x0; x < b.x1; x++) blendPixel(r, (y * r.width + x) * 4, c, alpha);
}

export function fillEllipse(r: Raster, cx: number, cy: number, rx: number, ry: number, c: Rgb, alpha = 1): void {
  const b = clipBox(r, { x0: cx - rx, y0: cy - ry, x1: cx + rx + 1, y1: cy + ry + 1 });
  for (let y = b.y0; y < b.y1; y++) {
    for (let x = b.x0; x < b.x1; x++) {
      const dx = (x + 0.5 - cx) / rx;
      const dy = (y + 0.5 - cy) / ry;
      if (dx * dx + dy * dy <= 1) blendPixel(r, (y * r.width + x) * 4, c, alpha);
    }
  }
}

/** Brightens towards white by `strength`·exp(−d²/2σ²): a glare spot or a lamp. */
export function addGaussianSpot(r: Raster, cx: number, cy: number, sigmaPx: number, strength: number): void {
  const reach = sigmaPx * 3;
  const b = clipBox(r, { x0: cx - reach, y0: cy - reach, x1: cx + reach, y1: cy + reach });
  const k = -1 / (2 * sigmaPx * sigmaPx);
  const d = r.rgba;
  for (let y = b.y0; y < b.y1; y++) {
    for (let x = b.x0; x < b.x1; x++) {
      const dx = x + 0.5 - cx;
      const dy = y + 0.5 - cy;
      const a = strength * Math.exp((dx * dx + dy * dy) * k);
      const i = (y * r.width + x) * 4;
      d[i] = d[i]! + (255 - d[i]!) * a;
      d[i + 1] = d[i + 1]! + (255 - d[i + 1]!) * a;
      d[i + 2] = d[i + 2]! + (255 - d[i + 2]!) * a;
    }
  }
}

/** Multiplies brightness by 1 − strength·(d/dmax)² from the centre (lens vignetting). */
export function vignette(r: Raster, strength: number): void {
  const cx = r.width / 2;
  const cy = r.height / 2;
  const dmax2 = cx * cx + cy * cy;
  const d = r.rgba;
  for (let y = 0; y < r.height; y++) {
    for (let x = 0; x < r.width; x++) {
      const f = 1 - (strength * ((x - cx) ** 2 + (y - cy) ** 2)) / dmax2;
      const i = (y * r.width + x) * 4;
      d[i] = d[i]! * f;
      d[i + 1] = d[i + 1]! * f;
      d[i + 2] = d[i + 2]! * f;
    }
  }
}

/** Separable gaussian blur of the pixels inside `box` (the whole raster by default); edges clamp. */
export function gaussianBlur(r: Raster, sigmaPx: number, box: Box = { x0: 0, y0: 0, x1: r.width, y1: r.height }): void {
  if (sigmaPx <= 0) return;
  const radius = Math.max(1, Math.ceil(sigmaPx * 2.5));
  const taps = radius * 2 + 1;
  const kernel = new Float32Array(taps);
  let sum = 0;
  for (let i = -radius; i <= radius; i++) sum += kernel[i + radius] = Math.exp(-(i * i) / (2 * sigmaPx * sigmaPx));
  for (let i = 0; i < taps; i++) kernel[i] = kernel[i]! / sum;
  const b = clipBox(r, box);
  const w = b.x1 - b.x0;
  const h = b.y1 - b.y0;
  if (w <= 0 || h <= 0) return;
  const d = r.rgba;
  const tmp = new Float32Array(w * h * 3);
  // One padded line (3 channels) per pass, so the inner loops need no bounds checks.
  const line = new Float32Array((Math.max(w, h) + 2 * radius) * 3);
  for (let y = 0; y < h; y++) {
    const rowStart = ((b.y0 + y) * r.width) * 4;
    for (let k = -radius; k < w + radius; k++) {
      const xx = Math.min(r.width - 1, Math.max(0, b.x0 + k));
      const i = rowStart + xx * 4;
      const o = (k + radius) * 3;
      line[o] = d[i]!;
      line[o + 1] = d[i + 1]!;
      line[o + 2] = d[i + 2]!;
    }
    for (let x = 0; x < w; x++) {
      let sr = 0, sg = 0, sb = 0;
      for (let k = 0, o = x * 3; k < taps; k++, o += 3) {
        const kw = kernel[k]!;
        sr += line[o]! * kw;
        sg += line[o + 1]! * kw;
        sb += line[o + 2]! * kw;
      }
      const o = (y * w + x) * 3;
      tmp[o] = sr;
      tmp[o + 1] = sg;
      tmp[o + 2] = sb;
    }
  }
  for (let x = 0; x < w; x++) {
    for (let k = -radius; k < h + radius; k++) {
      const yy = Math.min(h - 1, Math.max(0, k));
      const i = (yy * w + x) * 3;
      const o = (k + radius) * 3;
      line[o] = tmp[i]!;
      line[o + 1] = tmp[i + 1]!;
      line[o + 2] = tmp[i + 2]!;
    }
    for (let y = 0; y < h; y++) {
      let sr = 0, sg = 0, sb = 0;
      for (let k = 0, o = y * 3; k < taps; k++, o += 3) {
        const kw = kernel[k]!;
        sr += line[o]! * kw;
        sg += line[o + 1]! * kw;
        sb += line[o + 2]! * kw;
      }
      const i = ((b.y0 + y) * r.width + b.x0 + x) * 4;
      d[i] = sr;
      d[i + 1] = sg;
      d[i + 2] = sb;
    }
  }
}

/** Adds luminance noise, triangular-distributed with standard deviation ≈ `sigma` levels. */
export function addSensorNoise(r: Raster, sigma: number, rng: Random): void {
  const d = r.rgba;
  // Two bytes summed give a triangular distribution on −255..255 with σ ≈ 104.
  const scale = sigma / 104;
  for (let i = 0; i < d.length; i += 8) {
    const bits = rng.uint32();
    const n1 = ((bits & 0xff) + ((bits >>> 8) & 0xff) - 255) * scale;
    const n2 = (((bits >>> 16) & 0xff) + (bits >>> 24) - 255) * scale;
    d[i] = d[i]! + n1;
    d[i + 1] = d[i + 1]! + n1;
    d[i + 2] = d[i + 2]! + n1;
    if (i + 4 < d.length) {
      d[i + 4] = d[i + 4]! + n2;
      d[i + 5] = d[i + 5]! + n2;
      d[i + 6] = d[i + 6]! + n2;
    }
  }
}

/** Row-major 3×3 matrix. */
export type Mat3 = readonly [number, number, number, number, number, number, number, number, number];

export function invertMat3(m: Mat3): Mat3 {
  const [a, b, c, d, e, f, g, h, i] = m;
  const A = e * i - f * h;
  const B = -(d * i - f * g);
  const C = d * h - e * g;
  const det = a * A + b * B + c * C;
  if (Math.abs(det) < 1e-12) throw new RangeError('singular matrix');
  const k = 1 / det;
  return [A * k, -(b * i - c * h) * k, (b * f - c * e) * k, B * k, (a * i - c * g) * k, -(a * f - c * d) * k, C * k, -(a * h - b * g) * k, (a * e - b * d) * k];
}

export function applyMat3(m: Mat3, x: number, y: number): readonly [number, number] {
  const w = m[6] * x + m[7] * y + m[8];
  return [(m[0] * x + m[1] * y + m[2]) / w, (m[3] * x + m[4] * y + m[5]) / w];
}

/**
 * Draws a planar texture of size texW×texH (texture units) through the homography
 * `toImage` (texture → pixel), 2×2 supersampled so edges are anti-aliased.
 * `sample(u, v)` returns a packed 0xRRGGBB colour; `shade(u, v)` a brightness factor.
 */
export function drawProjected(r: Raster, toImage: Mat3, texW: number, texH: number, sample: (u: number, v: number) => number, shade: (u: number, v: number) => number): Box {
  const corners = [applyMat3(toImage, 0, 0), applyMat3(toImage, texW, 0), applyMat3(toImage, texW, texH), applyMat3(toImage, 0, texH)];
  const b = clipBox(r, {
    x0: Math.min(...corners.map((p) => p[0])),
    y0: Math.min(...corners.map((p) => p[1])),
    x1: Math.max(...corners.map((p) => p[0])) + 1,
    y1: Math.max(...corners.map((p) => p[1])) + 1,
  });
  const [i0, i1, i2, i3, i4, i5, i6, i7, i8] = invertMat3(toImage);
  const d = r.rgba;
  for (let y = b.y0; y < b.y1; y++) {
    for (let x = b.x0; x < b.x1; x++) {
      let sr = 0, sg = 0, sb = 0, hits = 0;
      for (let s = 0; s < 4; s++) {
        const px = x + (s & 1 ? 0.75 : 0.25);
        const py = y + (s & 2 ? 0.75 : 0.25);
        const w = i6 * px + i7 * py + i8;
        const u = (i0 * px + i1 * py + i2) / w;
        const v = (i3 * px + i4 * py + i5) / w;
        if (!(u >= 0 && v >= 0 && u < texW && v < texH)) continue;
        const c = sample(u, v);
        const k = shade(u, v);
        sr += ((c >>> 16) & 0xff) * k;
        sg += ((c >>> 8) & 0xff) * k;
        sb += (c & 0xff) * k;
        hits++;
      }
      if (hits === 0) continue;
      const i = (y * r.width + x) * 4;
      const a = hits / 4;
      d[i] = d[i]! * (1 - a) + sr / 4;
      d[i + 1] = d[i + 1]! * (1 - a) + sg / 4;
      d[i + 2] = d[i + 2]! * (1 - a) + sb / 4;
    }
  }
  return b;
}
