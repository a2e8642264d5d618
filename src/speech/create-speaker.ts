import { EspeakSpeaker } from './espeak-speaker.ts';
import { SaySpeaker, isSaySupported } from './say-speaker.ts';
import type { AudioSink, Speaker } from './speaker.ts';
import { SpeakerUnavailableError } from './speech-errors.ts';
import { isWasmEspeakInstalled, wasmEspeakMissingMessage } from './wasm-espeak-engine.ts';
import { WasmEspeakSpeaker } from './wasm-espeak-speaker.ts';
import { findExecutable } from './which.ts';

export type SpeakerEngine = 'espeak' | 'wasm' | 'say';

export interface CreateSpeakerOptions {
  readonly sink: AudioSink;
  /** Tried first; the others follow in the usual order when it cannot run here. */
  readonly prefer?: SpeakerEngine;
  /** The espeak-ng executable; `espeak-ng` on PATH by default. */
  readonly espeakBinary?: string;
  readonly platform?: NodeJS.Platform;
}

export interface CreatedSpeaker {
  readonly speaker: Speaker;
  /** Why the speaker is not the first choice, for the start-up log and the staff tablet. */
  readonly note?: string;
}

const ORDER: readonly SpeakerEngine[] = ['espeak', 'wasm', 'say'];

const DESCRIPTION: Readonly<Record<SpeakerEngine, string>> = {
  espeak: 'espeak-ng',
  wasm: 'the WASM build (slower first phrase)',
  say: 'the system voice through say',
};

/**
 * The best speaker that can run here: the espeak-ng binary when on PATH, else espeak-ng
 * compiled to WASM (warmed up before this resolves), else `say` on macOS/Windows.
 * Rejects with SpeakerUnavailableError, naming what to install, when none can.
 */
export async function createSpeaker(options: CreateSpeakerOptions): Promise<CreatedSpeaker> {
  const platform = options.platform ?? process.platform;
  const binary = options.espeakBinary ?? 'espeak-ng';
  const order = options.prefer ? [options.prefer, ...ORDER.filter((engine) => engine !== options.prefer)] : ORDER;
  const skipped: string[] = [];
  for (const engine of order) {
    const reason = unavailableReason(engine, binary, platform);
    if (reason) {
      skipped.push(reason);
      continue;
    }
    let speaker: Speaker;
    try {
      speaker = await build(engine, options.sink, binary, platform);
    } catch (err: unknown) {
      if (!(err instanceof SpeakerUnavailableError)) throw err;
      skipped.push(err.message);
      continue;
    }
    return skipped.length === 0 ? { speaker } : { speaker, note: `${skipped.join('; ')}: using ${DESCRIPTION[engine]}` };
  }
  throw new SpeakerUnavailableError(`no speech engine can run here: ${skipped.join('; ')}`);
}

function unavailableReason(engine: SpeakerEngine, binary: string, platform: NodeJS.Platform): string | undefined {
  switch (engine) {
    case 'espeak':
      return findExecutable(binary) ? undefined : `espeak-ng not installed (looked for '${binary}'; Debian package espeak-ng)`;
    case 'wasm':
      return isWasmEspeakInstalled() ? undefined : wasmEspeakMissingMessage();
    case 'say':
      return isSaySupported(platform) ? undefined : `say has no Vietnamese voice on ${platform}`;
    default: {
      const unknownEngine: never = engine;
      throw new Error(`unknown speech engine ${String(unknownEngine)}`);
    }
  }
}

async function build(engine: SpeakerEngine, sink: AudioSink, binary: string, platform: NodeJS.Platform): Promise<Speaker> {
  switch (engine) {
    case 'espeak':
      return new EspeakSpeaker({ sink, binary });
    case 'wasm': {
      const speaker = new WasmEspeakSpeaker({ sink });
      await speaker.warmUp();
      return speaker;
    }
    case 'say':
      return new SaySpeaker({ sink, platform });
    default: {
      const unknownEngine: never = engine;
      throw new Error(`unknown speech engine ${String(unknownEngine)}`);
    }
  }
}
