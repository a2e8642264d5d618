import { afterEach, describe, expect, it } from 'vitest';
import type { Frame } from './frame.ts';
import { QrReader } from './qr-reader.ts';
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
});
