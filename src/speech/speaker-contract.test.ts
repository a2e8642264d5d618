import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EspeakSpeaker } from './espeak-speaker.ts';
import type { AudioSink, Speaker } from './speaker.ts';
import { isWasmEspeakInstalled } from './wasm-espeak-engine.ts';
import { WasmEspeakSpeaker } from './wasm-espeak-speaker.ts';
import { wavInfo } from './wav.ts';
import { findExecutable } from './which.ts';
import { tempDirPerTest } from '../shared/test-support.ts';

/** The Speaker contract, run against every adapter that can run on this machine. */
const GREETING = 'Chào mừng đại biểu Võ Thị Ngọc Thủy về tham dự đại hội.';
const LONG_TEXT = Array.from({ length: 40 }, (_, i) => `Đây là câu thử số ${i + 1} của robot lễ tân.`).join(' ');

const engines: { name: string; present: boolean; why: string; make: (sink: AudioSink) => Speaker }[] = [
  {
    name: 'espeak-ng binary',
    present: findExecutable('espeak-ng') !== null,
    why: 'espeak-ng is not on PATH (Debian package espeak-ng)',
    make: (sink) => new EspeakSpeaker({ sink }),
  },
  {
    name: 'espeak-ng WASM',
    present: isWasmEspeakInstalled(),
    why: 'the optional package @echogarden/espeak-ng-emscripten is not installed',
    make: (sink) => new WasmEspeakSpeaker({ sink }),
  },
];

for (const engine of engines) {
  if (!engine.present) console.warn(`skipping the ${engine.name} speaker contract: ${engine.why}`);

  describe.skipIf(!engine.present)(`Speaker contract: ${engine.name}`, () => {
    let dir: string;
    tempDirPerTest('letan-speaker-', (d) => (dir = d));

    it('speaks the Vietnamese greeting into a complete, plausible WAV in the wav-dir', async () => {
      const speaker = engine.make({ kind: 'wav-dir', dir });
      await speaker.say(GREETING, { lang: 'vi' });
      const files = await readdir(dir);
      expect(files).toHaveLength(1);
      expect(files[0]).toMatch(/^\d{5}-[0-9a-f]{8}\.wav$/);
      const info = await wavInfo(join(dir, files[0]!));
      expect(info.channels).toBe(1);
      expect(info.durationS).toBeGreaterThan(2);
      expect(info.durationS).toBeLessThan(10);
      expect(info.rms).toBeGreaterThan(0.02);
    });

    it('numbers successive utterances and continues after files already in the folder', async () => {
      await engine.make({ kind: 'wav-dir', dir }).say('Xin chào.', { lang: 'vi' });
      const second = engine.make({ kind: 'wav-dir', dir });
      await second.say('Hello.', { lang: 'en' });
      await second.say('Xin chào.', { lang: 'vi', voice: 'vi-vn-x-south' });
      const files = (await readdir(dir)).sort();
      expect(files.map((name) => name.slice(0, 5))).toEqual(['00001', '00002', '00003']);
      expect(new Set(files.map((name) => name.slice(6))).size).toBe(3);
    });

    it('calls onAudioStart exactly once, before say() resolves', async () => {
      const speaker = engine.make({ kind: 'wav-dir', dir });
      const events: string[] = [];
      await speaker.say(GREETING, { lang: 'vi', onAudioStart: () => events.push('audio-start') });
      events.push('resolved');
      expect(events).toEqual(['audio-start', 'resolved']);
    });

    it('finishes the utterance even when onAudioStart throws', async () => {
      const speaker = engine.make({ kind: 'wav-dir', dir });
      await speaker.say('Xin chào.', {
        lang: 'vi',
        onAudioStart: () => {
          throw new Error('a broken listener');
        },
      });
      expect(await readdir(dir)).toHaveLength(1);
    });

    it('rejects with AbortError when aborted once audio has started, and leaves no file behind', async () => {
      const speaker = engine.make({ kind: 'wav-dir', dir });
      const controller = new AbortController();
      const saying = speaker.say(LONG_TEXT, { lang: 'vi', onAudioStart: () => controller.abort() }, controller.signal);
      await expect(saying).rejects.toMatchObject({ name: 'AbortError' });
      expect(await readdir(dir)).toEqual([]);
    });

    it('rejects with AbortError without speaking when the signal is already aborted', async () => {
      const speaker = engine.make({ kind: 'wav-dir', dir });
      let started = false;
      const saying = speaker.say(GREETING, { lang: 'vi', onAudioStart: () => (started = true) }, AbortSignal.abort());
      await expect(saying).rejects.toMatchObject({ name: 'AbortError' });
      expect(started).toBe(false);
    });

    it('synthesize() writes a 16-bit WAV at the given path, in each Vietnamese voice and in English', async () => {
      const speaker = engine.make({ kind: 'wav-dir', dir });
      const durations: number[] = [];
      for (const [lang, voice] of [['vi', 'vi'], ['vi', 'vi-vn-x-central'], ['vi', 'vi-vn-x-south'], ['en', 'en-us']] as const) {
        const path = join(dir, 'out', `${voice}.wav`);
        await speaker.synthesize(lang === 'vi' ? GREETING : 'Welcome to the congress, delegate John Smith.', { lang, voice }, path);
        const info = await wavInfo(path);
        expect(info.rms).toBeGreaterThan(0.02);
        durations.push(info.durationS);
      }
      expect(durations.every((s) => s > 1 && s < 10)).toBe(true);
      expect((await readdir(join(dir, 'out'))).sort()).toEqual(['en-us.wav', 'vi-vn-x-central.wav', 'vi-vn-x-south.wav', 'vi.wav']);
    });

    it('refuses blank text and an out-of-range rate before running anything', async () => {
      const speaker = engine.make({ kind: 'wav-dir', dir });
      await expect(speaker.say('   ', { lang: 'vi' })).rejects.toThrow(/text: expected something to say/);
      await expect(speaker.say('Xin chào.', { lang: 'vi', rateWpm: 20 })).rejects.toThrow(/rateWpm: expected an integer from 80 to 450/);
      expect(await readdir(dir)).toEqual([]);
    });

    it('reports a voice that does not exist', async () => {
      const speaker = engine.make({ kind: 'wav-dir', dir });
      await expect(speaker.say('Xin chào.', { lang: 'vi', voice: 'xx-nowhere' })).rejects.toThrow(/xx-nowhere/);
    });
  });
}
