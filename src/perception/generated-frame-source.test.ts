import jsqrModule from 'jsqr';
import { describe, expect, it } from 'vitest';
import { signBadge } from '../badges/token.ts';
import { scaledClock } from '../shared/clock.ts';
import type { Frame } from './frame.ts';
import { GENERATED_HEIGHT, GENERATED_WIDTH, GeneratedFrameSource } from './generated-frame-source.ts';

// jsqr is CommonJS with `export default` typings: the function is the module itself at run time.
type JsQR = typeof jsqrModule.default;
const jsQR: JsQR = (jsqrModule as unknown as { default?: JsQR }).default ?? (jsqrModule as unknown as JsQR);

const key = Buffer.alloc(32, 0x5a);
const clock = scaledClock(1);
const token = (i: number): string => signBadge({ eventId: 'DEMO', code: `D-${String(i).padStart(4, '0')}`, key });
const decode = (f: Frame): string | null => jsQR(f.rgba, f.width, f.height)?.data ?? null;

describe('GeneratedFrameSource', () => {
  it('renders 640×480 RGBA frames of a textured scene', () => {
    const frame = new GeneratedFrameSource({ fps: 15, seed: 3, clock }).renderFrame(1234);
    expect(frame).toMatchObject({ width: GENERATED_WIDTH, height: GENERATED_HEIGHT, capturedAtMs: 1234, seq: 0 });
    expect(frame.rgba.length).toBe(640 * 480 * 4);
    const levels = new Set<number>();
    for (let i = 0; i < frame.rgba.length; i += 4 * 31) levels.add(frame.rgba[i]! >> 3);
    expect(levels.size).toBeGreaterThan(12);
    expect(frame.rgba[3]).toBe(255);
  });

  it('is deterministic: same seed and presentations give the same frames; another seed differs', () => {
    const run = (seed: number): Frame[] => {
      const source = new GeneratedFrameSource({ fps: 15, seed, clock });
      const frames = [source.renderFrame(0)];
      source.present(token(1));
      frames.push(source.renderFrame(0), source.renderFrame(0));
      source.present(null);
      frames.push(source.renderFrame(0));
      return frames;
    };
    const a = run(42);
    const b = run(42);
    const c = run(43);
    for (let i = 0; i < a.length; i++) expect(Buffer.from(a[i]!.rgba).equals(Buffer.from(b[i]!.rgba))).toBe(true);
    expect(Buffer.from(a[1]!.rgba).equals(Buffer.from(c[1]!.rgba))).toBe(false);
    expect(Buffer.from(a[1]!.rgba).equals(Buffer.from(a[2]!.rgba))).toBe(false);
  });

  it('shows the presented badge readably: jsQR decodes it in at least 80 % of 50 presentations', () => {
    const source = new GeneratedFrameSource({ fps: 15, seed: 7, clock });
    let decoded = 0;
    for (let i = 0; i < 50; i++) {
      source.present(null);
      source.present(token(i));
      if (decode(source.renderFrame(0)) === token(i)) decoded++;
    }
    expect(decoded).toBeGreaterThanOrEqual(40);
  });

  it('shows no QR code when nothing is presented', () => {
    const source = new GeneratedFrameSource({ fps: 15, seed: 11, clock });
    source.present(token(1));
    source.present(null);
    expect(source.presented).toBeNull();
    for (let i = 0; i < 5; i++) expect(decode(source.renderFrame(0))).toBeNull();
  });

  it('streams frames in clock time until closed', async () => {
    const source = new GeneratedFrameSource({ fps: 30, seed: 1, clock: scaledClock(50) });
    source.present(token(5));
    const frames: Frame[] = [];
    for await (const frame of source.frames()) {
      frames.push(frame);
      if (frames.length === 3) await source.close();
    }
    expect(frames).toHaveLength(3);
    expect(frames[1]!.seq).toBeGreaterThan(frames[0]!.seq);
    expect(frames[2]!.capturedAtMs).toBeGreaterThanOrEqual(frames[0]!.capturedAtMs);
  });
});
