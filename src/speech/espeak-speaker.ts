import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { errorText } from '../shared/errors.ts';
import { logger } from '../shared/logger.ts';
import { notifyAudioStart } from './audio-start.ts';
import { openAudioOut, type AudioOut, type AudioTarget } from './audio-out.ts';
import { findPlayer, type Player } from './player.ts';
import type { AudioSink, SayOptions, Speaker } from './speaker.ts';
import { abortError, SpeakerUnavailableError } from './speech-errors.ts';
import { checkText, espeakVoice, type EspeakVoice } from './voice-options.ts';
import { parseWavHeader, type WavFormat } from './wav.ts';
import { WavNamer } from './wav-namer.ts';

const log = logger('speech/espeak');

export interface EspeakSpeakerOptions {
  readonly sink: AudioSink;
  /** The espeak-ng executable; `espeak-ng` on PATH by default. */
  readonly binary?: string;
}

/**
 * Speaker on the Debian espeak-ng binary. Text goes in on stdin (never through a shell);
 * `--stdout` audio is streamed to the sink: a WAV file per utterance in a wav-dir,
 * or a player (aplay, paplay, ffplay) on the device. With no player installed,
 * espeak-ng plays itself and onAudioStart fires when it has started.
 */
export class EspeakSpeaker implements Speaker {
  readonly name = 'espeak-ng';
  readonly #binary: string;
  readonly #namer: WavNamer | undefined;
  readonly #player: Player | null;

  constructor(options: EspeakSpeakerOptions) {
    this.#binary = options.binary ?? 'espeak-ng';
    this.#namer = options.sink.kind === 'wav-dir' ? new WavNamer(options.sink.dir) : undefined;
    this.#player = options.sink.kind === 'device' ? findPlayer() : null;
  }

  async say(text: string, options: SayOptions, signal?: AbortSignal): Promise<void> {
    checkText(text);
    const voice = espeakVoice(options);
    if (signal?.aborted) throw abortError(signal);
    let target: AudioTarget | undefined;
    if (this.#namer) target = { kind: 'wav', path: await this.#namer.next(text, voice.voice) };
    else if (this.#player) target = { kind: 'player', player: this.#player };
    if (signal?.aborted) throw abortError(signal);
    await this.#run(text, voice, target, options.onAudioStart, signal);
  }

  async synthesize(text: string, options: SayOptions, wavPath: string): Promise<void> {
    checkText(text);
    const voice = espeakVoice(options);
    await mkdir(dirname(wavPath), { recursive: true });
    const temp = join(dirname(wavPath), `.${basename(wavPath)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
    try {
      await this.#run(text, voice, undefined, undefined, undefined, ['-w', temp]);
      await rename(temp, wavPath);
    } catch (err: unknown) {
      await rm(temp, { force: true });
      throw err;
    }
  }

  /**
   * Runs espeak-ng once. With a target, audio comes from --stdout and goes there;
   * without one, `extraArgs` decide (`-w FILE`) or espeak-ng plays on the device itself.
   */
  #run(
    text: string,
    voice: EspeakVoice,
    target: AudioTarget | undefined,
    onAudioStart: (() => void) | undefined,
    signal: AbortSignal | undefined,
    extraArgs: readonly string[] = [],
  ): Promise<void> {
    const args = ['-v', voice.voice, '-s', String(voice.rateWpm), '-b', '1', ...extraArgs, ...(target ? ['--stdout'] : [])];
    return new Promise<void>((resolve, reject) => {
      const child = spawn(this.#binary, args, { stdio: ['pipe', target ? 'pipe' : 'ignore', 'pipe'] });
      let out: AudioOut | undefined;
      let settled = false;
      let stderr = '';

      const settle = (err?: unknown): void => {
        if (settled) return;
        settled = true;
        signal?.removeEventListener('abort', onAbort);
        if (err === undefined) resolve();
        else reject(err instanceof Error ? err : new Error(errorText(err)));
      };
      const fail = (err: unknown): void => {
        out?.abort();
        killQuietly(child);
        settle(err);
      };
      const onAbort = (): void => {
        if (signal) fail(abortError(signal));
      };
      signal?.addEventListener('abort', onAbort, { once: true });

      child.on('error', (err: NodeJS.ErrnoException) => {
        fail(
          err.code === 'ENOENT' || err.code === 'EACCES'
            ? new SpeakerUnavailableError(
                `espeak-ng not found at '${this.#binary}': install the Debian package espeak-ng (apt-get install espeak-ng)`,
              )
            : err,
        );
      });
      child.stdin?.on('error', (err: Error) => log.debug({ err: err.message }, 'espeak-ng stdin closed early'));
      child.stderr?.setEncoding('utf8');
      child.stderr?.on('data', (chunk: string) => {
        stderr += chunk;
      });
      if (target) {
        let pending = Buffer.alloc(0);
        let format: WavFormat | null = null;
        let started = false;
        child.stdout?.on('data', (chunk: Buffer) => {
          if (settled) return;
          let pcm = chunk;
          if (!format) {
            pending = Buffer.concat([pending, chunk]);
            try {
              format = parseWavHeader(pending, 'espeak-ng --stdout');
            } catch (err: unknown) {
              fail(err);
              return;
            }
            if (!format) return;
            if (format.encoding !== 'pcm16') {
              fail(new Error(`espeak-ng --stdout: expected 16-bit PCM, got ${format.encoding}`));
              return;
            }
            out = openAudioOut(target, format.sampleRateHz, format.channels);
            pcm = pending.subarray(format.dataOffset);
          }
          if (pcm.length === 0) return;
          out?.write(pcm);
          if (!started) {
            started = true;
            notifyAudioStart(onAudioStart);
          }
        });
      } else if (extraArgs.length === 0) {
        // espeak-ng on the device itself: the closest observable moment is the process starting.
        child.on('spawn', () => notifyAudioStart(onAudioStart));
      }
      child.on('close', (code, killedBy) => {
        if (settled) return;
        if (code !== 0) {
          fail(new Error(`espeak-ng -v ${voice.voice} failed (${code ?? killedBy}): ${stderr.trim() || 'no message'}`));
          return;
        }
        if (!out) {
          if (target) fail(new Error(`espeak-ng -v ${voice.voice} produced no audio`));
          else settle();
          return;
        }
        out.finish().then(
          () => settle(),
          (err: unknown) => fail(err),
        );
      });
      child.stdin?.end(text, 'utf8');
    });
  }
}

function killQuietly(child: ChildProcess): void {
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
}
