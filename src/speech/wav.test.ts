import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeWav, encodeWav, parseWavHeader, STREAMING_DATA_BYTES, wavHeader, wavInfo, writeWav } from './wav.ts';
import { tempDirPerTest } from '../shared/test-support.ts';

function sine(frequencyHz: number, amplitude: number, seconds: number, sampleRateHz: number): Int16Array {
  const samples = new Int16Array(Math.round(seconds * sampleRateHz));
  for (let i = 0; i < samples.length; i++) samples[i] = Math.round(amplitude * 32767 * Math.sin((2 * Math.PI * frequencyHz * i) / sampleRateHz));
  return samples;
}

describe('wav', () => {
  let dir: string;
  tempDirPerTest('letan-wav-', (d) => (dir = d));

  it('writes a WAV that reads back sample for sample, leaving no temporary file', async () => {
    const samples = sine(440, 0.5, 0.25, 16000);
    const path = join(dir, 'tone.wav');
    await writeWav(path, samples, 16000);
    expect(await readdir(dir)).toEqual(['tone.wav']);
    const decoded = decodeWav(await readFile(path));
    expect(decoded.sampleRateHz).toBe(16000);
    expect(decoded.channels).toBe(1);
    expect(Array.from(decoded.samples)).toEqual(Array.from(samples));
  });

  it('measures duration, RMS and peak of a sine as fractions of full scale', async () => {
    const path = join(dir, 'sine.wav');
    await writeWav(path, sine(1000, 0.5, 2, 22050), 22050);
    const info = await wavInfo(path);
    expect(info.sampleRate).toBe(22050);
    expect(info.channels).toBe(1);
    expect(info.durationS).toBeCloseTo(2, 3);
    expect(info.rms).toBeCloseTo(0.5 / Math.SQRT2, 2);
    expect(info.peak).toBeCloseTo(0.5, 2);
  });

  it('reports silence as zero RMS', async () => {
    const path = join(dir, 'silence.wav');
    await writeWav(path, new Int16Array(8000), 8000);
    expect(await wavInfo(path)).toMatchObject({ durationS: 1, rms: 0, peak: 0 });
  });

  it('decodes a streaming header (length unknown) up to the bytes present', () => {
    const samples = Int16Array.from([1, -2, 3, -4]);
    const bytes = Buffer.concat([wavHeader(STREAMING_DATA_BYTES, 22050), encodeWav(samples, 22050).subarray(44)]);
    expect(Array.from(decodeWav(bytes).samples)).toEqual([1, -2, 3, -4]);
  });

  it('needs the whole header before it names the format', () => {
    const header = wavHeader(100, 22050);
    expect(parseWavHeader(header.subarray(0, 30))).toBeNull();
    expect(parseWavHeader(header)).toMatchObject({ sampleRateHz: 22050, channels: 1, encoding: 'pcm16', dataOffset: 44 });
  });

  it('converts 32-bit float WAV (what macOS say exports) to 16-bit', () => {
    const header = wavHeader(8, 32000);
    header.writeUInt16LE(3, 20);
    header.writeUInt16LE(32, 34);
    const data = Buffer.alloc(8);
    data.writeFloatLE(0.5, 0);
    data.writeFloatLE(-2, 4);
    expect(Array.from(decodeWav(Buffer.concat([header, data])).samples)).toEqual([16384, -32767]);
  });

  it('rejects what is not a WAV, and 8-bit audio, by name', () => {
    expect(() => decodeWav(Buffer.from('not a wave file at all'), 'x.wav')).toThrow(/x\.wav: expected a RIFF\/WAVE header/);
    const eightBit = wavHeader(4, 8000);
    eightBit.writeUInt16LE(8, 34);
    expect(() => decodeWav(eightBit, 'y.wav')).toThrow(/y\.wav: expected 16-bit PCM or 32-bit float/);
  });
});
