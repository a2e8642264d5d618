import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scaledClock } from '../shared/clock.ts';
import { FfmpegFrameSource, ffmpegArgs } from './ffmpeg-frame-source.ts';
import { FrameSourceError, type Frame } from './frame.ts';

const clock = scaledClock(1);
const W = 320;
const H = 240;
let dir = '';
let video = '';
/** Every frame of the test video decoded by ffmpeg directly, as the reference. */
let reference: Buffer[] = [];

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function collect(source: FfmpegFrameSource, delayMs = 0): Promise<Frame[]> {
  const frames: Frame[] = [];
  for await (const frame of source.frames()) {
    frames.push(frame);
    if (delayMs) await new Promise((r) => setTimeout(r, delayMs));
  }
  return frames;
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'letan-ffmpeg-'));
  video = join(dir, 'testsrc.mkv');
  execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', `testsrc=size=${W}x${H}:rate=10`, '-t', '1', '-c:v', 'ffv1', video]);
  const raw = execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-i', video, '-vf', `scale=${W}:${H}`, '-f', 'rawvideo', '-pix_fmt', 'rgba', 'pipe:1'], { maxBuffer: 64 << 20 });
  reference = Array.from({ length: raw.length / (W * H * 4) }, (_, i) => raw.subarray(i * W * H * 4, (i + 1) * W * H * 4));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('FfmpegFrameSource', () => {
  it('delivers width×height RGBA frames whose pixels match the video (file read at its own rate)', async () => {
    expect(reference).toHaveLength(10);
    const source = new FfmpegFrameSource({ input: video, width: W, height: H, realtime: true, clock });
    const frames = await collect(source);
    expect(frames.length).toBeGreaterThanOrEqual(8);
    for (const frame of frames) {
      expect(frame.width).toBe(W);
      expect(frame.height).toBe(H);
      expect(frame.rgba.length).toBe(W * H * 4);
      expect(Buffer.from(frame.rgba.buffer, frame.rgba.byteOffset, frame.rgba.length).equals(reference[frame.seq]!)).toBe(true);
    }
    const first = frames[0]!.rgba;
    const colours = new Set<number>();
    for (let i = 0; i < first.length; i += 4 * 97) colours.add((first[i]! << 16) | (first[i + 1]! << 8) | first[i + 2]!);
    expect(colours.size).toBeGreaterThan(10);
    expect(first[3]).toBe(255);
    expect(frames.map((f) => f.seq)).toEqual([...frames.map((f) => f.seq)].sort((a, b) => a - b));
  });

  it('scales to the requested size', async () => {
    const source = new FfmpegFrameSource({ input: video, width: 64, height: 48, clock });
    const frames = await collect(source);
    expect(frames.length).toBeGreaterThan(0);
    expect(frames[0]!.rgba.length).toBe(64 * 48 * 4);
  });

  it('keeps only the newest frame: a slow consumer sees seq gaps and still gets the last frame', async () => {
    const source = new FfmpegFrameSource({ input: video, width: W, height: H, clock });
    const frames = await collect(source, 300);
    const seqs = frames.map((f) => f.seq);
    expect(seqs.at(-1)).toBe(9);
    expect(frames.length).toBeLessThan(10);
    expect(Buffer.from(frames.at(-1)!.rgba.buffer).equals(reference[9]!)).toBe(true);
  });

  it('throws FrameSourceError with ffmpeg’s message for a missing file', async () => {
    const missing = join(dir, 'no-such-video.mp4');
    const source = new FfmpegFrameSource({ input: missing, width: W, height: H, clock });
    const error = await collect(source).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(FrameSourceError);
    expect((error as Error).message).toContain(missing);
    expect((error as Error).message).toMatch(/No such file or directory/);
  });

  it('throws FrameSourceError naming the device for a V4L2 device that does not exist', async () => {
    const source = new FfmpegFrameSource({ input: '/dev/video-letan-missing', format: 'v4l2', width: W, height: H, clock });
    const error = await collect(source).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(FrameSourceError);
    expect((error as Error).message).toMatch(/\/dev\/video-letan-missing.*ffmpeg exited with code \d+: .+/);
  });

  it('throws FrameSourceError telling to install ffmpeg when the binary is missing', async () => {
    const source = new FfmpegFrameSource({ input: video, width: W, height: H, clock, ffmpegPath: join(dir, 'no-ffmpeg-here') });
    const error = await collect(source).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(FrameSourceError);
    expect((error as Error).message).toMatch(/install the Debian package ffmpeg/);
  });

  it('abort ends the iteration and kills ffmpeg (live endless source)', async () => {
    const source = new FfmpegFrameSource({ input: `testsrc=size=${W}x${H}:rate=25`, format: 'lavfi', realtime: true, width: W, height: H, clock });
    const controller = new AbortController();
    let count = 0;
    for await (const frame of source.frames(controller.signal)) {
      expect(frame.rgba.length).toBe(W * H * 4);
      if (++count === 3) controller.abort();
    }
    expect(count).toBe(3);
    expect(source.pid).toBeDefined();
    expect(processAlive(source.pid!)).toBe(false);
  });

  it('close() while a consumer waits ends its iteration and kills ffmpeg', async () => {
    const source = new FfmpegFrameSource({ input: `testsrc=size=${W}x${H}:rate=25`, format: 'lavfi', realtime: true, width: W, height: H, clock });
    let count = 0;
    const consumer = (async () => {
      for await (const _frame of source.frames()) {
        count++;
        if (count === 2) setTimeout(() => void source.close(), 0);
      }
    })();
    await consumer;
    await source.close();
    expect(count).toBeGreaterThanOrEqual(2);
    expect(processAlive(source.pid!)).toBe(false);
  });

  it('a stalled input is a lost camera', async () => {
    // A FIFO nobody writes to: ffmpeg opens nothing and never produces a frame.
    const fifo = join(dir, 'stalled.fifo');
    execFileSync('mkfifo', [fifo]);
    const source = new FfmpegFrameSource({ input: fifo, width: W, height: H, clock, stallTimeoutMs: 300 });
    const error = await collect(source).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(FrameSourceError);
    expect((error as Error).message).toMatch(/no frame for 300 ms/);
    expect(processAlive(source.pid!)).toBe(false);
  });
});

describe('ffmpegArgs', () => {
  it('builds the documented command line', () => {
    expect(ffmpegArgs({ input: '/dev/video0', format: 'v4l2', width: 640, height: 480, fps: 30 })).toEqual([
      '-hide_banner', '-loglevel', 'error', '-nostdin', '-f', 'v4l2', '-framerate', '30', '-i', '/dev/video0',
      '-an', '-vf', 'scale=640:480', '-f', 'rawvideo', '-pix_fmt', 'rgba', 'pipe:1',
    ]);
    expect(ffmpegArgs({ input: 'hall.mp4', width: 320, height: 240, fps: 10, realtime: true })).toEqual([
      '-hide_banner', '-loglevel', 'error', '-nostdin', '-re', '-i', 'hall.mp4',
      '-an', '-vf', 'scale=320:240,fps=10', '-f', 'rawvideo', '-pix_fmt', 'rgba', 'pipe:1',
    ]);
  });
});
