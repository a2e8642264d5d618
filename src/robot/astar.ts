/**
 * Global planner for the simulated robot: obstacles inflated by the robot radius,
 * 8-connected A* (octile heuristic, binary heap, no corner cutting), then greedy
 * line-of-sight shortcutting so the path is a few straight legs.
 */
import type { Pose2D } from './robot-port.ts';
import type { OccupancyGrid } from '../venue/types.ts';
import { FREE, cellCenter, worldToCell, worldToCellFloat } from '../venue/occupancy-grid.ts';
import { BinaryHeap } from './binary-heap.ts';
import { segmentClear } from './grid-line.ts';
import { diskOffsets, inflate, stampDisk, type BlockedMask } from './inflate.ts';

/** A round dynamic obstacle (a person, a dropped bag) in the map frame. */
export interface CircleObstacle {
  readonly x: number;
  readonly y: number;
  readonly radiusM: number;
}

export interface PlanOptions {
  readonly robotRadiusM: number;
  /** Extra obstacles on top of the map (inflated by the robot radius too). */
  readonly obstacles?: readonly CircleObstacle[];
  /** How far a goal inside the inflated area may move to reach a reachable cell (default 0.5 m). */
  readonly goalSnapM?: number;
}

export type PlanResult =
  | { readonly ok: true; readonly path: readonly Pose2D[]; readonly lengthM: number }
  | { readonly ok: false; readonly reason: 'start-blocked' | 'goal-blocked' | 'no-path'; readonly detail: string };

const SQRT2 = Math.SQRT2;

/** The planner's view of a grid: the inflated map, plus any dynamic obstacles. */
export function blockedMask(grid: OccupancyGrid, opts: PlanOptions): BlockedMask {
  const base = inflate(grid, opts.robotRadiusM);
  if (!opts.obstacles?.length) return base;
  const mask = Uint8Array.from(base);
  for (const o of opts.obstacles) {
    const cell = worldToCellFloat(grid, o.x, o.y);
    stampDisk(mask, grid.width, grid.height, Math.floor(cell.col), Math.floor(cell.row), diskOffsets((o.radiusM + opts.robotRadiusM) / grid.resolutionM));
  }
  return mask;
}

/** Plans from `from` to `to` on `grid` (both on that grid's floor). Never throws for unreachable goals. */
export function planPath(grid: OccupancyGrid, from: Pose2D, to: Pose2D, opts: PlanOptions): PlanResult {
  const { width, height } = grid;
  const mask = blockedMask(grid, opts);
  const isBlocked = (col: number, row: number): boolean => col < 0 || row < 0 || col >= width || row >= height || mask[row * width + col] === 1;

  const start = worldToCell(grid, from.x, from.y);
  if (!start) return { ok: false, reason: 'start-blocked', detail: `start (${fmt(from.x)}, ${fmt(from.y)}) is outside the map` };
  if (isBlocked(start.col, start.row)) {
    return { ok: false, reason: 'start-blocked', detail: `start (${fmt(from.x)}, ${fmt(from.y)}) is within ${opts.robotRadiusM} m of an obstacle` };
  }

  const goalCell = worldToCell(grid, to.x, to.y);
  if (!goalCell) return { ok: false, reason: 'goal-blocked', detail: `goal (${fmt(to.x)}, ${fmt(to.y)}) is outside the map` };
  let goal = goalCell;
  let goalPoint = { x: to.x, y: to.y };
  if (isBlocked(goal.col, goal.row)) {
    const rawFree = grid.cells[goal.row * width + goal.col] === FREE;
    const snapped = rawFree ? snapGoal(grid, isBlocked, to, opts.goalSnapM ?? 0.5) : undefined;
    if (!snapped) {
      return {
        ok: false,
        reason: 'goal-blocked',
        detail: `goal (${fmt(to.x)}, ${fmt(to.y)}) is ${rawFree ? `within ${opts.robotRadiusM} m of an obstacle, with no reachable cell within ${opts.goalSnapM ?? 0.5} m` : 'on an obstacle'}`,
      };
    }
    goal = snapped;
    goalPoint = cellCenter(grid, snapped.col, snapped.row);
  }

  const cells = search(width, height, mask, start.col + start.row * width, goal.col + goal.row * width);
  if (!cells) return { ok: false, reason: 'no-path', detail: `no path from (${fmt(from.x)}, ${fmt(from.y)}) to (${fmt(to.x)}, ${fmt(to.y)})` };

  // Exact start, cell centres, exact goal: consecutive points always see each other,
  // since the exact points lie inside the first and last cells.
  const points: { col: number; row: number }[] = [worldToCellFloat(grid, from.x, from.y)];
  for (const i of cells) points.push({ col: (i % width) + 0.5, row: Math.floor(i / width) + 0.5 });
  points.push(worldToCellFloat(grid, goalPoint.x, goalPoint.y));
  const legs = shortcut(points, isBlocked);

  const world = legs.map((p, k) => {
    if (k === 0) return { x: from.x, y: from.y };
    if (k === legs.length - 1) return goalPoint;
    return cellCenter(grid, p.col - 0.5, p.row - 0.5);
  });
  const path: Pose2D[] = [];
  let lengthM = 0;
  for (let k = 0; k < world.length; k++) {
    const p = world[k]!;
    const next = world[k + 1];
    if (k > 0) lengthM += Math.hypot(p.x - world[k - 1]!.x, p.y - world[k - 1]!.y);
    const yawRad = k === 0 ? from.yawRad : next ? Math.atan2(next.y - p.y, next.x - p.x) : to.yawRad;
    path.push({ x: p.x, y: p.y, yawRad, ...(to.floor !== undefined ? { floor: to.floor } : {}) });
  }
  return { ok: true, path, lengthM };
}

