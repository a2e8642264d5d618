/**
 * A camera that is missing, then appears: the real ffmpeg adapter on a video file that
 * does not exist yet. The controller raises `camera:lost` for staff, keeps the robot in
 * reception, and clears the problem by itself once frames arrive.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createRuntime, type Runtime } from '../src/controller/runtime.ts';
import { loadEventConfig } from '../src/event/config.ts';
import { FfmpegFrameSource } from '../src/perception/ffmpeg-frame-source.ts';
import { scaledClock, systemClock } from '../src/shared/clock.ts';

const dir = mkdtempSync(join(tmpdir(), 'letan-camera-'));
let runtime: Runtime | undefined;

afterAll(async () => {
  await runtime?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function until(probe: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await systemClock.sleep(20);
  }
}

describe('camera loss and recovery (real ffmpeg)', () => {
  it('raises camera:lost while the camera is missing and clears it when frames come back', async () => {
    const video = join(dir, 'camera.mp4');
    const base = loadEventConfig();
    const config = { ...base, storePath: join(dir, 'letan.sqlite'), delegatesCsv: join(dir, 'delegates.csv'), voice: { ...base.voice, output: 'wav' as const } };
    const camera = new FfmpegFrameSource({ input: video, width: 320, height: 240, realtime: true, clock: systemClock });
    runtime = await createRuntime(config, { clock: scaledClock(10), camera, audioSink: { kind: 'wav-dir', dir: join(dir, 'audio') } });
    const problemIds = (): string[] => runtime!.controller.view().problems.map((p) => p.id);
    runtime.controller.start();

    await until(() => problemIds().includes('camera:lost'), 'camera:lost');
    const problem = runtime.controller.view().problems.find((p) => p.id === 'camera:lost')!;
    expect(problem.severity).toBe('critical');
    expect(problem.message).toContain(video);
    expect(runtime.controller.view().statePath).toEqual(['reception', 'waiting']);

    execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', 'testsrc=size=320x240:rate=10', '-t', '6', '-pix_fmt', 'yuv420p', video]);
    await until(() => !problemIds().includes('camera:lost'), 'camera:lost to clear');
    expect(runtime.controller.view().statePath).toEqual(['reception', 'waiting']);
  });
});
