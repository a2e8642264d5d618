import { decodeWithJsqr, decodeWithZxing, type QrEngine } from './qr-engines.ts';
import { adaptiveThreshold, resize, toGray, type GrayImage, type RgbaImage } from './qr-image.ts';

/** A QR code read from one image. */
export interface QrDecode {
  readonly text: string;
  /** The ladder rung that read it, e.g. `jsqr@300` or `zxing-hybrid@800`. */
  readonly strategy: string;
  readonly decodeMs: number;
  /** Rungs tried, including the one that read it. */
  readonly attempts: number;
}

export interface DecodeOptions {
  /**
   * No new rung starts once this much time has passed. A rung already running is not
   * interrupted (the libraries are synchronous), so a call can overrun by one rung;
   * QrReader enforces a hard limit by terminating its worker.
   */
  readonly deadlineMs: number;
  /** Monotonic milliseconds; performance.now by default. */
  readonly now?: () => number;
}

/** Caches the grayscale image at each size, so rungs sharing a size convert once. */
export class Views {
  private readonly cache = new Map<string, GrayImage>();
  private fullGray: GrayImage | undefined;

  constructor(private readonly image: RgbaImage) {}

  full(): GrayImage {
    this.fullGray ??= toGray(this.image);
    return this.fullGray;
  }

  /** Downscaled so the longer side is at most `maxSidePx` (never upscaled). */
  fit(maxSidePx: number): GrayImage {
    const full = this.full();
    const longSide = Math.max(full.width, full.height);
    return longSide <= maxSidePx ? full : this.memo(`fit${maxSidePx}`, () => resize(full, maxSidePx / longSide));
  }

  scaled(scale: number): GrayImage {
    return scale === 1 ? this.full() : this.memo(`scale${scale}`, () => resize(this.full(), scale));
  }

  memo(key: string, make: () => GrayImage): GrayImage {
    let view = this.cache.get(key);
    if (!view) {
      view = make();
      this.cache.set(key, view);
    }
    return view;
  }
}

/** One step of the ladder: a preprocessing and a decoder. */
export interface QrRung {
  readonly strategy: string;
  readonly engine: QrEngine;
  /** Null when the rung does not apply to this image (e.g. upscaling a big frame). */
  readonly run: (views: Views) => string | null;
}

/** Frames with fewer pixels than this get the 2× upscale rung (codes with tiny modules). */
const upscaleBelowPx = 400 * 400;

/**
 * The strategy ladder, in the order measured best (reads gained per millisecond spent)
 * on the 254 real photos of benchmarks/qr; see `letan bench qr`. Cheap downscaled reads
 * first: most codes read at 300 px, and a small image keeps jsQR off the ~1 s it spends
 * on a noisy full frame. jsQR first also keeps its reading where a photo holds two codes.
 */
export const ladder: readonly QrRung[] = [
  { strategy: 'jsqr@300', engine: 'jsqr', run: (v) => decodeWithJsqr(v.fit(300)) },
  { strategy: 'zxing-global@full', engine: 'zxing', run: (v) => decodeWithZxing(v.full(), 'global') },
  { strategy: 'zxing-hybrid@800', engine: 'zxing', run: (v) => decodeWithZxing(v.fit(800), 'hybrid') },
  {
    strategy: 'zxing-adaptive@600',
    engine: 'zxing',
    run: (v) => {
      const small = v.fit(600);
      const radiusPx = Math.max(6, Math.round(Math.max(small.width, small.height) / 15));
      return decodeWithZxing(adaptiveThreshold(small, radiusPx, 3), 'global');
    },
  },
  { strategy: 'zxing-hybrid@1/2', engine: 'zxing', run: (v) => decodeWithZxing(v.scaled(0.5), 'hybrid') },
  { strategy: 'jsqr@800', engine: 'jsqr', run: (v) => decodeWithJsqr(v.fit(800)) },
  { strategy: 'jsqr+inverted@full', engine: 'jsqr', run: (v) => decodeWithJsqr(v.full(), 'attemptBoth') },
  {
    strategy: 'zxing-global@2x',
    engine: 'zxing',
    run: (v) => (v.full().width * v.full().height < upscaleBelowPx ? decodeWithZxing(v.scaled(2), 'global') : null),
  },
];

/** The engine behind a strategy name from `ladder` (undefined for an unknown name). */
export function engineOf(strategy: string): QrEngine | undefined {
  return ladder.find((r) => r.strategy === strategy)?.engine;
}

/**
 * Reads one QR code from an RGBA image, trying the ladder's rungs in order until one
 * reads or `deadlineMs` has passed. Pure and synchronous: run it off the main thread
 * (QrReader) when frames arrive live.
 */
export function decodeQr(image: RgbaImage, options: DecodeOptions): QrDecode | null {
  const now = options.now ?? (() => performance.now());
  const startMs = now();
  const views = new Views(image);
  let attempts = 0;
  for (const rung of ladder) {
    if (now() - startMs >= options.deadlineMs) break;
    attempts++;
    const text = rung.run(views);
    if (text !== null) return { text, strategy: rung.strategy, decodeMs: now() - startMs, attempts };
  }
  return null;
}
