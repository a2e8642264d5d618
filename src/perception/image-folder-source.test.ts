import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { scaledClock, type Clock } from '../shared/clock.ts';
import { FrameSourceError, type Frame } from './frame.ts';
import { ImageFolderSource } from './image-folder-source.ts';

let dir = '';

/**
 * A stepped clock: time moves only when someone sleeps on it, so frame timing is exact
 * whatever the machine's speed (decoding a PNG takes no clock time).
 */
function steppedClock(): Clock {
  let nowMs = 0;
  return {
    speedup: 1,
    now: () => nowMs,
    sleep: async (ms) => {
      nowMs += Math.max(0, ms);
      await Promise.resolve();
    },
    setTimeout: (fn, ms) => setTimeout(() => {
      nowMs += Math.max(0, ms);
      fn();
    }, 0),
    clearTimeout: (id) => clearTimeout(id as ReturnType<typeof setTimeout>),
  };
}

/** A solid-colour PNG whose red channel carries `value`, so frames can be told apart. */
function writePng(name: string, value: number, width = 8, height = 6): void {
  const png = new PNG({ width, height });
  for (let i = 0; i < png.data.length; i += 4) png.data.set([value, 255 - value, 7, 255], i);
  writeFileSync(join(dir, name), PNG.sync.write(png));
}

async function collect(source: ImageFolderSource, limit = Infinity, onFrame?: (f: Frame) => Promise<void>): Promise<Frame[]> {
  const frames: Frame[] = [];
  for await (const f of source.frames()) {
    frames.push(f);
    await onFrame?.(f);
    if (frames.length >= limit) break;
  }
  return frames;
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'letan-folder-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('ImageFolderSource', () => {
  it('plays the PNG files in name order (numbers as numbers), then ends', async () => {
    writePng('shot-10.png', 30);
    writePng('shot-2.png', 20);
    writePng('shot-1.png', 10);
    writeFileSync(join(dir, 'notes.txt'), 'not an image');
    const frames = await collect(new ImageFolderSource({ dir, fps: 10, clock: steppedClock() }));
    expect(frames.map((f) => f.rgba[0])).toEqual([10, 20, 30]);
    expect(frames.map((f) => f.seq)).toEqual([0, 1, 2]);
    expect(frames[0]).toMatchObject({ width: 8, height: 6 });
    expect(frames[0]!.rgba.length).toBe(8 * 6 * 4);
    expect(frames[0]!.rgba[1]).toBe(245);
  });

  it('loops when asked', async () => {
    writePng('a.png', 1);
    writePng('b.png', 2);
    const frames = await collect(new ImageFolderSource({ dir, fps: 10, loop: true, clock: steppedClock() }), 5);
    expect(frames.map((f) => f.rgba[0])).toEqual([1, 2, 1, 2, 1]);
  });

  it('keeps only the newest: a consumer that takes 5 frame periods (stepped clock) skips files (seq gaps of 5)', async () => {
    for (let i = 0; i < 40; i++) writePng(`f${i}.png`, i);
    const clock = steppedClock();
    const frames = await collect(new ImageFolderSource({ dir, fps: 10, clock }), Infinity, () => clock.sleep(500));
    const seqs = frames.map((f) => f.seq);
    for (let i = 1; i < seqs.length; i++) expect(seqs[i]! - seqs[i - 1]!).toBe(5);
    expect(frames.map((f) => f.rgba[0])).toEqual(seqs);
  });

  it('throws FrameSourceError naming an unreadable file', async () => {
    writePng('1.png', 1);
    writeFileSync(join(dir, '2.png'), 'this is not a PNG');
    const error = await collect(new ImageFolderSource({ dir, fps: 10, clock: steppedClock() })).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(FrameSourceError);
    expect((error as Error).message).toContain(join(dir, '2.png'));
  });

  it('throws FrameSourceError for a missing or empty folder', async () => {
    const missing = join(dir, 'nope');
    await expect(collect(new ImageFolderSource({ dir: missing, fps: 10, clock: steppedClock() }))).rejects.toThrow(new RegExp(`${missing}: cannot read`));
    await expect(collect(new ImageFolderSource({ dir, fps: 10, clock: steppedClock() }))).rejects.toThrow(/no \.png files/);
  });

  it('close() ends a looping iteration', async () => {
    writePng('a.png', 1);
    const source = new ImageFolderSource({ dir, fps: 10, loop: true, clock: scaledClock(1) });
    const frames = await collect(source, Infinity, () => source.close());
    expect(frames).toHaveLength(1);
  });
});
