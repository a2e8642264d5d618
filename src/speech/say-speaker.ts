import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import say from 'say';
import { errorText } from '../shared/errors.ts';
import type { AudioSink, Lang, SayOptions, Speaker } from './speaker.ts';
import { notifyAudioStart } from './audio-start.ts';
import { abortError, SpeakerUnavailableError } from './speech-errors.ts';
import { checkText, DEFAULT_RATE_WPM } from './voice-options.ts';
import { decodeWav, writeWav } from './wav.ts';
import { WavNamer } from './wav-namer.ts';

/** The `say` package speaks with the system voices on macOS and Windows; on Linux it drives festival (no Vietnamese, no WAV export). */
export function isSaySupported(platform: NodeJS.Platform = process.platform): boolean {
  return platform === 'darwin' || platform === 'win32';
}

/** System voices that speak Vietnamese, used when SayOptions.voice does not name a system voice. */
const SYSTEM_VOICE: Readonly<Partial<Record<NodeJS.Platform, Readonly<Partial<Record<Lang, string>>>>>> = {
  darwin: { vi: 'Linh' },
  win32: { vi: 'Microsoft An' },
};

/** espeak-ng ids (vi, vi-vn-x-south, en-us) are all lower case; system voice names are not. */
const ESPEAK_ID = /^[a-z0-9/+-]+$/;
/** say.js puts the voice name into a PowerShell string on Windows: letters, digits, spaces and a little punctuation only. */
const SAFE_VOICE = /^[A-Za-z0-9 ._()-]+$/;
/** `say`'s speed factor 1 is the system's normal rate, about espeak-ng's 175 wpm. */
const NORMAL_RATE_WPM = 175;

export interface SaySpeakerOptions {
  readonly sink: AudioSink;
  /** For tests of the refusal; the running platform by default. */
  readonly platform?: NodeJS.Platform;
}

/**
 * Speaker on the `say` package (macOS `say`, Windows SAPI). One utterance at a time:
 * the package drives a single child process. It reports no audio start, so onAudioStart
 * fires when the command has been started (device) or the file written (wav-dir).
 */
export class SaySpeaker implements Speaker {
  readonly name = 'say';
  readonly #platform: NodeJS.Platform;
  readonly #namer: WavNamer | undefined;

  constructor(options: SaySpeakerOptions) {
    this.#platform = options.platform ?? process.platform;
    if (!isSaySupported(this.#platform)) {
      throw new SpeakerUnavailableError(
        `the say package cannot speak Vietnamese on ${this.#platform} (it uses festival: no Vietnamese voice, no WAV export); install the Debian package espeak-ng instead`,
      );
    }
    this.#namer = options.sink.kind === 'wav-dir' ? new WavNamer(options.sink.dir) : undefined;
  }

  async say(text: string, options: SayOptions, signal?: AbortSignal): Promise<void> {
    checkText(text);
    if (signal?.aborted) throw abortError(signal);
    const voice = this.#voice(options);
    if (this.#namer) {
      const path = await this.#namer.next(text, voice ?? options.lang);
      await this.synthesize(text, options, path);
      if (signal?.aborted) {
        await rm(path, { force: true });
        throw abortError(signal);
      }
      notifyAudioStart(options.onAudioStart);
      return;
    }
    await new Promise<void>((resolve, reject) => {
      const onAbort = (): void => {
        say.stop();
        if (signal) reject(abortError(signal));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      say.speak(asText(text), voice, speedFactor(options), (err: unknown) => {
        signal?.removeEventListener('abort', onAbort);
        if (err) reject(err instanceof Error ? err : new Error(`say: ${errorText(err)}`));
        else resolve();
      });
      notifyAudioStart(options.onAudioStart);
    });
  }

  /** Exports through the system voice, then rewrites as 16-bit PCM (macOS exports 32-bit float). */
  async synthesize(text: string, options: SayOptions, wavPath: string): Promise<void> {
    checkText(text);
    const voice = this.#voice(options);
    await mkdir(dirname(wavPath), { recursive: true });
    const temp = join(dirname(wavPath), `.${basename(wavPath)}.${process.pid}.${randomBytes(4).toString('hex')}.say.wav`);
    if (temp.includes("'")) throw new RangeError(`wavPath: expected a path without quotes, got ${wavPath}`);
    try {
      await new Promise<void>((resolve, reject) => {
        say.export(asText(text), voice, speedFactor(options), temp, (err: unknown) => {
          if (err) reject(err instanceof Error ? err : new Error(`say: ${errorText(err)}`));
          else resolve();
        });
      });
      const audio = decodeWav(await readFile(temp), `say export of ${wavPath}`);
      await writeWav(wavPath, audio.samples, audio.sampleRateHz, audio.channels);
    } finally {
      await rm(temp, { force: true });
    }
  }

  #voice(options: SayOptions): string | undefined {
    const voice = options.voice !== undefined && !ESPEAK_ID.test(options.voice) ? options.voice : SYSTEM_VOICE[this.#platform]?.[options.lang];
    if (voice !== undefined && !SAFE_VOICE.test(voice)) {
      throw new RangeError(`voice: expected a system voice name (letters, digits, spaces), got '${voice}'`);
    }
    return voice;
  }
}

/** macOS `say` takes the text as an argument: a leading dash would read as an option. */
function asText(text: string): string {
  return text.startsWith('-') ? ` ${text}` : text;
}

function speedFactor(options: SayOptions): number {
  return (options.rateWpm ?? DEFAULT_RATE_WPM) / NORMAL_RATE_WPM;
}
