import { spawn } from 'node:child_process';
import { logger } from '../shared/logger.ts';
import { errorText } from '../shared/errors.ts';
import type { Player } from './player.ts';
import { STREAMING_DATA_BYTES, wavHeader, writeFileAtomic } from './wav.ts';

const log = logger('speech/audio-out');

/** Where one utterance's samples go. */
export type AudioTarget = { readonly kind: 'wav'; readonly path: string } | { readonly kind: 'player'; readonly player: Player };

/** One utterance's audio on its way out: 16-bit little-endian PCM in, a WAV file or sound out. */
export interface AudioOut {
  write(pcm: Buffer): void;
  /** Resolves when the audio is complete: the WAV renamed into place, or the player done. */
  finish(): Promise<void>;
  /** Stops at once: kills the player, or discards the unwritten file. Idempotent. */
  abort(): void;
}

export function openAudioOut(target: AudioTarget, sampleRateHz: number, channels = 1): AudioOut {
  switch (target.kind) {
    case 'wav':
      return wavOut(target.path, sampleRateHz, channels);
    case 'player':
      return playerOut(target.player, sampleRateHz, channels);
    default: {
      const unknownTarget: never = target;
      throw new Error(`unknown audio target ${JSON.stringify(unknownTarget)}`);
    }
  }
}

function wavOut(path: string, sampleRateHz: number, channels: number): AudioOut {
  const chunks: Buffer[] = [];
  let aborted = false;
  return {
    write(pcm) {
      if (!aborted) chunks.push(pcm);
    },
    async finish() {
      if (aborted) return;
      const data = Buffer.concat(chunks);
      // An odd trailing byte is half a sample: drop it rather than announce a broken frame.
      const whole = data.subarray(0, data.length - (data.length % (2 * channels)));
      await writeFileAtomic(path, Buffer.concat([wavHeader(whole.length, sampleRateHz, channels), whole]));
    },
    abort() {
      aborted = true;
      chunks.length = 0;
    },
  };
}

function playerOut(player: Player, sampleRateHz: number, channels: number): AudioOut {
  const child = spawn(player.path, [...player.args], { stdio: ['pipe', 'ignore', 'pipe'] });
  let stderr = '';
  let failure: Error | undefined;
  let aborted = false;
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (text: string) => {
    stderr += text;
  });
  child.stdin.on('error', (err: Error) => {
    failure ??= new Error(`${player.name}: ${err.message}`);
  });
  const exited = new Promise<number | null>((resolve) => {
    child.on('error', (err: Error) => {
      failure ??= new Error(`${player.name} could not start (${player.path}): ${err.message}`);
      resolve(null);
    });
    child.on('close', (code) => resolve(code));
  });
  // The player learns the format from a WAV header whose length says "until the stream ends".
  child.stdin.write(wavHeader(STREAMING_DATA_BYTES, sampleRateHz, channels));
  return {
    write(pcm) {
      if (!aborted && !failure && child.stdin.writable) child.stdin.write(pcm);
    },
    async finish() {
      if (!aborted) child.stdin.end();
      const code = await exited;
      if (aborted) return;
      if (failure) throw failure;
      if (code !== 0) throw new Error(`${player.name} exited with code ${code}: ${stderr.trim() || 'no message'}`);
      // ffplay exits 0 even when it cannot open the sound device; its complaint is on stderr.
      if (/audio open failed|could not open audio|no such (card|device)/i.test(stderr)) {
        throw new Error(`${player.name} could not open the sound device: ${stderr.trim().split('\n').at(-1) ?? ''}`);
      }
      if (stderr.trim() !== '') log.warn({ player: player.name, stderr: stderr.trim() }, 'player reported a problem');
    },
    abort() {
      if (aborted) return;
      aborted = true;
      try {
        child.stdin.destroy();
        child.kill('SIGKILL');
      } catch (err: unknown) {
        log.warn({ err: errorText(err) }, 'could not stop the player');
      }
    },
  };
}
