import { describe, expect, it } from 'vitest';
import { applyMat3, createRaster, drawProjected, fillRect, gaussianBlur, invertMat3, type Mat3 } from './raster.ts';
import { seededRandom } from './seeded-random.ts';

describe('seededRandom', () => {
  it('gives the same sequence for the same keys and another for other keys', () => {
    const sample = (...keys: number[]): number[] => {
      const rng = seededRandom(...keys);
      return Array.from({ length: 5 }, () => rng.next());
    };
    const a = sample(1, 2, 3);
    const b = sample(1, 2, 3);
    const c = sample(1, 2, 4);
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    for (const x of a) expect(x >= 0 && x < 1).toBe(true);
  });
});

describe('raster helpers', () => {
  it('inverts a homography', () => {
    const h: Mat3 = [2, 0.1, 5, -0.2, 1.5, 7, 0.001, 0.002, 1];
    const [x, y] = applyMat3(h, 3, 4);
    const [u, v] = applyMat3(invertMat3(h), x, y);
    expect(u).toBeCloseTo(3, 9);
    expect(v).toBeCloseTo(4, 9);
  });

  it('draws a texture through a homography, anti-aliased at the edges', () => {
    const r = createRaster(10, 10, [0, 0, 0]);
    // Texture 4×4 units scaled ×2 and shifted by (1, 1): covers pixels 1..8 fully.
    drawProjected(r, [2, 0, 1, 0, 2, 1, 0, 0, 1], 4, 4, () => 0xffffff, () => 1);
    const at = (x: number, y: number): number => r.rgba[(y * 10 + x) * 4]!;
    expect(at(0, 0)).toBe(0);
    expect(at(4, 4)).toBe(255);
    expect(at(8, 8)).toBe(255);
    expect(at(9, 5)).toBe(0);
  });

  it('blurs only inside the box, preserving a flat area', () => {
    const r = createRaster(20, 20, [100, 100, 100]);
    fillRect(r, { x0: 10, y0: 0, x1: 20, y1: 20 }, [200, 200, 200]);
    gaussianBlur(r, 1, { x0: 0, y0: 0, x1: 20, y1: 10 });
    const at = (x: number, y: number): number => r.rgba[(y * 20 + x) * 4]!;
    expect(at(2, 5)).toBe(100);
    expect(at(9, 5)).toBeGreaterThan(100);
    expect(at(10, 5)).toBeLessThan(200);
    expect(at(9, 15)).toBe(100);
    expect(at(10, 15)).toBe(200);
  });
});
