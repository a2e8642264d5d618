/**
 * Speaker: speech out as a port. Adapters side by side in this folder:
 * EspeakSpeaker (espeak-ng binary, Debian), WasmEspeakSpeaker (when the binary is
 * missing), SaySpeaker (the `say` package on macOS/Windows).
 */
export type Lang = 'vi' | 'en';

export interface SayOptions {
  readonly lang: Lang;
  /** Engine voice, e.g. `vi`, `vi-vn-x-south`, `en-us`; the language's default when absent. */
  readonly voice?: string;
  /** Words per minute; the adapter's default when absent. */
  readonly rateWpm?: number;
  /** Called once when the first audio sample is delivered (played or written). */
  readonly onAudioStart?: () => void;
}

/** Where audio goes: the sound device, or WAV files in a folder (demo, tests). */
export type AudioSink = { readonly kind: 'device' } | { readonly kind: 'wav-dir'; readonly dir: string };

export interface Speaker {
  readonly name: string;
  /** Speaks `text`; resolves when the audio has finished; rejects with AbortError on signal. */
  say(text: string, options: SayOptions, signal?: AbortSignal): Promise<void>;
  /** Renders `text` to a 16-bit PCM WAV file without playing it. */
  synthesize(text: string, options: SayOptions, wavPath: string): Promise<void>;
}
