/**
 * The reception loop end to end on the embedded defaults, all parts real: generated
 * camera frames with a printed-badge QR, jsQR in a worker, HMAC badge check, SQLite
 * ledger on disk, espeak-ng to WAV, the SimRobot on the demo hall's map.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { signBadge } from '../src/badges/token.ts';
import type { Activity } from '../src/controller/controller.ts';
import { createRuntime, type Runtime } from '../src/controller/runtime.ts';
import type { KioskScreen } from '../src/controller/view.ts';
import { loadEventConfig, type EventConfig } from '../src/event/config.ts';
import { GeneratedFrameSource } from '../src/perception/generated-frame-source.ts';
import { SimRobot } from '../src/robot/sim-robot.ts';
import { scaledClock, systemClock } from '../src/shared/clock.ts';
import { wavInfo } from '../src/speech/wav.ts';
import { openStore } from '../src/store/sqlite-store.ts';

let dir: string;
let runtime: Runtime;
let camera: GeneratedFrameSource;
let config: EventConfig;
const activities: Activity[] = [];

async function until<T>(probe: () => T | undefined | false | null, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; screen ${JSON.stringify(runtime.controller.view().screen)}`);
    await systemClock.sleep(5);
  }
}
const screen = (): KioskScreen => runtime.controller.view().screen;
const spoken = (): string[] => activities.flatMap((a) => (a.type === 'speaking' ? [a.text] : []));

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'letan-loop-'));
  const base = loadEventConfig();
  config = { ...base, storePath: join(dir, 'letan.sqlite'), delegatesCsv: join(dir, 'delegates.csv'), voice: { ...base.voice, output: 'wav' } };
  camera = new GeneratedFrameSource({ fps: 20, seed: 3, clock: systemClock });
  runtime = await createRuntime(config, { clock: scaledClock(50), camera, audioSink: { kind: 'wav-dir', dir: join(dir, 'audio') } });
  activities.length = 0;
  runtime.controller.onActivity((a) => activities.push(a));
  runtime.controller.start();
  await until(() => screen().screen === 'attract', 'attract screen');
});

afterEach(async () => {
  await runtime.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('reception loop on the embedded defaults (real parts)', () => {
  it('checks a badge in once, greets by name with the seat, escorts to the row and comes back', async () => {
    const delegate = runtime.delegates.all()[0]!;
    camera.present(signBadge({ eventId: config.id, code: delegate.code, key: config.badgeKey }));

    const greeting = await until(() => (screen().screen === 'greeting' ? screen() : null), 'greeting card');
    expect(greeting).toMatchObject({ screen: 'greeting', delegate: { code: delegate.code, fullName: delegate.fullName, seat: delegate.seat } });
    expect(runtime.ledger.isPresent(delegate.code)).toBe(true);
    await until(() => screen().screen === 'help', 'help offer');
    camera.present(null);

    const [row, number] = delegate.seat.split('-');
    expect(spoken()[0]).toContain(delegate.fullName);
    expect(spoken()[0]).toContain(`hàng ${row}, số ${number}`);
    const wavs = readdirSync(join(dir, 'audio')).filter((f) => f.endsWith('.wav'));
    expect(wavs.length).toBeGreaterThanOrEqual(1);
    const info = await wavInfo(join(dir, 'audio', wavs.sort()[0]!));
    expect(info.durationS).toBeGreaterThan(2);
    expect(info.rms).toBeGreaterThan(0.01);
    expect(activities.some((a) => a.type === 'answer-audio' && a.phrase === 'greeting')).toBe(true);

    runtime.controller.send({ type: 'ESCORT_REQUESTED', target: { kind: 'seat' } });
    await until(() => screen().screen === 'escorting', 'escorting');
    const aisle = runtime.venue.row(row!)!.aislePose;
    const arrived = await until(() => activities.find((a) => a.type === 'navigation' && a.target.kind === 'seat'), 'escort outcome', 30_000);
    expect(arrived).toMatchObject({ outcome: { status: 'succeeded' } });
    const pose = runtime.robot.pose();
    expect(Math.hypot(pose.x - aisle.x, pose.y - aisle.y)).toBeLessThan(0.5);
    await until(() => screen().screen === 'attract', 'back at the post', 30_000);
    const post = runtime.venue.poi('reception-post')!.pose;
    expect(Math.hypot(runtime.robot.pose().x - post.x, runtime.robot.pose().y - post.y)).toBeLessThan(0.5);
    expect(runtime.ledger.presence().present).toBe(1);
  });

  it('tells a delegate scanning twice when and where they were checked in, without a second check-in', async () => {
    const delegate = runtime.delegates.all()[1]!;
    const token = signBadge({ eventId: config.id, code: delegate.code, key: config.badgeKey });
    camera.present(token);
    await until(() => screen().screen === 'help', 'help offer');
    runtime.controller.send({ type: 'HELP_DECLINED' });
    camera.present(null);
    await until(() => screen().screen === 'attract', 'attract');
    await systemClock.sleep(3_500); // the badge left the camera's view long enough to count as a new showing

    camera.present(token);
    const again = await until(() => (screen().screen === 'greeting' && (screen() as { earlier: unknown }).earlier ? screen() : null), 'already-checked-in card');
    expect(again).toMatchObject({ earlier: { gate: config.gate } });
    await until(() => spoken().some((t) => t.includes('đã điểm danh lúc')), 'already line');
    const store = openStore(config.storePath);
    const rows = store.db.prepare('SELECT count(*) AS n FROM checkins WHERE code = ?').get(delegate.code) as { n: number };
    store.close();
    expect(rows.n).toBe(1);
  });

  it('refuses a forged badge politely and checks nobody in', async () => {
    const delegate = runtime.delegates.all()[2]!;
    const genuine = signBadge({ eventId: config.id, code: delegate.code, key: config.badgeKey });
    camera.present(`${genuine.slice(0, -3)}${genuine.endsWith('AAA') ? 'BBB' : 'AAA'}`);
    await until(() => screen().screen === 'refusal', 'refusal');
    expect(screen()).toEqual({ screen: 'refusal', reason: 'forged' });
    await until(() => spoken().some((t) => t.includes('bàn lễ tân')), 'refusal line');
    expect(runtime.ledger.presence().present).toBe(0);
    camera.present(null);
    await until(() => screen().screen === 'attract', 'attract');
  });

  it('apologises when the way is blocked, raises nav:blocked for staff, and goes back to its post', async () => {
    const robot = runtime.robot;
    if (!(robot instanceof SimRobot)) throw new Error('expected the SimRobot');
    const delegate = runtime.delegates.all()[3]!;
    const aisle = runtime.venue.row(delegate.seat.split('-')[0]!)!.aislePose;
    robot.blockAt(aisle.x, aisle.y, 1.2); // someone's bags in the aisle at that row
    camera.present(signBadge({ eventId: config.id, code: delegate.code, key: config.badgeKey }));
    await until(() => screen().screen === 'help', 'help offer');
    camera.present(null);
    runtime.controller.send({ type: 'ESCORT_REQUESTED', target: { kind: 'seat' } });

    const nav = await until(() => activities.find((a) => a.type === 'navigation' && a.target.kind === 'seat'), 'escort outcome', 30_000);
    expect(nav).toMatchObject({ outcome: { status: 'aborted' } });
    await until(() => spoken().some((t) => t.includes('chưa thể dẫn đường')), 'apology');
    expect(runtime.controller.view().problems.map((p) => p.id)).toContain('nav:blocked');
    await until(() => screen().screen === 'attract', 'back at the post', 30_000);
    const post = runtime.venue.poi('reception-post')!.pose;
    expect(Math.hypot(robot.pose().x - post.x, robot.pose().y - post.y)).toBeLessThan(0.5);
    expect(runtime.ledger.isPresent(delegate.code)).toBe(true); // the check-in stands
  });

  it('e-stop during an escort: zero speed at once, navigation cancelled, nothing moves until reset', async () => {
    const delegate = runtime.delegates.all().at(-1)!; // back row: a long walk
    camera.present(signBadge({ eventId: config.id, code: delegate.code, key: config.badgeKey }));
    await until(() => screen().screen === 'help', 'help offer');
    camera.present(null);
    runtime.controller.send({ type: 'ESCORT_REQUESTED', target: { kind: 'seat' } });
    const post = runtime.venue.poi('reception-post')!.pose;
    const fromPost = (): number => Math.hypot(runtime.robot.pose().x - post.x, runtime.robot.pose().y - post.y);
    await until(() => runtime.robot.speedMps() > 0 && fromPost() > 2, 'robot moving, 2 m from its post', 20_000);

    runtime.controller.send({ type: 'ESTOP', source: 'test' });
    expect(runtime.robot.speedMps()).toBe(0);
    expect(runtime.robot.stopped).toBe(true);
    expect(runtime.controller.view().statePath).toEqual(['stopped']);
    const stoppedAt = runtime.robot.pose();
    await systemClock.sleep(300); // 15 s of robot time at 50×
    expect(runtime.robot.pose()).toEqual(stoppedAt);
    expect(screen()).toEqual({ screen: 'stopped' });

    runtime.controller.send({ type: 'SET_MODE', mode: 'reception', operator: 'staff' });
    expect(runtime.controller.view().statePath).toEqual(['stopped']);
    runtime.controller.send({ type: 'ESTOP_RESET', operator: 'supervisor' });
    expect(runtime.controller.view().mode).toBe('standby');
    expect(runtime.robot.stopped).toBe(false);
    await systemClock.sleep(100);
    expect(runtime.robot.pose()).toEqual(stoppedAt);

    // Back in reception, mid-aisle: it returns to its post before it takes badges.
    runtime.controller.send({ type: 'SET_MODE', mode: 'reception', operator: 'staff' });
    expect(runtime.controller.view().statePath).toEqual(['reception', 'returning']);
    await until(() => screen().screen === 'attract', 'back at the post', 30_000);
    expect(fromPost()).toBeLessThan(0.5);
  });
});
