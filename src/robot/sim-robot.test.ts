import { resolve } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { scaledClock } from '../shared/clock.ts';
import { repoRoot } from '../shared/paths.ts';
import { loadVenue } from '../venue/load-venue.ts';
import type { Venue } from '../venue/types.ts';
import type { NavFeedback, Pose2D } from './robot-port.ts';
import { insidePolygon, SimRobot } from './sim-robot.ts';

// Robot time runs 200× faster than real time so a 20 m walk takes a fraction of a second.
const SPEEDUP = 200;
let venue: Venue;
let post: Pose2D;
const robots: SimRobot[] = [];

beforeAll(async () => {
  venue = await loadVenue(resolve(repoRoot, 'maps/demo-hall'));
  post = venue.poi('reception-post')!.pose;
});
afterEach(async () => {
  await Promise.all(robots.splice(0).map((r) => r.close()));
});

function robot(start: Pose2D = post): SimRobot {
  const r = new SimRobot({ venue, clock: scaledClock(SPEEDUP), start, speedMps: 1, radiusM: 0.3 });
  robots.push(r);
  return r;
}

/** Resolves with the first feedback that satisfies `when`. */
function feedbackWhere(when: (f: NavFeedback) => boolean): { onFeedback: (f: NavFeedback) => void; reached: Promise<NavFeedback> } {
  let resolveReached!: (f: NavFeedback) => void;
  const reached = new Promise<NavFeedback>((r) => (resolveReached = r));
  let done = false;
  return {
    reached,
    onFeedback: (f) => {
      if (!done && when(f)) {
        done = true;
        resolveReached(f);
      }
    },
  };
}

const distance = (a: Pose2D, b: Pose2D): number => Math.hypot(a.x - b.x, a.y - b.y);

