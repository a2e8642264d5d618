/** Speech out: the Speaker port, its adapters, and the phrase templates. */
export type { AudioSink, Lang, SayOptions, Speaker } from './speaker.ts';
export { EspeakSpeaker, type EspeakSpeakerOptions } from './espeak-speaker.ts';
export { WasmEspeakSpeaker, type WasmEspeakSpeakerOptions } from './wasm-espeak-speaker.ts';
export { isWasmEspeakInstalled } from './wasm-espeak-engine.ts';
export { SaySpeaker, isSaySupported, type SaySpeakerOptions } from './say-speaker.ts';
export { createSpeaker, type CreateSpeakerOptions, type CreatedSpeaker, type SpeakerEngine } from './create-speaker.ts';
export { SpeakerUnavailableError } from './speech-errors.ts';
export { DEFAULT_ESPEAK_VOICE, DEFAULT_RATE_WPM } from './voice-options.ts';
export { loadPhrases, DEFAULT_VOICES_DIR, type Phrases } from './phrases.ts';
export { PHRASE_KEYS, PHRASE_PARAMS, refusalKey, type PhraseArgs, type PhraseKey, type PhraseParams, type RefusalReason } from './phrase-catalog.ts';
export { decodeWav, encodeWav, readWav, wavInfo, writeWav, type PcmAudio, type WavInfo } from './wav.ts';
