import { mkdir } from 'node:fs/promises';
import { endianness } from 'node:os';
import { dirname } from 'node:path';
import { errorText } from '../shared/errors.ts';
import { notifyAudioStart } from './audio-start.ts';
import { openAudioOut, type AudioOut, type AudioTarget } from './audio-out.ts';
import { findPlayer, type Player } from './player.ts';
import type { AudioSink, SayOptions, Speaker } from './speaker.ts';
import { abortError, SpeakerUnavailableError } from './speech-errors.ts';
import { checkText, DEFAULT_RATE_WPM, espeakVoice, type EspeakVoice } from './voice-options.ts';
import { int16ToBytes, writeWav } from './wav.ts';
import { WavNamer } from './wav-namer.ts';
import { isWasmEspeakInstalled, loadWasmEspeak, wasmEspeakMissingMessage, type WasmEspeakWorker } from './wasm-espeak-engine.ts';

export interface WasmEspeakSpeakerOptions {
  readonly sink: AudioSink;
}

const LITTLE_ENDIAN = endianness() === 'LE';

/** Sentences like the ones the robot says most; V8 needs several runs before synthesis is fast. */
const WARM_UP: readonly (readonly [voice: string, sentence: string])[] = [
  ['vi', 'Chào mừng đại biểu Trần Văn Nam về tham dự đại hội.'],
  ['vi', 'Chào mừng đại biểu Nguyễn Thị Hương về tham dự đại hội.'],
  ['vi', 'Chào mừng đại biểu Lê Hoàng Phúc về tham dự đại hội.'],
  ['vi', 'Ghế của đại biểu ở hàng C, số 14.'],
  ['vi', 'Mời đại biểu đưa thẻ lên trước camera.'],
  ['en-us', 'Welcome to the congress, delegate John Smith.'],
];

/**
 * Speaker on espeak-ng compiled to WebAssembly, for machines without the binary.
 * Same voices as the binary. Synthesis is synchronous in this thread (tens of ms per phrase),
 * so an abort takes effect before synthesis or during playback, not in the middle of it.
 * Without a player on the device, it refuses to speak (there is nothing that could play the samples).
 */
export class WasmEspeakSpeaker implements Speaker {
  readonly name = 'espeak-ng-wasm';
  readonly #namer: WavNamer | undefined;
  readonly #player: Player | null;
  #warm: Promise<void> | undefined;

  constructor(options: WasmEspeakSpeakerOptions) {
    if (!isWasmEspeakInstalled()) throw new SpeakerUnavailableError(wasmEspeakMissingMessage());
    this.#namer = options.sink.kind === 'wav-dir' ? new WavNamer(options.sink.dir) : undefined;
    this.#player = options.sink.kind === 'device' ? findPlayer() : null;
    if (options.sink.kind === 'device' && !this.#player) {
      throw new SpeakerUnavailableError('no audio player for WASM espeak-ng: install alsa-utils (aplay), pulseaudio-utils (paplay) or ffmpeg (ffplay)');
    }
  }

  /**
   * Loads the module and synthesizes a few sentences, so real phrases do not pay for
   * compilation: until V8 has optimised the code, a new sentence takes 10–20× longer (measured 150–650 ms, then 15–40 ms).
   * Idempotent; say() works without it, only slower at first.
   */
  warmUp(): Promise<void> {
    this.#warm ??= loadWasmEspeak().then((worker) => {
      for (const [voice, sentence] of WARM_UP) {
        synthesizeChunks(worker, sentence, { voice, rateWpm: DEFAULT_RATE_WPM }, () => undefined);
      }
    });
    return this.#warm;
  }

  async say(text: string, options: SayOptions, signal?: AbortSignal): Promise<void> {
    checkText(text);
    const voice = espeakVoice(options);
    if (signal?.aborted) throw abortError(signal);
    const worker = await loadWasmEspeak();
    const target: AudioTarget = this.#namer
      ? { kind: 'wav', path: await this.#namer.next(text, voice.voice) }
      : { kind: 'player', player: this.#player! };
    if (signal?.aborted) throw abortError(signal);

    let out: AudioOut | undefined;
    const sampleRateHz = worker.get_samplerate();
    synthesizeChunks(worker, text, voice, (samples) => {
      out ??= openAudioOut(target, sampleRateHz);
      out.write(toBytes(samples));
    });
    if (!out) throw new Error(`espeak-ng (WASM) -v ${voice.voice} produced no audio`);
    const delivering: AudioOut = out;
    // Synthesis ran synchronously; only now can the sink actually receive the first bytes.
    notifyAudioStart(options.onAudioStart);
    if (!signal) return delivering.finish();
    if (signal.aborted) {
      delivering.abort();
      throw abortError(signal);
    }
    await new Promise<void>((resolve, reject) => {
      const onAbort = (): void => {
        delivering.abort();
        reject(abortError(signal));
      };
      signal.addEventListener('abort', onAbort, { once: true });
      delivering.finish().then(
        () => {
          signal.removeEventListener('abort', onAbort);
          resolve();
        },
        (err: unknown) => {
          signal.removeEventListener('abort', onAbort);
          reject(err instanceof Error ? err : new Error(errorText(err)));
        },
      );
    });
  }

  async synthesize(text: string, options: SayOptions, wavPath: string): Promise<void> {
    checkText(text);
    const voice = espeakVoice(options);
    const worker = await loadWasmEspeak();
    const chunks: Int16Array[] = [];
    synthesizeChunks(worker, text, voice, (samples) => chunks.push(samples));
    const total = chunks.reduce((sum, chunk) => sum + chunk.length, 0);
    const samples = new Int16Array(total);
    let offset = 0;
    for (const chunk of chunks) {
      samples.set(chunk, offset);
      offset += chunk.length;
    }
    await mkdir(dirname(wavPath), { recursive: true });
    await writeWav(wavPath, samples, worker.get_samplerate());
  }
}

function synthesizeChunks(worker: WasmEspeakWorker, text: string, voice: EspeakVoice, onChunk: (samples: Int16Array) => void): void {
  if (worker.set_voice(voice.voice) !== 0) {
    throw new RangeError(`voice: espeak-ng (WASM) has no voice '${voice.voice}'; expected e.g. vi, vi-vn-x-central, vi-vn-x-south, en-us`);
  }
  worker.set_rate(voice.rateWpm);
  worker.synthesize(text, (samples) => {
    if (samples.length > 0) onChunk(samples);
    return false;
  });
}

function toBytes(samples: Int16Array): Buffer {
  return LITTLE_ENDIAN ? Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength) : int16ToBytes(samples);
}
