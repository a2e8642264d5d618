/**
 * Obstacle inflation for a circular robot: a cell is blocked when the robot's centre
 * there would bring it within `radiusM` of an occupied or unknown cell (cell centre to
 * cell centre). Computed once per (grid, radius) and cached: grids are immutable.
 */
import type { OccupancyGrid } from '../venue/types.ts';

/** 1 = the robot's centre may not be in this cell; row-major from the top row, like `grid.cells`. */
export type BlockedMask = Uint8Array;

const cache = new WeakMap<OccupancyGrid, Map<number, BlockedMask>>();

export function inflate(grid: OccupancyGrid, radiusM: number): BlockedMask {
  const radiusCells = radiusM / grid.resolutionM;
  let perGrid = cache.get(grid);
  if (!perGrid) cache.set(grid, (perGrid = new Map<number, BlockedMask>()));
  const cached = perGrid.get(radiusCells);
  if (cached) return cached;
  const mask = computeInflation(grid, radiusCells);
  perGrid.set(radiusCells, mask);
  return mask;
}

/** Offsets (dx, dy) of the cells whose centres lie within `radiusCells` of a cell's centre. */
export function diskOffsets(radiusCells: number): Int32Array {
  const r = Math.floor(radiusCells + 1e-9);
  const out: number[] = [];
  for (let dy = -r; dy <= r; dy++) {
    for (let dx = -r; dx <= r; dx++) if (dx * dx + dy * dy <= radiusCells * radiusCells + 1e-9) out.push(dx, dy);
  }
  return Int32Array.from(out);
}

/** Marks `mask` blocked within `radiusCells` of (col, row). */
export function stampDisk(mask: Uint8Array, width: number, height: number, col: number, row: number, offsets: Int32Array): void {
  for (let k = 0; k < offsets.length; k += 2) {
    const c = col + offsets[k]!;
    const r = row + offsets[k + 1]!;
    if (c >= 0 && c < width && r >= 0 && r < height) mask[r * width + c] = 1;
  }
}

function computeInflation(grid: OccupancyGrid, radiusCells: number): BlockedMask {
  const { width, height, cells } = grid;
  const mask = new Uint8Array(width * height);
  const offsets = diskOffsets(radiusCells);
  for (let row = 0; row < height; row++) {
    for (let col = 0; col < width; col++) {
      const i = row * width + col;
      if (cells[i] === 0) continue;
      mask[i] = 1;
      // Only obstacle cells on a boundary with free space can block anything new.
      const boundary =
        (col > 0 && cells[i - 1] === 0) ||
        (col < width - 1 && cells[i + 1] === 0) ||
        (row > 0 && cells[i - width] === 0) ||
        (row < height - 1 && cells[i + width] === 0);
      if (boundary) stampDisk(mask, width, height, col, row, offsets);
    }
  }
  return mask;
}
