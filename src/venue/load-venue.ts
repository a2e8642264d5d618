/**
 * Loads a venue folder (maps/<venue>/): venue.json plus each floor's Nav2 map.yaml and
 * PGM image, validated and cross-checked. Every problem is one InputError
 * `<file>: <field path>: expected …, got …`.
 */
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { Pose2D } from '../robot/robot-port.ts';
import { InputError } from '../shared/errors.ts';
import { logger } from '../shared/logger.ts';
import { checkSchema } from './check-schema.ts';
import { FREE, gridFromGreymap, valueAt } from './occupancy-grid.ts';
import { parsePgm } from './pgm.ts';
import { MapYaml, VenueFile } from './schema.ts';
import type { Floor, OccupancyGrid, Poi, Row, Seat, Venue, Zone } from './types.ts';
import { parseYaml } from './yaml-source.ts';

const log = logger('venue/load');

export async function loadVenue(dir: string): Promise<Venue> {
  const root = resolve(dir);
  const venuePath = join(root, 'venue.json');
  const file = checkSchema(VenueFile, parseJson(await readText(venuePath), venuePath), venuePath);
  const fail = (field: string, what: string): never => {
    throw new InputError(`${venuePath}: ${field}: ${what}`);
  };

  const floors: Floor[] = [];
  for (const [i, f] of file.floors.entries()) {
    if (floors.some((g) => g.id === f.id)) fail(`floors[${i}].id`, `expected a unique floor id, got '${f.id}' twice`);
    const mapYamlPath = resolve(root, f.map);
    floors.push({ id: f.id, name: f.name, mapYamlPath, grid: await loadMap(mapYamlPath) });
  }
  const floorById = new Map(floors.map((f) => [f.id, f]));
  const gridOf = (floorId: string, field: string): OccupancyGrid => {
    const floor = floorById.get(floorId);
    if (!floor) return fail(field, `expected one of the floors (${[...floorById.keys()].join(', ')}), got '${floorId}'`);
    return floor.grid;
  };
  const requireFree = (grid: OccupancyGrid, x: number, y: number, field: string): void => {
    const v = valueAt(grid, x, y);
    if (v !== FREE) fail(field, `expected a pose on a free cell of the map, got ${v === undefined ? 'a point outside the map' : v === -1 ? 'an unknown cell' : 'an obstacle'} at (${x}, ${y})`);
  };

  const rows: Row[] = [];
  const seats = new Map<string, Seat>();
  for (const [i, r] of file.rows.entries()) {
    if (rows.some((other) => other.id === r.id)) fail(`rows[${i}].id`, `expected a unique row id, got '${r.id}' twice`);
    const grid = gridOf(r.floor, `rows[${i}].floor`);
    requireFree(grid, r.aisle_pose.x, r.aisle_pose.y, `rows[${i}].aisle_pose`);
    const rowSeats: Seat[] = [];
    for (const [j, s] of r.seats.entries()) {
      const field = `rows[${i}].seats[${j}]`;
      if (s.id !== `${r.id}-${s.number}`) fail(`${field}.id`, `expected '${r.id}-${s.number}' (row-number), got '${s.id}'`);
      if (seats.has(s.id)) fail(`${field}.id`, `expected a unique seat id, got '${s.id}' twice`);
      if (valueAt(grid, s.x, s.y) === undefined) fail(field, `expected a seat inside the map, got (${s.x}, ${s.y})`);
      const seat: Seat = { id: s.id, row: r.id, number: s.number, pose: { x: s.x, y: s.y, yawRad: s.yaw, floor: r.floor } };
      seats.set(s.id, seat);
      rowSeats.push(seat);
    }
    rows.push({ id: r.id, floor: r.floor, seats: rowSeats, aislePose: pose(r.aisle_pose, r.floor) });
  }

  const pois: Poi[] = [];
  for (const [i, p] of file.pois.entries()) {
    if (pois.some((other) => other.id === p.id)) fail(`pois[${i}].id`, `expected a unique POI id, got '${p.id}' twice`);
    requireFree(gridOf(p.floor, `pois[${i}].floor`), p.x, p.y, `pois[${i}]`);
    pois.push({ id: p.id, kind: p.kind, name: p.name, pose: pose(p, p.floor) });
  }

  const zones: Zone[] = file.zones.map((z, i) => {
    gridOf(z.floor, `zones[${i}].floor`);
    return {
      id: z.id,
      kind: z.kind,
      floor: z.floor,
      polygon: z.polygon,
      ...(z.max_speed_mps !== undefined ? { maxSpeedMps: z.max_speed_mps } : {}),
    };
  });

  const rowById = new Map(rows.map((r) => [r.id, r]));
  log.debug({ dir: root, floors: floors.length, rows: rows.length, seats: seats.size, pois: pois.length }, 'venue loaded');
  return {
    id: file.id,
    name: file.name,
    dir: root,
    floors,
    rows,
    pois,
    zones,
    seat: (id) => seats.get(id),
    row: (id) => rowById.get(id),
    poi: (idOrKind) => pois.find((p) => p.id === idOrKind) ?? pois.find((p) => p.kind === idOrKind),
    floor(id?: string): Floor {
      const floor = id === undefined ? floors[0] : floorById.get(id);
      if (!floor) throw new RangeError(`venue ${file.id}: no floor '${id}' (floors: ${[...floorById.keys()].join(', ')})`);
      return floor;
    },
  };
}

/** Reads a Nav2 map.yaml and its image into an OccupancyGrid (trinary mode). */
export async function loadMap(mapYamlPath: string): Promise<OccupancyGrid> {
  const source = parseYaml(await readText(mapYamlPath), mapYamlPath);
  const map = checkSchema(MapYaml, source.value, mapYamlPath, source.lineOf);
  const imagePath = resolve(dirname(mapYamlPath), map.image);
  const greymap = parsePgm(await readBytes(imagePath), imagePath);
  return gridFromGreymap(greymap, {
    resolutionM: map.resolution,
    origin: map.origin,
    negate: map.negate === 1,
    occupiedThresh: map.occupied_thresh,
    freeThresh: map.free_thresh,
  });
}

function pose(p: { x: number; y: number; yaw: number }, floor: string): Pose2D {
  return { x: p.x, y: p.y, yawRad: p.yaw, floor };
}

function parseJson(text: string, file: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (err: unknown) {
    throw new InputError(`${file}: (document): expected valid JSON, got ${err instanceof Error ? err.message : String(err)}`);
  }
}

async function readText(file: string): Promise<string> {
  return (await readBytes(file)).toString('utf8');
}

async function readBytes(file: string): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch (err: unknown) {
    throw new InputError(`${file}: expected a readable file, got ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
}
