/**
 * OccupancyGrid helpers (Nav2 map_server semantics).
 *
 * `cells` is row-major from the TOP image row (as stored in the PGM) while `origin` is
 * the pose of the LOWER-LEFT pixel: cell (col, row) covers map x in
 * [col, col+1)·res and map y in [height-1-row, height-row)·res, relative to the origin
 * and rotated by the origin's yaw.
 */
import type { OccupancyGrid } from './types.ts';
import type { Greymap } from './pgm.ts';

export const FREE = 0;
export const OCCUPIED = 100;
export const UNKNOWN = -1;

export interface Cell {
  readonly col: number;
  readonly row: number;
}

export interface TrinaryParams {
  readonly resolutionM: number;
  readonly origin: readonly [number, number, number];
  readonly negate: boolean;
  readonly occupiedThresh: number;
  readonly freeThresh: number;
}

/**
 * Nav2 trinary mode: occupancy = 1 − p/maxval (p/maxval when negate); above
 * occupied_thresh → 100, below free_thresh → 0, otherwise −1 (unknown).
 */
export function gridFromGreymap(map: Greymap, params: TrinaryParams): OccupancyGrid {
  const cells = new Int8Array(map.width * map.height);
  for (let i = 0; i < cells.length; i++) {
    const shade = map.pixels[i]! / map.maxval;
    const occupancy = params.negate ? shade : 1 - shade;
    cells[i] = occupancy > params.occupiedThresh ? OCCUPIED : occupancy < params.freeThresh ? FREE : UNKNOWN;
  }
  return { width: map.width, height: map.height, resolutionM: params.resolutionM, origin: params.origin, cells };
}

/** Continuous cell coordinates (x grows with columns, y with rows counted from the BOTTOM). */
function toLocal(grid: OccupancyGrid, x: number, y: number): { u: number; v: number } {
  const [ox, oy, yaw] = grid.origin;
  const dx = x - ox;
  const dy = y - oy;
  const c = Math.cos(yaw);
  const s = Math.sin(yaw);
  return { u: (c * dx + s * dy) / grid.resolutionM, v: (-s * dx + c * dy) / grid.resolutionM };
}

/** The cell holding map point (x, y), or undefined when outside the grid. */
export function worldToCell(grid: OccupancyGrid, x: number, y: number): Cell | undefined {
  const { u, v } = toLocal(grid, x, y);
  const col = Math.floor(u);
  const fromBottom = Math.floor(v);
  if (!(col >= 0 && col < grid.width && fromBottom >= 0 && fromBottom < grid.height)) return undefined;
  return { col, row: grid.height - 1 - fromBottom };
}

/** Fractional cell coordinates of (x, y): column, and row from the top (cell centres at +0.5). */
export function worldToCellFloat(grid: OccupancyGrid, x: number, y: number): { col: number; row: number } {
  const { u, v } = toLocal(grid, x, y);
  return { col: u, row: grid.height - v };
}

/** Map coordinates of a cell's centre. */
export function cellCenter(grid: OccupancyGrid, col: number, row: number): { x: number; y: number } {
  const u = (col + 0.5) * grid.resolutionM;
  const v = (grid.height - 1 - row + 0.5) * grid.resolutionM;
  const [ox, oy, yaw] = grid.origin;
  const c = Math.cos(yaw);
  const s = Math.sin(yaw);
  return { x: ox + c * u - s * v, y: oy + s * u + c * v };
}

export function cellIndex(grid: OccupancyGrid, col: number, row: number): number {
  return row * grid.width + col;
}

/** The cell value at map point (x, y) (0 free, 100 occupied, −1 unknown), or undefined off the grid. */
export function valueAt(grid: OccupancyGrid, x: number, y: number): number | undefined {
  const cell = worldToCell(grid, x, y);
  return cell ? grid.cells[cellIndex(grid, cell.col, cell.row)] : undefined;
}

/** True when (x, y) lies on the grid on a free cell. */
export function isFree(grid: OccupancyGrid, x: number, y: number): boolean {
  return valueAt(grid, x, y) === FREE;
}

/** Width and height of the grid in metres. */
export function gridSizeM(grid: OccupancyGrid): { widthM: number; heightM: number } {
  return { widthM: grid.width * grid.resolutionM, heightM: grid.height * grid.resolutionM };
}
