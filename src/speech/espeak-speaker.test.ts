import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, readdir, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EspeakSpeaker } from './espeak-speaker.ts';
import { findPlayer } from './player.ts';
import { SpeakerUnavailableError } from './speech-errors.ts';
import { findExecutable } from './which.ts';
import { tempDirPerTest } from '../shared/test-support.ts';

const present = findExecutable('espeak-ng') !== null;
if (!present) console.warn('skipping espeak-ng speaker tests: espeak-ng is not on PATH (Debian package espeak-ng)');
const player = findPlayer();
if (!player) console.warn('skipping device-sink tests: no aplay, paplay or ffplay on PATH');

const LONG_TEXT = Array.from({ length: 40 }, (_, i) => `Đây là câu thử số ${i + 1} của robot lễ tân.`).join(' ');

/** Names of this process's live child processes (Linux /proc). */
function childCommands(): string[] {
  const names: string[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      const fields = stat.slice(close + 2).split(' ');
      if (Number(fields[1]) === process.pid && fields[0] !== 'Z') names.push(stat.slice(stat.indexOf('(') + 1, close));
    } catch {
      // The process ended while we looked.
    }
  }
  return names;
}

async function waitForNoChildren(names: readonly string[]): Promise<string[]> {
  for (let i = 0; i < 100; i++) {
    const left = childCommands().filter((name) => names.includes(name));
    if (left.length === 0) return [];
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return childCommands().filter((name) => names.includes(name));
}

describe('EspeakSpeaker', () => {
  let dir: string;
  tempDirPerTest('letan-espeak-', (d) => (dir = d));

  it('names the Debian package when the binary is missing', async () => {
    const speaker = new EspeakSpeaker({ sink: { kind: 'wav-dir', dir }, binary: '/nonexistent' });
    const saying = speaker.say('Xin chào.', { lang: 'vi' });
    await expect(saying).rejects.toBeInstanceOf(SpeakerUnavailableError);
    await expect(saying).rejects.toThrow("espeak-ng not found at '/nonexistent': install the Debian package espeak-ng");
    await expect(speaker.synthesize('Xin chào.', { lang: 'vi' }, join(dir, 'x.wav'))).rejects.toThrow(/Debian package espeak-ng/);
    expect(await readdir(dir)).toEqual([]);
  });

  it.skipIf(!present)('passes text that looks like a flag as text, not as an option', async () => {
    const path = join(dir, 'dash.wav');
    await new EspeakSpeaker({ sink: { kind: 'wav-dir', dir } }).synthesize('--version; rm -rf /', { lang: 'en' }, path);
    expect(await readdir(dir)).toEqual(['dash.wav']);
  });

  it.skipIf(!present || process.platform !== 'linux')('kills espeak-ng when aborted mid-utterance', async () => {
    const speaker = new EspeakSpeaker({ sink: { kind: 'wav-dir', dir } });
    const controller = new AbortController();
    let running: string[] = [];
    const saying = speaker.say(
      LONG_TEXT,
      {
        lang: 'vi',
        onAudioStart: () => {
          running = childCommands();
          controller.abort();
        },
      },
      controller.signal,
    );
    await expect(saying).rejects.toMatchObject({ name: 'AbortError' });
    expect(running).toContain('espeak-ng');
    expect(await waitForNoChildren(['espeak-ng'])).toEqual([]);
  });

  it.skipIf(!present || process.platform !== 'linux')(
    'device sink with no player installed: espeak-ng plays itself (no sound card here, so nothing is heard)',
    async () => {
      const onlyEspeak = await mkdtemp(join(tmpdir(), 'letan-path-'));
      const previousPath = process.env.PATH;
      try {
        await symlink(findExecutable('espeak-ng')!, join(onlyEspeak, 'espeak-ng'));
        process.env.PATH = onlyEspeak;
        expect(findPlayer()).toBeNull();
        const events: string[] = [];
        await new EspeakSpeaker({ sink: { kind: 'device' } }).say('Xin chào.', { lang: 'vi', onAudioStart: () => events.push('audio-start') });
        events.push('resolved');
        expect(events).toEqual(['audio-start', 'resolved']);
      } finally {
        process.env.PATH = previousPath;
        await rm(onlyEspeak, { recursive: true, force: true });
      }
    },
  );

  describe.skipIf(!present || !player)('device sink (player: real ffplay/aplay/paplay; SDL dummy audio driver, as there is no sound card here)', () => {
    let previousDriver: string | undefined;
    beforeEach(() => {
      previousDriver = process.env.SDL_AUDIODRIVER;
      process.env.SDL_AUDIODRIVER = 'dummy';
    });
    afterEach(() => {
      if (previousDriver === undefined) delete process.env.SDL_AUDIODRIVER;
      else process.env.SDL_AUDIODRIVER = previousDriver;
    });

    it('streams into the player and resolves when it has finished playing', async () => {
      const events: string[] = [];
      await new EspeakSpeaker({ sink: { kind: 'device' } }).say('Xin chào đại biểu.', { lang: 'vi', onAudioStart: () => events.push('audio-start') });
      events.push('resolved');
      expect(events).toEqual(['audio-start', 'resolved']);
    });

    it.skipIf(process.platform !== 'linux')('kills espeak-ng and the player on abort and rejects with AbortError', async () => {
      const controller = new AbortController();
      const saying = new EspeakSpeaker({ sink: { kind: 'device' } }).say(LONG_TEXT, { lang: 'vi', onAudioStart: () => controller.abort() }, controller.signal);
      await expect(saying).rejects.toMatchObject({ name: 'AbortError' });
      expect(await waitForNoChildren(['espeak-ng', player!.name])).toEqual([]);
    });
  });
});
