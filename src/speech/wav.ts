import { randomBytes } from 'node:crypto';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * 16-bit PCM WAV: encode, decode, and measure. The speakers write these files;
 * tests and benchmarks read them back with wavInfo().
 */
export interface PcmAudio {
  readonly sampleRateHz: number;
  readonly channels: number;
  /** Interleaved 16-bit samples. */
  readonly samples: Int16Array;
}

export interface WavInfo {
  readonly sampleRate: number;
  readonly channels: number;
  readonly durationS: number;
  /** Root mean square of all samples, as a fraction of full scale (0..1). */
  readonly rms: number;
  /** Largest absolute sample, as a fraction of full scale (0..1). */
  readonly peak: number;
}

export interface WavFormat {
  readonly sampleRateHz: number;
  readonly channels: number;
  /** 16-bit integer PCM, or 32-bit IEEE float (what macOS `say -o` writes). */
  readonly encoding: 'pcm16' | 'float32';
  /** Byte offset of the first sample. */
  readonly dataOffset: number;
  /** Bytes of sample data the header announces; a streaming header announces more than will come. */
  readonly dataBytes: number;
}

const FULL_SCALE = 32768;
/** What a streaming writer (espeak-ng --stdout) announces when it does not know the length yet. */
export const STREAMING_DATA_BYTES = 0x7ffff000;

/** The 44-byte header of a 16-bit PCM WAV holding `dataBytes` bytes of samples. */
export function wavHeader(dataBytes: number, sampleRateHz: number, channels = 1): Buffer {
  const header = Buffer.alloc(44);
  const blockAlign = channels * 2;
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(Math.min(0xffffffff, 36 + dataBytes), 4);
  header.write('WAVE', 8, 'ascii');
  header.write('fmt ', 12, 'ascii');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(channels, 22);
  header.writeUInt32LE(sampleRateHz, 24);
  header.writeUInt32LE(sampleRateHz * blockAlign, 28);
  header.writeUInt16LE(blockAlign, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36, 'ascii');
  header.writeUInt32LE(dataBytes, 40);
  return header;
}

/** Little-endian bytes of 16-bit samples. */
export function int16ToBytes(samples: Int16Array): Buffer {
  const bytes = Buffer.alloc(samples.length * 2);
  for (let i = 0; i < samples.length; i++) bytes.writeInt16LE(samples[i]!, i * 2);
  return bytes;
}

/** A complete WAV file's bytes. */
export function encodeWav(samples: Int16Array, sampleRateHz: number, channels = 1): Buffer {
  return Buffer.concat([wavHeader(samples.length * 2, sampleRateHz, channels), int16ToBytes(samples)]);
}

/**
 * Parses a WAV header from the start of `bytes`: the format, or null while the bytes
 * seen so far end before the data chunk. Throws on anything but 16-bit PCM or 32-bit float.
 */
export function parseWavHeader(bytes: Buffer, source = 'WAV'): WavFormat | null {
  if (bytes.length < 12) return null;
  if (bytes.toString('ascii', 0, 4) !== 'RIFF' || bytes.toString('ascii', 8, 12) !== 'WAVE') {
    throw new Error(`${source}: expected a RIFF/WAVE header`);
  }
  let offset = 12;
  let format: { sampleRateHz: number; channels: number; encoding: WavFormat['encoding'] } | undefined;
  while (offset + 8 <= bytes.length) {
    const id = bytes.toString('ascii', offset, offset + 4);
    const size = bytes.readUInt32LE(offset + 4);
    const body = offset + 8;
    if (id === 'data') {
      if (!format) throw new Error(`${source}: data chunk before the fmt chunk`);
      return { ...format, dataOffset: body, dataBytes: size };
    }
    if (id === 'fmt ') {
      if (body + 16 > bytes.length) return null;
      const audioFormat = bytes.readUInt16LE(body);
      const bitsPerSample = bytes.readUInt16LE(body + 14);
      let encoding: WavFormat['encoding'];
      if (audioFormat === 1 && bitsPerSample === 16) encoding = 'pcm16';
      else if (audioFormat === 3 && bitsPerSample === 32) encoding = 'float32';
      else throw new Error(`${source}: expected 16-bit PCM or 32-bit float, got format ${audioFormat} with ${bitsPerSample} bits per sample`);
      format = { channels: bytes.readUInt16LE(body + 2), sampleRateHz: bytes.readUInt32LE(body + 4), encoding };
    }
    offset = body + size + (size % 2);
  }
  return null;
}

/**
 * Decodes a whole WAV to 16-bit samples (float samples are clipped and scaled);
 * a streaming header's oversized data length is clamped to the bytes present.
 */
export function decodeWav(bytes: Buffer, source = 'WAV'): PcmAudio {
  const format = parseWavHeader(bytes, source);
  if (!format) throw new Error(`${source}: truncated WAV header`);
  const bytesPerSample = format.encoding === 'pcm16' ? 2 : 4;
  const available = Math.min(format.dataBytes, bytes.length - format.dataOffset);
  const samples = new Int16Array(Math.floor(available / bytesPerSample));
  for (let i = 0; i < samples.length; i++) {
    const at = format.dataOffset + i * bytesPerSample;
    samples[i] =
      format.encoding === 'pcm16'
        ? bytes.readInt16LE(at)
        : Math.round(Math.max(-1, Math.min(1, bytes.readFloatLE(at))) * (FULL_SCALE - 1));
  }
  return { sampleRateHz: format.sampleRateHz, channels: format.channels, samples };
}

/** Writes `bytes` to `path` through a temporary file in the same folder and a rename, so readers never see half a file. */
export async function writeFileAtomic(path: string, bytes: Buffer): Promise<void> {
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    await writeFile(temp, bytes);
    await rename(temp, path);
  } catch (err: unknown) {
    await rm(temp, { force: true });
    throw err;
  }
}

export async function writeWav(path: string, samples: Int16Array, sampleRateHz: number, channels = 1): Promise<void> {
  await writeFileAtomic(path, encodeWav(samples, sampleRateHz, channels));
}

export async function readWav(path: string): Promise<PcmAudio> {
  return decodeWav(await readFile(path), path);
}

/** RMS and peak of 16-bit samples as fractions of full scale. */
export function pcmLevels(samples: Int16Array): { rms: number; peak: number } {
  let sumSquares = 0;
  let peak = 0;
  for (const s of samples) {
    sumSquares += s * s;
    const magnitude = Math.abs(s);
    if (magnitude > peak) peak = magnitude;
  }
  const rms = samples.length === 0 ? 0 : Math.sqrt(sumSquares / samples.length);
  return { rms: rms / FULL_SCALE, peak: peak / FULL_SCALE };
}

export async function wavInfo(path: string): Promise<WavInfo> {
  const audio = await readWav(path);
  const frames = audio.samples.length / Math.max(1, audio.channels);
  return {
    sampleRate: audio.sampleRateHz,
    channels: audio.channels,
    durationS: audio.sampleRateHz > 0 ? frames / audio.sampleRateHz : 0,
    ...pcmLevels(audio.samples),
  };
}
