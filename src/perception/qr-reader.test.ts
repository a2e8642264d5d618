import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Frame } from './frame.ts';
import { QrReader, startQrWorker } from './qr-reader.ts';
import { badgeImage, noiseImage } from './qr-test-images.ts';
import type { RgbaImage } from './qr-image.ts';

const token = 'L1.dh2025.B0007.77aa01ce';
const frame = (image: RgbaImage, seq = 1): Frame => ({ ...image, capturedAtMs: Date.now(), seq });

describe('QrReader (real worker threads)', () => {
  let reader: QrReader | undefined;
  afterEach(async () => {
    await reader?.close();
    reader = undefined;
  });

  it('decodes a badge in a worker and leaves the caller its frame', async () => {
    reader = new QrReader({ workers: 1 });
    const badge = frame(badgeImage(token));
    const result = await reader.read(badge, { deadlineMs: 1000 });
    expect(result?.text).toBe(token);
    expect(badge.rgba.byteLength).toBeGreaterThan(0); // a copy was transferred, not the frame's buffer
  });

  it('reports when every worker has started, so the first delegate does not wait for a cold worker', async () => {
    reader = new QrReader({ workers: 2 });
    await expect(reader.whenReady()).resolves.toBeUndefined();
    expect((await reader.read(frame(badgeImage(token)), { deadlineMs: 1000 }))?.text).toBe(token);
  });

  it('gives up on a huge noise frame with a tiny deadline, then still decodes', async () => {
    reader = new QrReader({ workers: 1 });
    expect(await reader.read(frame(noiseImage(4000, 3000)), { deadlineMs: 1 })).toBeNull();
    expect((await reader.read(frame(badgeImage(token)), { deadlineMs: 1000 }))?.text).toBe(token);
  });

  it('keeps only the newest waiting frame when the pool is busy', async () => {
    reader = new QrReader({ workers: 1 });
    const busy = reader.read(frame(noiseImage(1600, 1200), 1), { deadlineMs: 200 });
    const dropped = reader.read(frame(badgeImage('older'), 2), { deadlineMs: 1000 });
    const newest = reader.read(frame(badgeImage(token), 3), { deadlineMs: 1000 });
    expect(await dropped).toBeNull();
    expect((await newest)?.text).toBe(token);
    await busy;
  });

  it('close() terminates the workers: pending reads resolve null, later reads reject', async () => {
    reader = new QrReader({ workers: 2 });
    const pending = reader.read(frame(noiseImage(1600, 1200)), { deadlineMs: 5000 });
    await reader.close();
    expect(await pending).toBeNull();
    await expect(reader.read(frame(badgeImage(token)))).rejects.toThrow(/closed/);
  });

  /** A real worker thread whose script throws before it is ready, as a worker that cannot load its decoder would. */
  const brokenWorker = (): Worker => new Worker('throw new Error("cannot load the decoder")', { eval: true });

  it('retries a replacement worker that fails to start, reads resolving null meanwhile (the failing worker is a thread whose script throws)', async () => {
    const workers: Worker[] = [];
    const exits: Promise<unknown>[] = [];
    reader = new QrReader({
      workers: 1,
      newWorker: () => {
        const worker = workers.length === 1 ? brokenWorker() : startQrWorker();
        workers.push(worker);
        exits.push(new Promise((resolve) => worker.once('exit', resolve))); // events.once would reject on 'error'
        return worker;
      },
    });
    await reader.whenReady();
    await workers[0]!.terminate(); // the running worker dies; its replacement fails to start
    await vi.waitFor(() => expect(exits).toHaveLength(2));
    await exits[1];

    const badge = frame(badgeImage(token));
    await expect(reader.read(badge, { deadlineMs: 1000 })).resolves.toBeNull();
    await vi.waitFor(async () => expect((await reader!.read(badge, { deadlineMs: 1000 }))?.text).toBe(token), { timeout: 15_000, interval: 100 });
    expect(workers).toHaveLength(3);
  });

  it('closes when a first worker cannot start: whenReady and reads reject with the cause (the failing worker is a thread whose script throws)', async () => {
    reader = new QrReader({ workers: 1, newWorker: brokenWorker });
    await expect(reader.whenReady()).rejects.toThrow(/QR worker failed to start: cannot load the decoder/);
    await expect(reader.read(frame(badgeImage(token)))).rejects.toThrow(/cannot load the decoder/);
  });
});