/**
 * A* over cell indices; returns the cells from start to goal inclusive, or undefined.
 * Ties in f are broken towards the goal (h scaled by 1 + 1e-3), which keeps open-hall
 * searches narrow; the path stays within 0.1 % of the shortest.
 */
function search(width: number, height: number, mask: BlockedMask, startIdx: number, goalIdx: number): number[] | undefined {
  const n = width * height;
  const g = new Float64Array(n).fill(Infinity);
  const parent = new Int32Array(n).fill(-1);
  const closed = new Uint8Array(n);
  const heap = new BinaryHeap(4096);
  const gc = goalIdx % width;
  const gr = (goalIdx - gc) / width;
  const TIE = 1 + 1e-3;
  const h = (c: number, r: number): number => {
    const dx = c > gc ? c - gc : gc - c;
    const dy = r > gr ? r - gr : gr - r;
    return (dx + dy + (SQRT2 - 2) * (dx < dy ? dx : dy)) * TIE;
  };
  g[startIdx] = 0;
  heap.push(startIdx, h(startIdx % width, Math.floor(startIdx / width)));
  while (heap.size > 0) {
    const current = heap.pop();
    if (closed[current] === 1) continue;
    if (current === goalIdx) break;
    closed[current] = 1;
    const c = current % width;
    const r = (current - c) / width;
    const gCurrent = g[current]!;
    const west = c > 0 && mask[current - 1] === 0;
    const east = c < width - 1 && mask[current + 1] === 0;
    const north = r > 0 && mask[current - width] === 0;
    const south = r < height - 1 && mask[current + width] === 0;
    // Diagonal steps need both orthogonal neighbours free (no corner cutting).
    for (let k = 0; k < 8; k++) {
      let next: number;
      let cost = 1;
      switch (k) {
        case 0: if (!west) continue; next = current - 1; break;
        case 1: if (!east) continue; next = current + 1; break;
        case 2: if (!north) continue; next = current - width; break;
        case 3: if (!south) continue; next = current + width; break;
        case 4: if (!(north && west)) continue; next = current - width - 1; cost = SQRT2; break;
        case 5: if (!(north && east)) continue; next = current - width + 1; cost = SQRT2; break;
        case 6: if (!(south && west)) continue; next = current + width - 1; cost = SQRT2; break;
        default: if (!(south && east)) continue; next = current + width + 1; cost = SQRT2; break;
      }
      if (mask[next] === 1 || closed[next] === 1) continue;
      const tentative = gCurrent + cost;
      if (tentative < g[next]!) {
        g[next] = tentative;
        parent[next] = current;
        const nc = next % width;
        heap.push(next, tentative + h(nc, (next - nc) / width));
      }
    }
  }
  if (g[goalIdx] === Infinity) return undefined;
  const cells: number[] = [];
  for (let i = goalIdx; i !== -1; i = parent[i]!) cells.push(i);
  return cells.reverse();
}

/** Greedy line-of-sight shortcutting: from each kept point, skip ahead while the straight leg stays clear. */
function shortcut<P extends { col: number; row: number }>(points: readonly P[], isBlocked: (c: number, r: number) => boolean): P[] {
  const out: P[] = [points[0]!];
  let anchor = points[0]!;
  for (let i = 1; i < points.length; i++) {
    const next = points[i + 1];
    if (next && segmentClear(isBlocked, anchor.col, anchor.row, next.col, next.row)) continue;
    out.push(points[i]!);
    anchor = points[i]!;
  }
  return out;
}

/** The nearest unblocked cell within `radiusM` of `to` that a straight line from `to` reaches without crossing an obstacle. */
function snapGoal(
  grid: OccupancyGrid,
  isBlocked: (c: number, r: number) => boolean,
  to: Pose2D,
  radiusM: number,
): { col: number; row: number } | undefined {
  const exact = worldToCellFloat(grid, to.x, to.y);
  const radiusCells = radiusM / grid.resolutionM;
  const r = Math.ceil(radiusCells);
  const c0 = Math.floor(exact.col);
  const r0 = Math.floor(exact.row);
  const rawBlocked = (c: number, row: number): boolean =>
    c < 0 || row < 0 || c >= grid.width || row >= grid.height || grid.cells[row * grid.width + c] !== FREE;
  let best: { col: number; row: number } | undefined;
  let bestD2 = Infinity;
  for (let dr = -r; dr <= r; dr++) {
    for (let dc = -r; dc <= r; dc++) {
      const col = c0 + dc;
      const row = r0 + dr;
      const d2 = (col + 0.5 - exact.col) ** 2 + (row + 0.5 - exact.row) ** 2;
      if (d2 > radiusCells * radiusCells || d2 >= bestD2 || isBlocked(col, row)) continue;
      if (!segmentClear(rawBlocked, exact.col, exact.row, col + 0.5, row + 0.5)) continue;
      best = { col, row };
      bestD2 = d2;
    }
  }
  return best;
}

function fmt(v: number): string {
  return v.toFixed(2);
}