describe('SimRobot', () => {
  it('drives to a row, publishing poses and decreasing feedback, and arrives at the goal pose', async () => {
    const r = robot();
    const goal = venue.row('C')!.aislePose;
    const feedback: NavFeedback[] = [];
    const poses: Pose2D[] = [];
    const off = r.onPose((p) => poses.push(p));
    const outcome = await r.navigateTo(goal, { onFeedback: (f) => feedback.push(f) });
    off();
    expect(outcome).toEqual({ status: 'succeeded' });
    expect(distance(r.pose(), goal)).toBeLessThan(1e-9);
    expect(r.pose().yawRad).toBe(goal.yawRad);
    expect(r.pose().floor).toBe('G');
    expect(feedback.length).toBeGreaterThan(3);
    for (let i = 1; i < feedback.length; i++) expect(feedback[i]!.distanceRemainingM).toBeLessThanOrEqual(feedback[i - 1]!.distanceRemainingM);
    expect(feedback.at(-1)!.distanceRemainingM).toBe(0);
    expect(feedback[0]!.etaS).toBeGreaterThan(0);
    expect(poses.length).toBe(feedback.length);
    expect(r.speedMps()).toBe(0);
    const battery = r.battery();
    expect(battery.level).toBeLessThan(1);
    expect(battery.level).toBeGreaterThan(0.99);
  });

  it('slows down in a slow zone and caps speed per goal', async () => {
    const r = robot();
    const zone = venue.zones.find((z) => z.kind === 'slow')!;
    const speeds: { inside: boolean; speed: number }[] = [];
    r.onPose((p) => speeds.push({ inside: insidePolygon(p, zone.polygon), speed: r.speedMps() }));
    expect(await r.navigateTo(venue.row('Q')!.aislePose, { maxSpeedMps: 0.8 })).toEqual({ status: 'succeeded' });
    expect(speeds.some((s) => s.inside)).toBe(true);
    for (const s of speeds) expect(s.speed).toBeLessThanOrEqual(s.inside ? 0.5 : 0.8);
    expect(Math.max(...speeds.map((s) => s.speed))).toBe(0.8);
  });

  it('enters a slow zone at its speed, even with coarse steps', async () => {
    const zone = venue.zones.find((z) => z.kind === 'slow')!;
    // 400 ms steps: at 1 m/s a step covers 0.4 m, enough to land well inside the zone.
    const r = new SimRobot({ venue, clock: scaledClock(SPEEDUP), start: venue.row('A')!.aislePose, speedMps: 1, radiusM: 0.3, tickMs: 400 });
    robots.push(r);
    const steps: { inside: boolean; speed: number }[] = [];
    r.onPose((p) => steps.push({ inside: insidePolygon(p, zone.polygon), speed: r.speedMps() }));
    expect(await r.navigateTo(post)).toEqual({ status: 'succeeded' });
    expect(steps.some((s) => s.inside)).toBe(true);
    for (const s of steps.filter((s) => s.inside)) expect(s.speed).toBeLessThanOrEqual(zone.maxSpeedMps!);
  });

  it('preempts the running goal with a new one (the old ends aborted/preempted)', async () => {
    const r = robot();
    const first = feedbackWhere(() => true);
    const running = r.navigateTo(venue.row('A')!.aislePose, { onFeedback: first.onFeedback });
    await first.reached;
    const lift = venue.poi('lift')!.pose;
    const second = r.navigateTo(lift);
    expect(await running).toMatchObject({ status: 'aborted', code: 'preempted' });
    expect(await second).toEqual({ status: 'succeeded' });
    expect(distance(r.pose(), lift)).toBeLessThan(1e-9);
  });

  it('ends canceled on cancel() and on an aborted signal', async () => {
    const r = robot();
    const moving = feedbackWhere(() => true);
    const a = r.navigateTo(venue.row('A')!.aislePose, { onFeedback: moving.onFeedback });
    await moving.reached;
    await r.cancel();
    expect(await a).toEqual({ status: 'canceled' });
    expect(r.speedMps()).toBe(0);

    const controller = new AbortController();
    const moving2 = feedbackWhere(() => true);
    const b = r.navigateTo(venue.row('B')!.aislePose, { onFeedback: moving2.onFeedback, signal: controller.signal });
    await moving2.reached;
    controller.abort();
    expect(await b).toEqual({ status: 'canceled' });
    expect(await r.navigateTo(post, { signal: controller.signal })).toEqual({ status: 'canceled' });
  });

  it('latches stop: zero speed at once, goal aborted/stopped, new goals refused until released', async () => {
    const r = robot();
    const moving = feedbackWhere(() => true);
    const goal = r.navigateTo(venue.row('A')!.aislePose, { onFeedback: moving.onFeedback });
    await moving.reached;
    expect(r.speedMps()).toBeGreaterThan(0);
    const stopping = r.stop();
    expect(r.speedMps()).toBe(0);
    expect(r.stopped).toBe(true);
    await stopping;
    expect(await goal).toMatchObject({ status: 'aborted', code: 'stopped' });
    const where = r.pose();
    expect(await r.navigateTo(venue.row('B')!.aislePose)).toMatchObject({ status: 'aborted', code: 'stopped' });
    await r.stop();
    expect(r.stopped).toBe(true);
    expect(r.pose()).toEqual(where);
    await r.releaseStop();
    expect(r.stopped).toBe(false);
    expect(r.pose()).toEqual(where);
    expect(await r.navigateTo(post)).toEqual({ status: 'succeeded' });
  });

  it('reports unreachable goals: on an obstacle, and on another floor (no lift route)', async () => {
    const r = robot();
    const onStage = await r.navigateTo({ x: 28, y: 10, yawRad: 0 });
    expect(onStage).toMatchObject({ status: 'aborted', code: 'unreachable' });
    expect(onStage.status === 'aborted' && onStage.reason).toMatch(/goal-blocked/);
    // Only lifts connect floors, and they are not simulated yet: fake a second floor on the venue.
    const twoFloors: Venue = { ...venue, floors: [...venue.floors, { ...venue.floor(), id: '1' }] };
    const r2 = new SimRobot({ venue: twoFloors, clock: scaledClock(SPEEDUP), start: post, speedMps: 1, radiusM: 0.3 });
    robots.push(r2);
    const upstairs = await r2.navigateTo({ x: 10, y: 10, yawRad: 0, floor: '1' });
    expect(upstairs).toMatchObject({ status: 'aborted', code: 'unreachable' });
    expect(upstairs.status === 'aborted' && upstairs.reason).toMatch(/no lift route/);
    // A keepout zone stays out of plans even where the map is free.
    const keepout: Venue = {
      ...venue,
      zones: [...venue.zones, { id: 'cables', kind: 'keepout', floor: 'G', polygon: [[4, 5.5], [7, 5.5], [7, 8.5], [4, 8.5]] }],
    };
    const r3 = new SimRobot({ venue: keepout, clock: scaledClock(SPEEDUP), start: post, speedMps: 1, radiusM: 0.3 });
    robots.push(r3);
    const inKeepout = await r3.navigateTo({ x: 5.5, y: 7, yawRad: 0 });
    expect(inKeepout).toMatchObject({ status: 'aborted', code: 'unreachable' });
    expect(await r.navigateTo({ x: 5.5, y: 7, yawRad: 0 })).toEqual({ status: 'succeeded' });
  });

  it('replans around an obstacle that appears on its path', async () => {
    const r = robot();
    const goal = venue.row('A')!.aislePose; // straight down the centre aisle
    const block = { x: 16, y: 10, radiusM: 0.7 };
    const trigger = feedbackWhere((f) => f.pose.x > 9);
    const after: Pose2D[] = [];
    let blocked = false;
    r.onPose((p) => blocked && after.push(p));
    const outcome = r.navigateTo(goal, { onFeedback: trigger.onFeedback });
    await trigger.reached;
    r.blockAt(block.x, block.y, block.radiusM);
    blocked = true;
    expect(await outcome).toEqual({ status: 'succeeded' });
    expect(after.length).toBeGreaterThan(0);
    for (const p of after) expect(distance(p, { ...block, yawRad: 0 })).toBeGreaterThan(block.radiusM);
    r.clearBlocks();
  });

  it('ends aborted/blocked when the path is blocked and there is no way around', async () => {
    const r = robot();
    const lift = venue.poi('lift')!.pose;
    const trigger = feedbackWhere((f) => f.distanceRemainingM < 6);
    const outcome = r.navigateTo(lift, { onFeedback: trigger.onFeedback });
    await trigger.reached;
    r.blockAt(3, 4.5, 0.6); // the lift lobby's only doorway
    const result = await outcome;
    expect(result).toMatchObject({ status: 'aborted', code: 'blocked' });
    expect(r.pose().y).toBeGreaterThan(4.5);
    expect(r.speedMps()).toBe(0);
    r.clearBlocks();
    expect(await r.navigateTo(lift)).toEqual({ status: 'succeeded' });
  });
});
