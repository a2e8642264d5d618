import { createRequire } from 'node:module';
import { SpeakerUnavailableError } from './speech-errors.ts';

/**
 * The parts of @echogarden/espeak-ng-emscripten (an optional dependency, GPL-3.0, no typings)
 * this project uses, checked at load. Synthesis is synchronous and delivers 16-bit samples
 * in chunks; a chunk callback returning true stops synthesis.
 */
export const WASM_ESPEAK_PACKAGE = '@echogarden/espeak-ng-emscripten';

export interface WasmEspeakWorker {
  /** 0 when the voice exists. */
  set_voice(name: string): number;
  set_rate(wpm: number): number;
  get_samplerate(): number;
  synthesize(text: string, onChunk: (samples: Int16Array, events: unknown) => boolean): void;
}

interface WasmEspeakModule {
  readonly eSpeakNGWorker: new () => WasmEspeakWorker;
}

/** Whether the optional package is installed (resolvable from here); does not load it. */
export function isWasmEspeakInstalled(): boolean {
  try {
    createRequire(import.meta.url).resolve(WASM_ESPEAK_PACKAGE);
    return true;
  } catch {
    return false;
  }
}

export function wasmEspeakMissingMessage(): string {
  return `the optional npm package ${WASM_ESPEAK_PACKAGE} is not installed (npm install --include=optional), and it is needed for WASM espeak-ng`;
}

let loading: Promise<WasmEspeakWorker> | undefined;

/** The process-wide worker, loaded on first call (about 100–500 ms). */
export function loadWasmEspeak(): Promise<WasmEspeakWorker> {
  loading ??= instantiate();
  return loading;
}

async function instantiate(): Promise<WasmEspeakWorker> {
  const specifier: string = WASM_ESPEAK_PACKAGE;
  let loaded: unknown;
  try {
    loaded = await import(specifier);
  } catch (err: unknown) {
    loading = undefined;
    throw new SpeakerUnavailableError(`${wasmEspeakMissingMessage()}: ${err instanceof Error ? err.message : String(err)}`);
  }
  const factory = isRecord(loaded) ? loaded.default : undefined;
  if (typeof factory !== 'function') throw new Error(`${WASM_ESPEAK_PACKAGE}: expected a default export that creates the module`);
  const moduleInstance: unknown = await (factory as () => Promise<unknown>)();
  if (!isWasmEspeakModule(moduleInstance)) throw new Error(`${WASM_ESPEAK_PACKAGE}: expected the module to provide eSpeakNGWorker`);
  return new moduleInstance.eSpeakNGWorker();
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function isWasmEspeakModule(value: unknown): value is WasmEspeakModule {
  return isRecord(value) && typeof value.eSpeakNGWorker === 'function';
}
