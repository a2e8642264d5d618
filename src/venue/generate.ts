/**
 * The venue generator: a hall description (hall.yaml, see hall-schema.ts) → a Nav2 map
 * (map.pgm + map.yaml, one floor) and venue.json. Deterministic: the same description
 * gives the same bytes. Seats and walls are painted as occupied cells (the robot drives
 * in the aisles); everything else inside the hall is free.
 */
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { InputError } from '../shared/errors.ts';
import { checkSchema, fieldPath } from './check-schema.ts';
import { HallDescription } from './hall-schema.ts';
import { encodePgm } from './pgm.ts';
import type { VenueFile } from './schema.ts';
import { parseYaml } from './yaml-source.ts';

/** Pixel values written (Nav2 conventions: 254 free, 0 occupied). */
const FREE_PIXEL = 254;
const OCCUPIED_PIXEL = 0;
const EPS = 1e-9;

export interface GeneratedVenue {
  readonly pgm: Buffer;
  readonly mapYaml: string;
  readonly venueJson: string;
  readonly venue: VenueFile;
  readonly width: number;
  readonly height: number;
}

/** Reads and validates a hall description; errors name `file:line: field`. */
export function parseHallDescription(text: string, file: string): HallDescription {
  const source = parseYaml(text, file);
  const hall = checkSchema(HallDescription, source.value, file, source.lineOf);
  const fail = (pointer: string, what: string): never => {
    const line = source.lineOf(pointer);
    throw new InputError(`${file}${line !== undefined ? `:${line}` : ''}: ${fieldPath(pointer)}: ${what}`);
  };
  hall.walls.forEach((w, i) => {
    if (w.from[0] !== w.to[0] && w.from[1] !== w.to[1]) fail(`/walls/${i}`, `expected an axis-aligned segment, got ${JSON.stringify([w.from, w.to])}`);
  });
  hall.openings.forEach((o, i) => {
    if (o.from[0] !== o.to[0] && o.from[1] !== o.to[1]) fail(`/openings/${i}`, `expected an axis-aligned segment, got ${JSON.stringify([o.from, o.to])}`);
  });
  hall.obstacles.forEach((o, i) => {
    const [x0, y0, x1, y1] = o.rect;
    if (!(x0 < x1 && y0 < y1)) fail(`/obstacles/${i}/rect`, `expected [x_min, y_min, x_max, y_max] with min < max, got ${JSON.stringify(o.rect)}`);
  });
  for (const [list, key] of [
    [hall.pois, 'pois'],
    [hall.zones, 'zones'],
  ] as const) {
    const seen = new Set<string>();
    list.forEach((item, i) => {
      if (seen.has(item.id)) fail(`/${key}/${i}/id`, `expected a unique id, got '${item.id}' twice`);
      seen.add(item.id);
    });
  }
  hall.zones.forEach((z, i) => {
    if (z.kind === 'slow' && z.max_speed_mps === undefined) fail(`/zones/${i}/max_speed_mps`, 'expected a speed for a slow zone, got nothing');
  });
  return hall;
}

/** Row letters: A..Z, then AA, AB, … */
export function rowLetter(index: number): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
  return index < 26 ? alphabet[index]! : alphabet[Math.floor(index / 26) - 1]! + alphabet[index % 26]!;
}

const mm = (v: number): number => Math.round(v * 1000) / 1000 + 0;
const rad = (deg: number): number => Math.round(((deg * Math.PI) / 180) * 1e6) / 1e6 + 0;

