/**
 * A FAKE camera (no physical camera exists on these machines): it repeats one composed frame
 * at a steady rate — a real photo of a person on the left, optionally a badge's QR on the
 * right — so the real face and QR pipelines can be driven frame by frame in tests.
 */
import QRCode from 'qrcode';
import type { Frame, FrameSource } from '../../src/perception/frame.ts';
import type { RgbaImage } from '../../src/perception/qr-image.ts';
import { fitWithin } from '../../src/perception/resize.ts';
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

/** The photo shrunk into the left 300×440 px, the QR (5 px modules) on the right. */
function composeScene(person: RgbaImage | null, badgeText: string | null): RgbaImage {
  const out = blank();
  if (person) {
    const fitted = fitWithin(person, 300, 440);
    const x0 = 10;
    const y0 = Math.round((STILL_HEIGHT - fitted.height) / 2);
    for (let y = 0; y < fitted.height; y++) {
      out.rgba.set(fitted.rgba.subarray(y * fitted.width * 4, (y + 1) * fitted.width * 4), ((y0 + y) * STILL_WIDTH + x0) * 4);
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
