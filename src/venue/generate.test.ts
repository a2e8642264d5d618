import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { repoRoot } from '../shared/paths.ts';
import { buildVenueFiles, generateVenue, parseHallDescription } from './generate.ts';
import { loadVenue } from './load-venue.ts';
import { isFree } from './occupancy-grid.ts';
import { inputErrorOf } from '../shared/test-support.ts';

const hallDir = resolve(repoRoot, 'maps/demo-hall');
const hallPath = join(hallDir, 'hall.yaml');
const temps: string[] = [];
afterEach(async () => {
  await Promise.all(temps.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'letan-venue-'));
  temps.push(dir);
  return dir;
}

describe('venue generator', () => {
  it('is deterministic and matches the files kept in maps/demo-hall', async () => {
    const text = await readFile(hallPath, 'utf8');
    const a = generateVenue(parseHallDescription(text, 'hall.yaml'), 'hall.yaml');
    const b = generateVenue(parseHallDescription(text, 'hall.yaml'), 'hall.yaml');
    expect(Buffer.compare(a.pgm, b.pgm)).toBe(0);
    expect(a.venueJson).toBe(b.venueJson);
    expect(a.mapYaml).toBe(b.mapYaml);
    expect(Buffer.compare(a.pgm, await readFile(join(hallDir, 'map.pgm')))).toBe(0);
    expect(a.venueJson).toBe(await readFile(join(hallDir, 'venue.json'), 'utf8'));
    expect(a.mapYaml).toBe(await readFile(join(hallDir, 'map.yaml'), 'utf8'));
  });

  it('gives the demo hall at least 450 uniquely numbered seats in lettered rows, each row reachable from a free aisle pose', async () => {
    const venue = await loadVenue(hallDir);
    const seats = venue.rows.flatMap((r) => r.seats);
    expect(seats.length).toBeGreaterThanOrEqual(450);
    expect(new Set(seats.map((s) => s.id)).size).toBe(seats.length);
    expect(venue.rows[0]!.id).toBe('A');
    expect(venue.rows[2]!.id).toBe('C');
    expect(venue.seat('C-14')).toMatchObject({ row: 'C', number: 14 });
    const grid = venue.floor().grid;
    expect(grid.width * grid.height).toBe(600 * 400);
    for (const row of venue.rows) {
      expect(isFree(grid, row.aislePose.x, row.aislePose.y), `row ${row.id} aisle pose`).toBe(true);
      expect(row.seats.map((s) => s.number)).toEqual(row.seats.map((_s, i) => i + 1));
      // Seats are obstacles: the robot drives in the aisles.
      for (const s of row.seats) expect(isFree(grid, s.pose.x, s.pose.y), s.id).toBe(false);
    }
    for (const kind of ['entrance', 'reception-post', 'lift', 'restroom', 'stage', 'exit', 'staff-desk']) expect(venue.poi(kind), kind).toBeDefined();
    expect(venue.pois.filter((p) => p.kind === 'restroom')).toHaveLength(2);
  });

  it('writes the three files with `map build` semantics into the description folder', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'hall.yaml'), await readFile(hallPath));
    const { files } = await buildVenueFiles(join(dir, 'hall.yaml'));
    expect(files.map((f) => f.slice(dir.length + 1)).sort()).toEqual(['map.pgm', 'map.yaml', 'venue.json']);
    const venue = await loadVenue(dir);
    expect(venue.id).toBe('demo-hall');
  });

  it('rejects a description with a wrong field, naming file, line and field', async () => {
    const text = (await readFile(hallPath, 'utf8')).replace('rows: 17', 'rows: many');
    const err = inputErrorOf(() => parseHallDescription(text, 'hall.yaml'));
    const line = text.split('\n').findIndex((l) => l.includes('rows: many')) + 1;
    expect(err.message).toMatch(new RegExp(`^hall\\.yaml:${line}: seating\\.rows: expected integer, got "many"`));
  });

  it('rejects a POI placed on an obstacle', async () => {
    const text = (await readFile(hallPath, 'utf8')).replace('pose: { x: 25, y: 10, yaw_deg: 0 }', 'pose: { x: 28, y: 10, yaw_deg: 0 }');
    const err = inputErrorOf(() => generateVenue(parseHallDescription(text, 'hall.yaml'), 'hall.yaml'));
    expect(err.message).toMatch(/^hall\.yaml: pois\[5\]\.pose: expected a free cell inside the map, got an obstacle at \(28, 10\)/);
  });

  it('rejects a slanted wall', async () => {
    const text = (await readFile(hallPath, 'utf8')).replace('from: [0, 4.5], to: [5, 4.5]', 'from: [0, 4.5], to: [5, 5]');
    expect(inputErrorOf(() => parseHallDescription(text, 'hall.yaml')).message).toMatch(/^hall\.yaml:\d+: walls\[0\]: expected an axis-aligned segment/);
  });
});
