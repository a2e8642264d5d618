import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isWasmEspeakInstalled } from './wasm-espeak-engine.ts';
import { WasmEspeakSpeaker } from './wasm-espeak-speaker.ts';
import { wavInfo } from './wav.ts';
import { tempDirPerTest } from '../shared/test-support.ts';

const present = isWasmEspeakInstalled();
if (!present) console.warn('skipping WASM espeak-ng tests: the optional package @echogarden/espeak-ng-emscripten is not installed');

describe.skipIf(!present)('WasmEspeakSpeaker', () => {
  let dir: string;
  tempDirPerTest('letan-wasm-', (d) => (dir = d));

  it('warms up, then renders the Vietnamese greeting with diacritics to a non-silent WAV', async () => {
    const speaker = new WasmEspeakSpeaker({ sink: { kind: 'wav-dir', dir } });
    await speaker.warmUp();
    await speaker.say('Chào mừng đại biểu Võ Thị Ngọc Thủy về tham dự đại hội.', { lang: 'vi' });
    const [file] = await readdir(dir);
    const info = await wavInfo(join(dir, file!));
    expect(info.sampleRate).toBe(22050);
    expect(info.durationS).toBeGreaterThan(2);
    expect(info.durationS).toBeLessThan(10);
    expect(info.rms).toBeGreaterThan(0.02);
  });

  it('speaks slower at a lower rate', async () => {
    const speaker = new WasmEspeakSpeaker({ sink: { kind: 'wav-dir', dir } });
    const text = 'Mời đại biểu đi theo tôi đến hàng C.';
    await speaker.synthesize(text, { lang: 'vi', rateWpm: 120 }, join(dir, 'slow.wav'));
    await speaker.synthesize(text, { lang: 'vi', rateWpm: 240 }, join(dir, 'fast.wav'));
    expect((await wavInfo(join(dir, 'slow.wav'))).durationS).toBeGreaterThan((await wavInfo(join(dir, 'fast.wav'))).durationS * 1.3);
  });
});
