import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../shared/paths.ts';
import { loadVenue } from '../venue/load-venue.ts';
import { worldToCell } from '../venue/occupancy-grid.ts';
import type { OccupancyGrid, Venue } from '../venue/types.ts';
import { blockedMask, planPath, type PlanOptions } from './astar.ts';
import { BinaryHeap } from './binary-heap.ts';
import { inflate } from './inflate.ts';
import type { Pose2D } from './robot-port.ts';

const opts: PlanOptions = { robotRadiusM: 0.3 };
let venue: Venue;
let grid: OccupancyGrid;
let post: Pose2D;

beforeAll(async () => {
  venue = await loadVenue(resolve(repoRoot, 'maps/demo-hall'));
  grid = venue.floor().grid;
  post = venue.poi('reception-post')!.pose;
});

/** Samples every leg each centimetre and returns the first point in an inflated (or off-map) cell. */
function firstCollision(path: readonly Pose2D[], mask: Uint8Array): { x: number; y: number } | undefined {
  for (let k = 1; k < path.length; k++) {
    const a = path[k - 1]!;
    const b = path[k]!;
    const n = Math.max(1, Math.ceil(Math.hypot(b.x - a.x, b.y - a.y) / 0.01));
    for (let i = 0; i <= n; i++) {
      const x = a.x + ((b.x - a.x) * i) / n;
      const y = a.y + ((b.y - a.y) * i) / n;
      const cell = worldToCell(grid, x, y);
      if (!cell || mask[cell.row * grid.width + cell.col] === 1) return { x, y };
    }
  }
  return undefined;
}

describe('planPath on the demo hall', () => {
  it('reaches every row and the lift lobby from the reception post without touching an inflated cell', () => {
    const mask = inflate(grid, opts.robotRadiusM);
    const goals = [...venue.rows.map((r) => ({ name: `row ${r.id}`, pose: r.aislePose })), { name: 'lift', pose: venue.poi('lift')!.pose }];
    for (const { name, pose } of goals) {
      const plan = planPath(grid, post, pose, opts);
      if (!plan.ok) throw new Error(`${name}: ${plan.reason} ${plan.detail}`);
      expect(plan.path[0]).toMatchObject({ x: post.x, y: post.y });
      expect(plan.path.at(-1)).toMatchObject({ x: pose.x, y: pose.y, yawRad: pose.yawRad });
      expect(firstCollision(plan.path, mask), name).toBeUndefined();
      const straight = Math.hypot(pose.x - post.x, pose.y - post.y);
      expect(plan.lengthM).toBeGreaterThanOrEqual(straight - 1e-9);
      // Shortcutting leaves a few straight legs, not a staircase of cells.
      expect(plan.path.length, name).toBeLessThan(8);
    }
  });

  it('goes around the seat blocks to reach the emergency exits', () => {
    const exit = venue.poi('exit-north')!.pose;
    const plan = planPath(grid, post, exit, opts);
    if (!plan.ok) throw new Error(plan.detail);
    expect(plan.lengthM).toBeGreaterThan(Math.hypot(exit.x - post.x, exit.y - post.y) + 0.5);
    expect(firstCollision(plan.path, inflate(grid, 0.3))).toBeUndefined();
  });

  it('reports a start on an obstacle, a goal on an obstacle, and no path', () => {
    const wall: Pose2D = { x: 0.1, y: 5, yawRad: 0 };
    expect(planPath(grid, wall, post, opts)).toMatchObject({ ok: false, reason: 'start-blocked' });
    expect(planPath(grid, { x: 50, y: 5, yawRad: 0 }, post, opts)).toMatchObject({ ok: false, reason: 'start-blocked' });
    const stage: Pose2D = { x: 28, y: 10, yawRad: 0 };
    expect(planPath(grid, post, stage, opts)).toMatchObject({ ok: false, reason: 'goal-blocked' });
    // A dynamic obstacle in the lift lobby's doorway closes the only way in.
    const closed = planPath(grid, post, venue.poi('lift')!.pose, { ...opts, obstacles: [{ x: 3, y: 4.5, radiusM: 0.6 }] });
    expect(closed).toMatchObject({ ok: false, reason: 'no-path' });
  });

  it('snaps a goal just inside the inflated area to the nearest reachable cell within 0.5 m', () => {
    // 0.15 m from the lift lobby's east wall (x 4.9..5.1): raw-free but inside the robot radius.
    const goal: Pose2D = { x: 4.75, y: 3, yawRad: 0 };
    const plan = planPath(grid, post, goal, opts);
    if (!plan.ok) throw new Error(plan.detail);
    const end = plan.path.at(-1)!;
    expect(Math.hypot(end.x - goal.x, end.y - goal.y)).toBeLessThanOrEqual(0.5);
    expect(end.x).toBeLessThan(goal.x);
    expect(firstCollision(plan.path, inflate(grid, 0.3))).toBeUndefined();
    // Too far from free space: a spot in the 0.4 m legroom between two seat rows.
    const row = venue.row('H')!;
    const legroom: Pose2D = { x: row.seats[3]!.pose.x + 0.45, y: row.seats[3]!.pose.y, yawRad: 0 };
    expect(planPath(grid, post, legroom, opts)).toMatchObject({ ok: false, reason: 'goal-blocked' });
  });

  it('keeps dynamic obstacles out of the path', () => {
    const goal = venue.row('A')!.aislePose;
    const block = { x: 16, y: 10, radiusM: 0.7 };
    const plan = planPath(grid, post, goal, { ...opts, obstacles: [block] });
    if (!plan.ok) throw new Error(plan.detail);
    expect(firstCollision(plan.path, blockedMask(grid, { ...opts, obstacles: [block] }))).toBeUndefined();
  });
});

describe('inflate', () => {
  it('blocks cells within the radius of an obstacle and caches the mask per grid', () => {
    const mask = inflate(grid, 0.3);
    expect(inflate(grid, 0.3)).toBe(mask);
    const at = (x: number, y: number): number => {
      const c = worldToCell(grid, x, y)!;
      return mask[c.row * grid.width + c.col]!;
    };
    expect(at(0.45, 5)).toBe(1); // 0.25 m from the west wall's face
    expect(at(0.6, 5)).toBe(0);
    expect(at(10, 10)).toBe(0); // centre aisle
  });
});

describe('BinaryHeap', () => {
  it('pops ids in key order', () => {
    const heap = new BinaryHeap(2);
    const keys = [5, 3, 9, 1, 7, 3.5, 0, 8];
    keys.forEach((k, id) => heap.push(id, k));
    const out: number[] = [];
    while (heap.size > 0) out.push(keys[heap.pop()]!);
    expect(out).toEqual([...keys].sort((a, b) => a - b));
    expect(heap.pop()).toBe(-1);
  });
});
