import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { InputError } from '../shared/errors.ts';
import { repoRoot } from '../shared/paths.ts';
import { loadVenue } from './load-venue.ts';
import { cellCenter, gridFromGreymap, isFree, worldToCell } from './occupancy-grid.ts';
import { parsePgm } from './pgm.ts';

const hallDir = resolve(repoRoot, 'maps/demo-hall');
const temps: string[] = [];
afterEach(async () => {
  await Promise.all(temps.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

/** A copy of the demo hall in a temp dir, with `edit` applied. */
async function brokenCopy(edit: (dir: string) => Promise<void>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'letan-venue-'));
  temps.push(dir);
  for (const f of ['venue.json', 'map.yaml', 'map.pgm']) await copyFile(join(hallDir, f), join(dir, f));
  await edit(dir);
  return dir;
}

async function editJson(dir: string, change: (v: { rows: Record<string, unknown>[]; pois: Record<string, unknown>[]; floors: unknown[] }) => void): Promise<void> {
  const file = join(dir, 'venue.json');
  const value = JSON.parse(await readFile(file, 'utf8')) as { rows: Record<string, unknown>[]; pois: Record<string, unknown>[]; floors: unknown[] };
  change(value);
  await writeFile(file, JSON.stringify(value));
}

async function loadError(dir: string): Promise<InputError> {
  const err: unknown = await loadVenue(dir).then(
    () => new Error('expected loadVenue to fail'),
    (e: unknown) => e,
  );
  if (!(err instanceof InputError)) throw err;
  return err;
}

describe('loadVenue', () => {
  it('loads the demo hall with its floor, rows, seats and POIs', async () => {
    const venue = await loadVenue(hallDir);
    expect(venue.floor().id).toBe('G');
    expect(venue.floor('G')).toBe(venue.floor());
    expect(() => venue.floor('9')).toThrow(/no floor '9'/);
    expect(venue.poi('lift')?.id).toBe('lift-G');
    expect(venue.poi('restroom-women')?.name.en).toBe("Women's restroom");
    expect(venue.poi('reception-post')?.pose).toMatchObject({ x: 2, y: 10, floor: 'G' });
    expect(venue.row('Q')?.seats).toHaveLength(28);
    expect(venue.zones.find((z) => z.kind === 'slow')?.maxSpeedMps).toBe(0.5);
    expect(venue.name.vi).toBe('Hội trường mẫu');
  });

  it('names file and field for a missing field', async () => {
    const dir = await brokenCopy((d) => editJson(d, (v) => delete v.rows[2]!.aisle_pose));
    expect((await loadError(dir)).message).toBe(`${join(dir, 'venue.json')}: rows[2].aisle_pose: expected object (required), got nothing`);
  });

  it('names file and field for a wrong type', async () => {
    const dir = await brokenCopy((d) => editJson(d, (v) => (v.pois[0]!.x = 'abc')));
    expect((await loadError(dir)).message).toBe(`${join(dir, 'venue.json')}: pois[0].x: expected number, got "abc"`);
  });

  it('rejects a truncated PGM', async () => {
    const dir = await brokenCopy(async (d) => {
      const pgm = await readFile(join(d, 'map.pgm'));
      await writeFile(join(d, 'map.pgm'), pgm.subarray(0, 1000));
    });
    expect((await loadError(dir)).message).toMatch(new RegExp(`^${escape(join(dir, 'map.pgm'))}: pixels: expected 240000 bytes for 600x400, got \\d+ \\(truncated\\)`));
  });

  it('rejects a PGM whose header does not match its pixel data', async () => {
    const dir = await brokenCopy(async (d) => {
      const pgm = await readFile(join(d, 'map.pgm'));
      await writeFile(join(d, 'map.pgm'), Buffer.from(pgm.toString('latin1').replace('600 400', '600 399'), 'latin1'));
    });
    expect((await loadError(dir)).message).toMatch(/map\.pgm: pixels: expected 239400 bytes for 600x399, got 240000 \(size does not match the header\)/);
  });

  it('rejects a POI on an obstacle', async () => {
    const dir = await brokenCopy((d) => editJson(d, (v) => Object.assign(v.pois[5]!, { x: 28, y: 10 })));
    expect((await loadError(dir)).message).toBe(`${join(dir, 'venue.json')}: pois[5]: expected a pose on a free cell of the map, got an obstacle at (28, 10)`);
  });

  it('rejects an aisle pose outside the map', async () => {
    const dir = await brokenCopy((d) => editJson(d, (v) => Object.assign(v.rows[0]!.aisle_pose as object, { x: 40 })));
    expect((await loadError(dir)).message).toMatch(/venue\.json: rows\[0\]\.aisle_pose: expected a pose on a free cell of the map, got a point outside the map/);
  });

  it('rejects duplicate seat ids and unknown floors', async () => {
    const dup = await brokenCopy((d) => editJson(d, (v) => (v.rows[1]!.seats = v.rows[0]!.seats)));
    expect((await loadError(dup)).message).toMatch(/rows\[1\]\.seats\[0\]\.id: expected 'B-1' \(row-number\), got 'A-1'/);
    const floor = await brokenCopy((d) => editJson(d, (v) => (v.rows[3]!.floor = 'roof')));
    expect((await loadError(floor)).message).toMatch(/venue\.json: rows\[3\]\.floor: expected one of the floors \(G\), got 'roof'/);
  });

  it('names map.yaml, line and field for a bad map header', async () => {
    const dir = await brokenCopy(async (d) => {
      const text = await readFile(join(d, 'map.yaml'), 'utf8');
      await writeFile(join(d, 'map.yaml'), text.replace('resolution: 0.05', 'resolution: fine'));
    });
    expect((await loadError(dir)).message).toMatch(new RegExp(`^${escape(join(dir, 'map.yaml'))}:4: resolution: expected number, got "fine"`));
  });
});

describe('PGM and occupancy grid (Nav2 trinary semantics)', () => {
  const p2 = Buffer.from('P2\n# a comment\n3 2\n15\n15 0 8\n3 14 12\n', 'latin1');

  it('parses P2 with a maxval and applies the thresholds, rows from the top', () => {
    const map = parsePgm(p2, 'tiny.pgm');
    expect([...map.pixels]).toEqual([15, 0, 8, 3, 14, 12]);
    const grid = gridFromGreymap(map, { resolutionM: 1, origin: [10, 20, 0], negate: false, occupiedThresh: 0.65, freeThresh: 0.196 });
    // occupancy = 1 - p/15: 0 → free, 1 → occupied, 0.47 → unknown, 0.8 → occupied, 0.07 → free, 0.2 → unknown
    expect([...grid.cells]).toEqual([0, 100, -1, 100, 0, -1]);
    const negated = gridFromGreymap(map, { resolutionM: 1, origin: [0, 0, 0], negate: true, occupiedThresh: 0.65, freeThresh: 0.196 });
    expect([...negated.cells]).toEqual([100, 0, -1, -1, 100, 100]);
    // The origin is the lower-left pixel: (10.5, 20.5) is the bottom-left cell, i.e. row 1 of the image.
    expect(worldToCell(grid, 10.5, 20.5)).toEqual({ col: 0, row: 1 });
    expect(worldToCell(grid, 12.9, 21.9)).toEqual({ col: 2, row: 0 });
    expect(worldToCell(grid, 9.9, 20.5)).toBeUndefined();
    expect(cellCenter(grid, 1, 0)).toEqual({ x: 11.5, y: 21.5 });
    expect(isFree(grid, 10.5, 21.5)).toBe(true);
    expect(isFree(grid, 11.5, 21.5)).toBe(false);
  });

  it('applies the origin yaw', () => {
    const grid = gridFromGreymap(parsePgm(p2, 'tiny.pgm'), { resolutionM: 1, origin: [0, 0, Math.PI / 2], negate: false, occupiedThresh: 0.65, freeThresh: 0.196 });
    const c = cellCenter(grid, 2, 1);
    expect(c.x).toBeCloseTo(-0.5);
    expect(c.y).toBeCloseTo(2.5);
    expect(worldToCell(grid, c.x, c.y)).toEqual({ col: 2, row: 1 });
  });

  it('rejects a non-PGM file and a short P2', () => {
    expect(() => parsePgm(Buffer.from('\x89PNG....'), 'x.pgm')).toThrow(/^x\.pgm: magic: expected 'P5' or 'P2'/);
    expect(() => parsePgm(Buffer.from('P2 3 2 15 1 2 3'), 'x.pgm')).toThrow(/^x\.pgm: pixels: expected 6 values for 3x2, got 3 \(truncated\)/);
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
