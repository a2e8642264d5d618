/**
 * SimRobot: the embedded RobotPort. Plans on the venue's Nav2 map with A* (astar.ts)
 * and drives the path at constant speed in the injected clock's time, with Nav2
 * NavigateToPose semantics: a new goal preempts (old ends aborted/preempted), cancel
 * and an aborted signal end `canceled`, a latched stop refuses goals until released.
 * Dynamic obstacles (blockAt) trigger one replan; if that fails the goal ends
 * aborted/blocked. Lifts are not simulated yet: a goal on another floor is unreachable.
 */
import type { Clock } from '../shared/clock.ts';
import { errorText } from '../shared/errors.ts';
import { logger } from '../shared/logger.ts';
import type { OccupancyGrid, Venue, Zone } from '../venue/types.ts';
import { OCCUPIED, cellCenter } from '../venue/occupancy-grid.ts';
import { planPath, type CircleObstacle } from './astar.ts';
import type { BatteryState, NavigateOptions, NavOutcome, Pose2D, RobotPort } from './robot-port.ts';

const log = logger('robot/sim');

export interface SimRobotOptions {
  readonly venue: Venue;
  readonly clock: Clock;
  readonly start: Pose2D;
  readonly speedMps: number;
  readonly radiusM: number;
  /** Simulation step in clock time (default 100 ms). */
  readonly tickMs?: number;
  /** Share of a full battery used per hour of driving at `speedMps` (default 0.1). */
  readonly batteryDrainPerHour?: number;
  /** Starting battery level 0..1 (default 1). */
  readonly batteryLevel?: number;
}

/** A dynamic obstacle on a floor. */
export interface SimBlock extends CircleObstacle {
  readonly floor: string;
}

interface ActiveGoal {
  readonly goal: Pose2D;
  readonly controller: AbortController;
  readonly resolve: (outcome: NavOutcome) => void;
  done: boolean;
  detach: () => void;
}

/** A single step may not exceed this much robot time, so an event-loop stall does not teleport the robot. */
const MAX_STEP_MS = 1000;

/** Moves `stepM` metres along `waypoints` from `from`, starting at waypoint `next`. Pure. */
function advance(from: Pose2D, waypoints: readonly Pose2D[], next: number, stepM: number): { x: number; y: number; yawRad: number; next: number; moved: number } {
  let { x, y, yawRad } = from;
  let step = stepM;
  let moved = 0;
  while (step > 0 && next < waypoints.length) {
    const target = waypoints[next]!;
    const d = Math.hypot(target.x - x, target.y - y);
    if (d > 1e-9) yawRad = Math.atan2(target.y - y, target.x - x);
    if (d <= step) {
      x = target.x;
      y = target.y;
      step -= d;
      moved += d;
      next++;
    } else {
      x += ((target.x - x) * step) / d;
      y += ((target.y - y) * step) / d;
      moved += step;
      step = 0;
    }
  }
  return { x, y, yawRad, next, moved };
}

export class SimRobot implements RobotPort {
  private readonly venue: Venue;
  private readonly clock: Clock;
  private readonly maxSpeedMps: number;
  private readonly radiusM: number;
  private readonly tickMs: number;
  private readonly drainPerM: number;
  private current: Pose2D;
  private speed = 0;
  private latched = false;
  private closed = false;
  private active: ActiveGoal | undefined;
  private blocks: SimBlock[] = [];
  private blocksVersion = 0;
  private level: number;
  private readonly listeners = new Set<(pose: Pose2D) => void>();
  private readonly planningGrids = new Map<string, OccupancyGrid>();

  constructor(options: SimRobotOptions) {
    if (!(options.speedMps > 0)) throw new RangeError(`speedMps must be > 0, got ${options.speedMps}`);
    if (!(options.radiusM > 0)) throw new RangeError(`radiusM must be > 0, got ${options.radiusM}`);
    this.venue = options.venue;
    this.clock = options.clock;
    this.maxSpeedMps = options.speedMps;
    this.radiusM = options.radiusM;
    this.tickMs = options.tickMs ?? 100;
    this.drainPerM = (options.batteryDrainPerHour ?? 0.1) / (options.speedMps * 3600);
    this.level = options.batteryLevel ?? 1;
    this.current = { ...options.start, floor: options.start.floor ?? options.venue.floor().id };
  }

  get stopped(): boolean {
    return this.latched;
  }

  pose(): Pose2D {
    return this.current;
  }

  speedMps(): number {
    return this.latched ? 0 : this.speed;
  }

  battery(): BatteryState {
    return { level: this.level, charging: false };
  }