/** Renders the description; `file` names it in errors (POIs or aisle poses on obstacles). */
export function generateVenue(hall: HallDescription, file: string): GeneratedVenue {
  const res = hall.resolution_m;
  const width = Math.round(hall.size_m[0] / res);
  const height = Math.round(hall.size_m[1] / res);
  const pixels = new Uint8Array(width * height).fill(FREE_PIXEL);

  /** Paints every cell whose centre lies in the rectangle (map frame, origin at 0,0). */
  const paint = (x0: number, y0: number, x1: number, y1: number, value: number): void => {
    const c0 = Math.max(0, Math.ceil(x0 / res - 0.5 - EPS));
    const c1 = Math.min(width - 1, Math.floor(x1 / res - 0.5 + EPS));
    const b0 = Math.max(0, Math.ceil(y0 / res - 0.5 - EPS));
    const b1 = Math.min(height - 1, Math.floor(y1 / res - 0.5 + EPS));
    for (let b = b0; b <= b1; b++) {
      const row = height - 1 - b;
      pixels.fill(value, row * width + c0, row * width + c1 + 1);
    }
  };
  const pixelAt = (x: number, y: number): number | undefined => {
    const col = Math.floor(x / res);
    const b = Math.floor(y / res);
    if (col < 0 || col >= width || b < 0 || b >= height) return undefined;
    return pixels[(height - 1 - b) * width + col];
  };

  const [sizeX, sizeY] = hall.size_m;
  const t = hall.wall_thickness_m;
  paint(0, 0, sizeX, t, OCCUPIED_PIXEL);
  paint(0, sizeY - t, sizeX, sizeY, OCCUPIED_PIXEL);
  paint(0, 0, t, sizeY, OCCUPIED_PIXEL);
  paint(sizeX - t, 0, sizeX, sizeY, OCCUPIED_PIXEL);
  for (const w of hall.walls) {
    const [ax, ay] = w.from;
    const [bx, by] = w.to;
    paint(Math.min(ax, bx) - t / 2, Math.min(ay, by) - t / 2, Math.max(ax, bx) + t / 2, Math.max(ay, by) + t / 2, OCCUPIED_PIXEL);
  }
  // An opening clears a full wall thickness on both sides of its segment, so it cuts
  // through a wall whether the segment lies on the wall's face or its centre line.
  for (const o of hall.openings) {
    const [ax, ay] = o.from;
    const [bx, by] = o.to;
    const vertical = ax === bx;
    const dx = vertical ? t : 0;
    const dy = vertical ? 0 : t;
    paint(Math.min(ax, bx) - dx, Math.min(ay, by) - dy, Math.max(ax, bx) + dx, Math.max(ay, by) + dy, FREE_PIXEL);
  }
  for (const o of hall.obstacles) paint(o.rect[0], o.rect[1], o.rect[2], o.rect[3], OCCUPIED_PIXEL);

  const s = hall.seating;
  const floor = hall.floor.id;
  const rows: VenueFile['rows'] = [];
  for (let i = 0; i < s.rows; i++) {
    const id = rowLetter(i);
    const front = s.front_x_m - i * s.row_pitch_m;
    const chairBack = front - s.row_pitch_m;
    const seatX = chairBack + s.chair_depth_m / 2;
    const seats: VenueFile['rows'][number]['seats'][number][] = [];
    let number = 0;
    for (const block of s.blocks) {
      paint(chairBack, block.left_y_m - block.seats * s.seat_width_m, chairBack + s.chair_depth_m, block.left_y_m, OCCUPIED_PIXEL);
      for (let k = 0; k < block.seats; k++) {
        number++;
        seats.push({ id: `${id}-${number}`, number, x: mm(seatX), y: mm(block.left_y_m - (k + 0.5) * s.seat_width_m), yaw: 0 });
      }
    }
    rows.push({ id, floor, aisle_pose: { x: mm(seatX), y: mm(s.aisle.y_m), yaw: rad(s.aisle.yaw_deg) }, seats });
  }

  const freeOrFail = (x: number, y: number, field: string): void => {
    const p = pixelAt(x, y);
    if (p !== FREE_PIXEL) {
      throw new InputError(`${file}: ${field}: expected a free cell inside the map, got ${p === undefined ? 'a point outside' : 'an obstacle'} at (${x}, ${y})`);
    }
  };
  hall.pois.forEach((p, i) => freeOrFail(p.pose.x, p.pose.y, `pois[${i}].pose`));
  rows.forEach((r) => freeOrFail(r.aisle_pose.x, r.aisle_pose.y, `seating.aisle (row ${r.id})`));

  const venue: VenueFile = {
    id: hall.id,
    name: hall.name,
    floors: [{ id: floor, name: hall.floor.name, map: 'map.yaml' }],
    rows,
    pois: hall.pois.map((p) => ({ id: p.id, kind: p.kind, name: p.name, floor, x: mm(p.pose.x), y: mm(p.pose.y), yaw: rad(p.pose.yaw_deg) })),
    zones: hall.zones.map((z) => ({
      id: z.id,
      kind: z.kind,
      floor,
      polygon: z.polygon.map(([x, y]) => [mm(x), mm(y)] as [number, number]),
      ...(z.max_speed_mps !== undefined ? { max_speed_mps: z.max_speed_mps } : {}),
    })),
  };

  const mapYaml = [
    `# Generated by \`letan map build\` from the hall description; do not edit.`,
    'image: map.pgm',
    'mode: trinary',
    `resolution: ${res}`,
    'origin: [0.0, 0.0, 0.0]',
    'negate: 0',
    'occupied_thresh: 0.65',
    'free_thresh: 0.196',
    '',
  ].join('\n');
  return { pgm: encodePgm(width, height, pixels, `${hall.id} ${floor}`), mapYaml, venueJson: formatJson(venue), venue, width, height };
}

/** JSON with 2-space indent, innermost objects and arrays kept on one line (seats, points). */
function formatJson(value: unknown): string {
  const text = JSON.stringify(value, null, 2);
  return `${text.replace(/([{[])\n\s+([^{}[\]]*?)\n\s*([}\]])/g, (_m, open: string, body: string) => {
    const inner = body.replace(/\n\s*/g, ' ');
    return open === '{' ? `{ ${inner} }` : `[${inner}]`;
  })}\n`;
}

/**
 * `letan map build`: reads `descriptionPath` and writes map.pgm, map.yaml and
 * venue.json beside it. All three are written to temporary files first and renamed
 * into place only when every one is complete.
 */
export async function buildVenueFiles(descriptionPath: string): Promise<{ files: string[]; generated: GeneratedVenue }> {
  const text = await readFile(descriptionPath, 'utf8').catch((err: unknown) => {
    throw new InputError(`${descriptionPath}: expected a readable hall description, got ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  });
  const generated = generateVenue(parseHallDescription(text, basename(descriptionPath)), basename(descriptionPath));
  const dir = dirname(descriptionPath);
  const outputs: [string, string | Buffer][] = [
    ['map.pgm', generated.pgm],
    ['map.yaml', generated.mapYaml],
    ['venue.json', generated.venueJson],
  ];
  const temps = outputs.map(([name]) => join(dir, `.${name}.tmp-${process.pid}`));
  try {
    await Promise.all(outputs.map(([, data], i) => writeFile(temps[i]!, data)));
    for (const [i, [name]] of outputs.entries()) await rename(temps[i]!, join(dir, name));
  } finally {
    await Promise.all(temps.map((f) => rm(f, { force: true })));
  }
  return { files: outputs.map(([name]) => join(dir, name)), generated };
}
