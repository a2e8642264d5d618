import { describe, expect, it } from 'vitest';
import { decodeQr } from './qr-decode.ts';
import { badgeImage, noiseImage } from './qr-test-images.ts';

const token = 'L1.dh2025.A0142.3f9a1c0b';

describe('decodeQr on generated badge images', () => {
  it('reads an upright badge on the first rung', () => {
    const result = decodeQr(badgeImage(token), { deadlineMs: 1000 });
    expect(result?.text).toBe(token);
    expect(result?.attempts).toBe(1);
    expect(result?.strategy).toBe('jsqr@300');
  });

  it.each([15, 45, 90, 170])('reads a badge rotated by %i°', (rotationDeg) => {
    expect(decodeQr(badgeImage(token, { rotationDeg }), { deadlineMs: 1000 })?.text).toBe(token);
  });

  it('reads a noisy badge', () => {
    expect(decodeQr(badgeImage(token, { noise: 90, rotationDeg: 10 }), { deadlineMs: 1000 })?.text).toBe(token);
  });

  it('reads an inverted badge (light modules on dark)', () => {
    const result = decodeQr(badgeImage(token, { inverted: true }), { deadlineMs: 1000 });
    expect(result?.text).toBe(token);
    expect(result!.attempts).toBeGreaterThan(1);
  });

  it('reads a tiny badge (2 px modules) and a big one (downscaled first)', () => {
    expect(decodeQr(badgeImage(token, { modulePx: 2 }), { deadlineMs: 1000 })?.text).toBe(token);
    expect(decodeQr(badgeImage(token, { modulePx: 30 }), { deadlineMs: 1000 })?.text).toBe(token);
  });

  it('reads Vietnamese text (UTF-8 byte mode)', () => {
    const text = 'Võ Thị Ngọc Thủy';
    expect(decodeQr(badgeImage(text), { deadlineMs: 1000 })?.text).toBe(text);
  });

  it('returns null for an image without a code', () => {
    expect(decodeQr(noiseImage(320, 240), { deadlineMs: 1000 })).toBeNull();
  });

  it('starts no rung once the deadline has passed (injected time)', () => {
    const inverted = badgeImage(token, { inverted: true });
    let nowMs = 0;
    // Every reading of the time advances it 10 ms: with a 15 ms deadline only the first
    // rung runs, and the inverted badge needs a later one.
    const now = (): number => (nowMs += 10);
    expect(decodeQr(inverted, { deadlineMs: 15, now })).toBeNull();
    expect(decodeQr(inverted, { deadlineMs: 1000 })?.text).toBe(token);
    expect(decodeQr(badgeImage(token), { deadlineMs: 0 })).toBeNull();
  });
});