  onPose(listener: (pose: Pose2D) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  navigateTo(goal: Pose2D, options: NavigateOptions = {}): Promise<NavOutcome> {
    if (this.closed) return Promise.resolve({ status: 'aborted', code: 'failed', reason: 'robot closed' });
    if (this.latched) return Promise.resolve({ status: 'aborted', code: 'stopped', reason: 'stop latched; release it first' });
    if (options.signal?.aborted) return Promise.resolve({ status: 'canceled' });
    if (this.active) this.finish(this.active, { status: 'aborted', code: 'preempted', reason: 'a newer goal replaced this one' });

    return new Promise<NavOutcome>((resolve) => {
      const active: ActiveGoal = { goal, controller: new AbortController(), resolve, done: false, detach: () => {} };
      const signal = options.signal;
      if (signal) {
        const onAbort = (): void => this.finish(active, { status: 'canceled' });
        signal.addEventListener('abort', onAbort, { once: true });
        active.detach = () => signal.removeEventListener('abort', onAbort);
      }
      this.active = active;
      this.drive(active, options).catch((err: unknown) => {
        log.error({ err: errorText(err) }, 'drive loop failed');
        this.finish(active, { status: 'aborted', code: 'failed', reason: errorText(err) });
      });
    });
  }

  cancel(): Promise<void> {
    if (this.active) this.finish(this.active, { status: 'canceled' });
    return Promise.resolve();
  }

  stop(): Promise<void> {
    this.latched = true;
    this.speed = 0;
    if (this.active) this.finish(this.active, { status: 'aborted', code: 'stopped', reason: 'stop latched' });
    return Promise.resolve();
  }

  releaseStop(): Promise<void> {
    this.latched = false;
    return Promise.resolve();
  }

  close(): Promise<void> {
    if (this.active) this.finish(this.active, { status: 'canceled' });
    this.closed = true;
    this.listeners.clear();
    return Promise.resolve();
  }

  /** Adds a round dynamic obstacle (tests and demos); a running goal whose path it blocks replans once. */
  blockAt(x: number, y: number, radiusM: number, floor: string = this.current.floor ?? this.venue.floor().id): void {
    this.blocks.push({ x, y, radiusM, floor });
    this.blocksVersion++;
  }

  clearBlocks(): void {
    this.blocks = [];
    this.blocksVersion++;
  }

  private finish(active: ActiveGoal, outcome: NavOutcome): void {
    if (active.done) return;
    active.done = true;
    active.controller.abort();
    active.detach();
    if (this.active === active) {
      this.active = undefined;
      this.speed = 0;
    }
    log.debug({ goal: active.goal, outcome }, 'goal ended');
    active.resolve(outcome);
  }

  private async drive(active: ActiveGoal, options: NavigateOptions): Promise<void> {
    const goal = active.goal;
    const floorId = goal.floor ?? this.venue.floor().id;
    if (!this.venue.floors.some((f) => f.id === floorId)) {
      return this.finish(active, { status: 'aborted', code: 'unreachable', reason: `no floor '${floorId}' in venue ${this.venue.id}` });
    }
    if (floorId !== this.current.floor) {
      return this.finish(active, {
        status: 'aborted',
        code: 'unreachable',
        reason: `no lift route: goal on floor ${floorId}, robot on floor ${this.current.floor ?? '?'}`,
      });
    }
    const grid = this.planningGrid(floorId);
    const plan = (): ReturnType<typeof planPath> =>
      planPath(grid, this.current, { ...goal, floor: floorId }, { robotRadiusM: this.radiusM, obstacles: this.blocks.filter((b) => b.floor === floorId) });

    const first = plan();
    if (!first.ok) return this.finish(active, { status: 'aborted', code: 'unreachable', reason: `${first.reason}: ${first.detail}` });
    let waypoints = first.path;
    let next = 1;
    let seenBlocks = this.blocksVersion;
    let last = this.clock.now();

    for (;;) {
      try {
        await this.clock.sleep(this.tickMs, active.controller.signal);
      } catch {
        return; // the goal ended (preempted, canceled, stopped); finish() already resolved it
      }
      if (active.done) return;
      const now = this.clock.now();
      const dtS = Math.min(Math.max(0, now - last), MAX_STEP_MS) / 1000;
      last = now;

      if (seenBlocks !== this.blocksVersion) {
        seenBlocks = this.blocksVersion;
        if (this.pathBlocked(waypoints, next, floorId)) {
          const again = plan();
          if (!again.ok) return this.finish(active, { status: 'aborted', code: 'blocked', reason: `path blocked and no way around: ${again.detail}` });
          log.info({ goal }, 'path blocked; replanned');
          waypoints = again.path;
          next = 1;
        }
      }

      let speed = Math.min(this.maxSpeedMps, options.maxSpeedMps ?? Infinity, this.zoneSpeedCap(this.current, floorId));
      let stepped = advance(this.current, waypoints, next, speed * dtS);
      // Never enter a slow zone faster than it allows: a step ending inside one is taken at its speed.
      const capAtEnd = this.zoneSpeedCap(stepped, floorId);
      if (capAtEnd < speed) {
        speed = capAtEnd;
        stepped = advance(this.current, waypoints, next, speed * dtS);
      }
      this.speed = this.latched ? 0 : speed;
      const { x, y, yawRad, moved } = stepped;
      next = stepped.next;
      const arrived = next >= waypoints.length;
      this.level = Math.max(0, this.level - moved * this.drainPerM);
      this.publish({ x, y, yawRad: arrived ? goal.yawRad : yawRad, floor: floorId });
      const remaining = remainingM(this.current, waypoints, next);
      options.onFeedback?.({ pose: this.current, distanceRemainingM: remaining, etaS: remaining / (speed > 0 ? speed : this.maxSpeedMps) });
      if (arrived) return this.finish(active, { status: 'succeeded' });
    }
  }

  private publish(pose: Pose2D): void {
    this.current = pose;
    for (const listener of this.listeners) {
      try {
        listener(pose);
      } catch (err: unknown) {
        log.warn({ err: errorText(err) }, 'pose listener threw');
      }
    }
  }

  /** True when a block lies on the rest of the path (one map cell of tolerance, as the planner works in cells). */
  private pathBlocked(waypoints: readonly Pose2D[], next: number, floorId: string): boolean {
    const tolerance = this.venue.floor(floorId).grid.resolutionM;
    const points = [this.current, ...waypoints.slice(next)];
    return this.blocks.some(
      (b) =>
        b.floor === floorId &&
        points.some((p, k) => k > 0 && segmentDistance(b, points[k - 1]!, p) < b.radiusM + this.radiusM - tolerance),
    );
  }

  /** The lowest speed limit of the slow zones containing `at` (Infinity outside them). */
  private zoneSpeedCap(at: { readonly x: number; readonly y: number }, floorId: string): number {
    let cap = Infinity;
    for (const z of this.venue.zones) {
      if (z.kind === 'slow' && z.floor === floorId && z.maxSpeedMps !== undefined && insidePolygon(at, z.polygon)) cap = Math.min(cap, z.maxSpeedMps);
    }
    return cap;
  }

  /** The floor's map with its keepout zones painted as obstacles (built once per floor). */
  private planningGrid(floorId: string): OccupancyGrid {
    const cached = this.planningGrids.get(floorId);
    if (cached) return cached;
    const grid = this.venue.floor(floorId).grid;
    const keepouts = this.venue.zones.filter((z) => z.kind === 'keepout' && z.floor === floorId);
    const out = keepouts.length === 0 ? grid : withKeepouts(grid, keepouts);
    this.planningGrids.set(floorId, out);
    return out;
  }
}

function withKeepouts(grid: OccupancyGrid, keepouts: readonly Zone[]): OccupancyGrid {
  const cells = Int8Array.from(grid.cells);
  for (let row = 0; row < grid.height; row++) {
    for (let col = 0; col < grid.width; col++) {
      const c = cellCenter(grid, col, row);
      if (keepouts.some((z) => insidePolygon(c, z.polygon))) cells[row * grid.width + col] = OCCUPIED;
    }
  }
  return { ...grid, cells };
}

function remainingM(from: Pose2D, waypoints: readonly Pose2D[], next: number): number {
  let total = 0;
  let prev: { x: number; y: number } = from;
  for (let k = next; k < waypoints.length; k++) {
    total += Math.hypot(waypoints[k]!.x - prev.x, waypoints[k]!.y - prev.y);
    prev = waypoints[k]!;
  }
  return total;
}

function segmentDistance(p: { x: number; y: number }, a: { x: number; y: number }, b: { x: number; y: number }): number {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const len2 = dx * dx + dy * dy;
  const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((p.x - a.x) * dx + (p.y - a.y) * dy) / len2));
  return Math.hypot(p.x - (a.x + t * dx), p.y - (a.y + t * dy));
}

/** Even-odd rule. */
export function insidePolygon(p: { x: number; y: number }, polygon: readonly (readonly [number, number])[]): boolean {
  let inside = false;
  for (let i = 0, j = polygon.length - 1; i < polygon.length; j = i++) {
    const [xi, yi] = polygon[i]!;
    const [xj, yj] = polygon[j]!;
    if (yi > p.y !== yj > p.y && p.x < ((xj - xi) * (p.y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}
