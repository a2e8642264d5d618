/**
 * A delegate keeps holding the badge up while the robot greets them and offers help.
 * Speech takes its real duration here (espeak-ng renders a WAV, and the test waits as long
 * as the audio lasts, since these machines have no sound card): the robot looks away from
 * the camera for seconds, and must not take the same badge for a second showing.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { signBadge } from '../src/badges/token.ts';
import type { Activity } from '../src/controller/controller.ts';
import { createRuntime, type Runtime } from '../src/controller/runtime.ts';
import { loadEventConfig } from '../src/event/config.ts';
import { GeneratedFrameSource } from '../src/perception/generated-frame-source.ts';
import { systemClock } from '../src/shared/clock.ts';
import { EspeakSpeaker } from '../src/speech/espeak-speaker.ts';
import type { SayOptions, Speaker } from '../src/speech/speaker.ts';
import { wavInfo } from '../src/speech/wav.ts';

const dir = mkdtempSync(join(tmpdir(), 'letan-held-'));
let runtime: Runtime | undefined;
afterAll(async () => {
  await runtime?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** espeak-ng to WAV, then waits for as long as the audio lasts (playback on the missing sound card). */
class RealTimeWavSpeaker implements Speaker {
  readonly name = 'espeak-ng (real-time WAV)';
  private readonly inner = new EspeakSpeaker({ sink: { kind: 'wav-dir', dir: join(dir, 'audio') } });
  private n = 0;
  async say(text: string, options: SayOptions, signal?: AbortSignal): Promise<void> {
    const path = join(dir, `line-${++this.n}.wav`);
    await this.inner.synthesize(text, options, path);
    options.onAudioStart?.();
    await systemClock.sleep((await wavInfo(path)).durationS * 1000, signal);
  }
  synthesize(text: string, options: SayOptions, wavPath: string): Promise<void> {
    return this.inner.synthesize(text, options, wavPath);
  }
}

describe('a badge held up through the greeting (real espeak-ng, real-time speech)', () => {
  it('is one showing: greeted once, no "already checked in", no repeat-scan record', async () => {
    const base = loadEventConfig();
    const config = { ...base, storePath: join(dir, 'letan.sqlite'), delegatesCsv: join(dir, 'delegates.csv') }; // greeting ≈ 5 s: longer than the tracker's 3 s memory
    const camera = new GeneratedFrameSource({ fps: 15, seed: 5, clock: systemClock });
    runtime = await createRuntime(config, { camera, speaker: new RealTimeWavSpeaker() });
    const activities: Activity[] = [];
    runtime.controller.onActivity((a) => activities.push(a));
    runtime.controller.start();

    const delegate = runtime.delegates.all()[0]!;
    camera.present(signBadge({ eventId: config.id, code: delegate.code, key: config.badgeKey }));
    const deadline = Date.now() + 30_000;
    while (runtime.controller.view().statePath.join('.') !== 'reception.offeringHelp.listening') {
      if (Date.now() > deadline) throw new Error(`never reached the help offer: ${runtime.controller.view().statePath.join('.')}`);
      await systemClock.sleep(50);
    }
    await systemClock.sleep(1_500); // still holding the badge up while the robot listens

    const identified = activities.filter((a) => a.type === 'identified');
    expect(identified).toHaveLength(1);
    expect(identified[0]).toMatchObject({ outcome: { kind: 'checked-in' } });
    expect(activities.filter((a) => a.type === 'speaking').map((a) => (a.type === 'speaking' ? a.phrase : ''))).toEqual(['greeting', 'offer_help']);
    expect(runtime.ledger.attempts(delegate.code)).toEqual([]);
  });
});
