/**
 * A robot base that does not confirm the stop (a ROS 2 base that stops answering; simulated
 * here by a SimRobot whose stop() rejects, since no ROS graph exists on these machines).
 * Staff must see a critical problem at once, never a calm "stopped".
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadEventConfig } from '../event/config.ts';
import { GeneratedFrameSource } from '../perception/generated-frame-source.ts';
import { SimRobot } from '../robot/sim-robot.ts';
import { scaledClock, systemClock } from '../shared/clock.ts';
import { loadVenue } from '../venue/load-venue.ts';
import { createRuntime, type Runtime } from './runtime.ts';

class BaseNotAnsweringStop extends SimRobot {
  override stop(): Promise<void> {
    return Promise.reject(new Error('no answer from the base within 100 ms'));
  }
}

const dir = mkdtempSync(join(tmpdir(), 'letan-estop-'));
let runtime: Runtime | undefined;
afterAll(async () => {
  await runtime?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('e-stop on a base that does not confirm it (simulated base fault)', () => {
  it('raises a critical estop:failed problem telling staff to use the physical button', async () => {
    const base = loadEventConfig();
    const config = { ...base, storePath: join(dir, 'letan.sqlite'), delegatesCsv: join(dir, 'delegates.csv'), voice: { ...base.voice, output: 'wav' as const } };
    const venue = await loadVenue(config.venueDir);
    const clock = scaledClock(10);
    const robot = new BaseNotAnsweringStop({ venue, clock, start: venue.poi('reception-post')!.pose, speedMps: 0.8, radiusM: 0.3 });
    runtime = await createRuntime(config, { clock, robot, camera: new GeneratedFrameSource({ fps: 5, seed: 1, clock: systemClock }), audioSink: { kind: 'wav-dir', dir: join(dir, 'audio') } });
    runtime.controller.start();

    runtime.controller.send({ type: 'ESTOP', source: 'staff-tablet' });
    expect(runtime.controller.view().statePath).toEqual(['stopped']);
    await systemClock.sleep(50);
    const problem = runtime.controller.view().problems.find((p) => p.id === 'estop:failed');
    expect(problem).toMatchObject({ severity: 'critical', message: 'The robot did not confirm the stop: no answer from the base within 100 ms' });
    expect(problem?.tip).toContain('physical emergency stop');
  });
});
