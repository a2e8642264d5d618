import { readdir } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { createSpeaker } from './create-speaker.ts';
import { EspeakSpeaker } from './espeak-speaker.ts';
import { isWasmEspeakInstalled } from './wasm-espeak-engine.ts';
import { WasmEspeakSpeaker } from './wasm-espeak-speaker.ts';
import { findExecutable } from './which.ts';
import { tempDirPerTest } from '../shared/test-support.ts';

const espeakPresent = findExecutable('espeak-ng') !== null;
const wasmPresent = isWasmEspeakInstalled();
if (!espeakPresent) console.warn('skipping createSpeaker espeak-ng choice: espeak-ng is not on PATH (Debian package espeak-ng)');
if (!wasmPresent) console.warn('skipping createSpeaker WASM fallback: @echogarden/espeak-ng-emscripten is not installed');

describe('createSpeaker', () => {
  let dir: string;
  tempDirPerTest('letan-create-speaker-', (d) => (dir = d));

  it.skipIf(!espeakPresent)('picks the espeak-ng binary when it is on PATH, with no note', async () => {
    const created = await createSpeaker({ sink: { kind: 'wav-dir', dir } });
    expect(created.speaker).toBeInstanceOf(EspeakSpeaker);
    expect(created.note).toBeUndefined();
  });

  it.skipIf(!wasmPresent)('falls back to the WASM build when the binary is missing, and says so', async () => {
    const created = await createSpeaker({ sink: { kind: 'wav-dir', dir }, espeakBinary: '/nonexistent/espeak-ng' });
    expect(created.speaker).toBeInstanceOf(WasmEspeakSpeaker);
    expect(created.note).toMatch(/^espeak-ng not installed .*: using the WASM build \(slower first phrase\)$/);
    await created.speaker.say('Xin chào.', { lang: 'vi' });
    expect(await readdir(dir)).toHaveLength(1);
  });

  it.skipIf(!wasmPresent)('honours a preference for the WASM build without a note', async () => {
    const created = await createSpeaker({ sink: { kind: 'wav-dir', dir }, prefer: 'wasm' });
    expect(created.speaker).toBeInstanceOf(WasmEspeakSpeaker);
    expect(created.note).toBeUndefined();
  });

  it.skipIf(!espeakPresent)('explains why a preferred say cannot be used on Linux', async () => {
    const created = await createSpeaker({ sink: { kind: 'wav-dir', dir }, prefer: 'say', platform: 'linux' });
    expect(created.speaker).toBeInstanceOf(EspeakSpeaker);
    expect(created.note).toBe('say has no Vietnamese voice on linux: using espeak-ng');
  });
});
