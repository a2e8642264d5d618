/**
 * One headless demo run: the demo event in a temporary folder, the generated camera,
 * speech to WAV files, the SimRobot in accelerated time, and a plan of arrivals.
 * Shared by `letan demo` and `letan bench checkin`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRuntime } from '../controller/runtime.ts';
import { loadEventConfig, type EventConfig } from '../event/config.ts';
import { GeneratedFrameSource } from '../perception/generated-frame-source.ts';
import { scaledClock, systemClock } from '../shared/clock.ts';
import { percentile } from '../shared/stats.ts';
import { openStore } from '../store/sqlite-store.ts';
import { planArrivals, runArrivals, type ArrivalPlanOptions, type ArrivalReport } from './arrivals.ts';

export interface DemoRunOptions extends Omit<ArrivalPlanOptions, 'seed'> {
  readonly seed: number;
  /** Simulated seconds per real second for the robot and the statecharts. */
  readonly speedup: number;
  /** Keep the run's files here instead of a temporary folder that is removed. */
  readonly keepDir?: string;
  readonly onProgress?: (done: number, total: number) => void;
}

export interface DemoSummary {
  readonly arrivals: number;
  readonly checked_in: number;
  readonly greeted: number;
  readonly escort_requested: number;
  readonly escorted: number;
  readonly escort_failed: number;
  readonly refused: number;
  readonly duplicates: number;
  /** Acknowledged check-ins missing from the store after it was closed and reopened. */
  readonly lost: number;
  /** Arrivals never answered. */
  readonly unanswered: number;
  readonly badge_to_greeting_ms: { readonly p50: number; readonly p95: number; readonly max: number };
  readonly badge_to_answer_ms: { readonly p50: number; readonly p95: number };
  /** From the camera frame the badge was read in (excludes waiting for the camera and a busy reader). */
  readonly frame_to_greeting_ms: { readonly p50: number; readonly p95: number };
  readonly speaker: string;
  readonly speedup: number;
  readonly wall_s: number;
  readonly files: string | null;
}

const round1 = (x: number): number => Math.round(x * 10) / 10;

export async function demoRun(options: DemoRunOptions): Promise<DemoSummary> {
  const dir = options.keepDir ?? mkdtempSync(join(tmpdir(), 'letan-demo-'));
  const started = systemClock.now();
  try {
    const base = loadEventConfig();
    const config: EventConfig = {
      ...base,
      storePath: join(dir, 'letan.sqlite'),
      delegatesCsv: join(dir, 'delegates.csv'),
      voice: { ...base.voice, output: 'wav' },
    };
    const camera = new GeneratedFrameSource({ fps: 30, seed: options.seed, clock: systemClock });
    const runtime = await createRuntime(config, {
      clock: scaledClock(options.speedup),
      camera,
      audioSink: { kind: 'wav-dir', dir: join(dir, 'audio') },
      initialMode: 'reception',
    });
    let report: ArrivalReport;
    try {
      runtime.controller.start();
      const plan = planArrivals(runtime.delegates.all(), options);
      report = await runArrivals(plan, {
        controller: runtime.controller,
        camera,
        eventId: config.id,
        badgeKey: config.badgeKey,
        ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      });
    } finally {
      await runtime.close();
    }
    const { lost, present } = auditStore(config.storePath, report.checkInIds);
    return {
      arrivals: report.arrivals,
      checked_in: present,
      greeted: report.greeted,
      escort_requested: report.escortsRequested,
      escorted: report.escorted,
      escort_failed: report.escortsFailed,
      refused: report.refused,
      duplicates: report.duplicates,
      lost,
      unanswered: report.unanswered,
      badge_to_greeting_ms: {
        p50: round1(percentile(report.badgeToGreetingMs, 50)),
        p95: round1(percentile(report.badgeToGreetingMs, 95)),
        max: round1(Math.max(...report.badgeToGreetingMs)),
      },
      badge_to_answer_ms: { p50: round1(percentile(report.badgeToAnswerMs, 50)), p95: round1(percentile(report.badgeToAnswerMs, 95)) },
      frame_to_greeting_ms: { p50: round1(percentile(report.frameToGreetingMs, 50)), p95: round1(percentile(report.frameToGreetingMs, 95)) },
      speaker: runtime.speaker.name,
      speedup: options.speedup,
      wall_s: round1((systemClock.now() - started) / 1000),
      files: options.keepDir ?? null,
    };
  } finally {
    if (!options.keepDir) rmSync(dir, { recursive: true, force: true });
  }
}

/** Reopens the store from disk: which acknowledged check-ins are missing, and how many delegates are present. */
function auditStore(path: string, acknowledgedIds: readonly string[]): { lost: number; present: number } {
  const store = openStore(path);
  try {
    const exists = store.db.prepare<[string], { n: number }>('SELECT count(*) AS n FROM checkins WHERE id = ?');
    const lost = acknowledgedIds.filter((id) => (exists.get(id)?.n ?? 0) === 0).length;
    const present = store.db.prepare<[], { n: number }>('SELECT count(DISTINCT code) AS n FROM checkins WHERE undone_by IS NULL').get()?.n ?? 0;
    return { lost, present };
  } finally {
    store.close();
  }
}
