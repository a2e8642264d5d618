/**
 * `letan bench nav [--venue DIR] [--reps N] [--json]`: global planning time on a venue
 * map. Plans from the reception post to every row's aisle pose and every POI, and back,
 * N times. The one-off inflation of the map (cached afterwards) is timed separately.
 * With --json the last line is `{"plan_ms":{p50,p95},"plans":N,"path_m":{p50,max},...}`.
 */
import { resolve } from 'node:path';
import { planPath } from '../robot/astar.ts';
import { inflate } from '../robot/inflate.ts';
import type { Pose2D } from '../robot/robot-port.ts';
import { parseCommandArgs } from '../shared/args.ts';
import { InputError } from '../shared/errors.ts';
import { repoRoot } from '../shared/paths.ts';
import { percentile, summarize } from '../shared/stats.ts';
import { loadVenue } from '../venue/load-venue.ts';

const ROBOT_RADIUS_M = 0.3;

export async function run(args: string[]): Promise<number> {
  const { values } = parseCommandArgs(
    'bench nav',
    args,
    {
      venue: { type: 'string', default: resolve(repoRoot, 'maps/demo-hall') },
      reps: { type: 'string', default: '5' },
      json: { type: 'boolean', default: false },
    },
    false,
  );
  const reps = Number(values.reps);
  if (!Number.isInteger(reps) || reps < 1) throw new InputError(`--reps: expected a positive integer, got '${values.reps}'`);
  const venue = await loadVenue(values.venue);
  const post = venue.poi('reception-post');
  if (!post) throw new InputError(`${venue.dir}/venue.json: pois: expected a POI of kind 'reception-post', got none`);
  const floorId = post.pose.floor ?? venue.floor().id;
  const grid = venue.floor(floorId).grid;

  const t0 = performance.now();
  inflate(grid, ROBOT_RADIUS_M);
  const inflateMs = performance.now() - t0;

  const targets: { name: string; pose: Pose2D }[] = [
    ...venue.rows.filter((r) => r.floor === floorId).map((r) => ({ name: `row ${r.id}`, pose: r.aislePose })),
    ...venue.pois.filter((p) => p.id !== post.id && (p.pose.floor ?? floorId) === floorId).map((p) => ({ name: p.id, pose: p.pose })),
  ];
  const planMs: number[] = [];
  const pathM: number[] = [];
  const perTarget = new Map<string, { ms: number[]; lengthM: number; failed?: string }>();
  for (let rep = 0; rep < reps; rep++) {
    for (const target of targets) {
      for (const [from, to] of [
        [post.pose, target.pose],
        [target.pose, post.pose],
      ] as const) {
        const start = performance.now();
        const result = planPath(grid, from, to, { robotRadiusM: ROBOT_RADIUS_M });
        const ms = performance.now() - start;
        planMs.push(ms);
        const entry = perTarget.get(target.name) ?? { ms: [], lengthM: 0 };
        entry.ms.push(ms);
        if (result.ok) {
          pathM.push(result.lengthM);
          entry.lengthM = result.lengthM;
        } else entry.failed = `${result.reason}: ${result.detail}`;
        perTarget.set(target.name, entry);
      }
    }
  }

  console.log(`bench nav: ${venue.id}, ${grid.width}x${grid.height} cells at ${grid.resolutionM} m, robot radius ${ROBOT_RADIUS_M} m, ${reps} reps`);
  console.log(`inflation (once per map): ${inflateMs.toFixed(1)} ms`);
  console.log(`${'target'.padEnd(16)} ${'path m'.padStart(7)} ${'p50 ms'.padStart(7)} ${'max ms'.padStart(7)}`);
  for (const [name, e] of perTarget) {
    const line = `${name.padEnd(16)} ${e.lengthM.toFixed(2).padStart(7)} ${percentile(e.ms, 50).toFixed(2).padStart(7)} ${Math.max(...e.ms).toFixed(2).padStart(7)}`;
    console.log(e.failed ? `${line}  FAILED ${e.failed}` : line);
  }
  const failed = [...perTarget.values()].filter((e) => e.failed).length;
  const summary = {
    plan_ms: summarize(planMs, [50, 95]),
    plans: planMs.length,
    path_m: { p50: Math.round(percentile(pathM, 50) * 100) / 100, max: Math.round(Math.max(...pathM) * 100) / 100 },
    failed_targets: failed,
    inflate_ms: Math.round(inflateMs * 10) / 10,
  };
  console.log(`plans: ${summary.plans}, plan_ms p50 ${summary.plan_ms.p50} p95 ${summary.plan_ms.p95}; path_m p50 ${summary.path_m.p50} max ${summary.path_m.max}; failed targets: ${failed}`);
  if (values.json) console.log(JSON.stringify(summary));
  return failed > 0 ? 1 : 0;
}
