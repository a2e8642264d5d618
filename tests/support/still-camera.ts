/**
 * A FAKE camera (no physical camera exists on these machines): it repeats one composed frame
 * at a steady rate — a real photo of a person on the left, optionally a badge's QR on the
 * right — so the real face and QR pipelines can be driven frame by frame in tests.
 */
import QRCode from 'qrcode';
import type { Frame, FrameSource } from '../../src/perception/frame.ts';
import type { RgbaImage } from '../../src/perception/qr-image.ts';
import { systemClock } from '../../src/shared/clock.ts';

export const STILL_WIDTH = 640;
export const STILL_HEIGHT = 480;

export class StillCamera implements FrameSource {
  readonly description = 'fake:still-camera';
  private scene: RgbaImage | null = null;
  private seq = 0;
  private readonly closer = new AbortController();

  constructor(private readonly fps = 10) {}

  /** What stands in front of the camera from now on (null: nobody). */
  show(person: RgbaImage | null, badgeText: string | null = null): void {
    this.scene = person === null && badgeText === null ? null : composeScene(person, badgeText);
  }

  async *frames(signal?: AbortSignal): AsyncGenerator<Frame, void, undefined> {
    const stop = signal ? AbortSignal.any([signal, this.closer.signal]) : this.closer.signal;
    while (!stop.aborted) {
      const scene = this.scene ?? blank();
      yield { width: scene.width, height: scene.height, rgba: scene.rgba.slice(), capturedAtMs: systemClock.now(), seq: this.seq++ };
      await systemClock.sleep(1000 / this.fps, stop).catch(() => undefined);
    }
  }

  close(): Promise<void> {
    this.closer.abort();
    return Promise.resolve();
  }
}

function blank(): RgbaImage {
  const rgba = new Uint8ClampedArray(STILL_WIDTH * STILL_HEIGHT * 4);
  for (let i = 0; i < rgba.length; i += 4) {
    rgba[i] = 128;
    rgba[i + 1] = 128;
    rgba[i + 2] = 128;
    rgba[i + 3] = 255;
  }
  return { width: STILL_WIDTH, height: STILL_HEIGHT, rgba };
}

/** The photo scaled into the left 300×440 px (area-averaged), the QR (5 px modules) on the right. */
function composeScene(person: RgbaImage | null, badgeText: string | null): RgbaImage {
  const out = blank();
  if (person) {
    const scale = Math.min(300 / person.width, 440 / person.height);
    const w = Math.round(person.width * scale);
    const h = Math.round(person.height * scale);
    const x0 = 10;
    const y0 = Math.round((STILL_HEIGHT - h) / 2);
    const step = 1 / scale;
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const sx0 = Math.floor(x * step);
        const sy0 = Math.floor(y * step);
        const sx1 = Math.max(sx0 + 1, Math.min(person.width, Math.floor((x + 1) * step)));
        const sy1 = Math.max(sy0 + 1, Math.min(person.height, Math.floor((y + 1) * step)));
        let r = 0;
        let g = 0;
        let b = 0;
        for (let sy = sy0; sy < sy1; sy++) {
          for (let sx = sx0; sx < sx1; sx++) {
            const i = (sy * person.width + sx) * 4;
            r += person.rgba[i] ?? 0;
            g += person.rgba[i + 1] ?? 0;
            b += person.rgba[i + 2] ?? 0;
          }
        }
        const n = (sx1 - sx0) * (sy1 - sy0);
        const o = ((y0 + y) * STILL_WIDTH + x0 + x) * 4;
        out.rgba[o] = r / n;
        out.rgba[o + 1] = g / n;
        out.rgba[o + 2] = b / n;
      }
    }
  }
  if (badgeText) {
    const qr = QRCode.create(badgeText, { errorCorrectionLevel: 'M' });
    const n = qr.modules.size;
    const module = 5;
    const quiet = 4;
    const side = (n + 2 * quiet) * module;
    const left = STILL_WIDTH - side - 10;
    const top = Math.round((STILL_HEIGHT - side) / 2);
    for (let y = 0; y < side; y++) {
      for (let x = 0; x < side; x++) {
        const mx = Math.floor(x / module) - quiet;
        const my = Math.floor(y / module) - quiet;
        const dark = mx >= 0 && my >= 0 && mx < n && my < n && Boolean(qr.modules.get(my, mx));
        const o = ((top + y) * STILL_WIDTH + left + x) * 4;
        const v = dark ? 20 : 245;
        out.rgba[o] = v;
        out.rgba[o + 1] = v;
        out.rgba[o + 2] = v;
      }
    }
  }
  return out;
}
