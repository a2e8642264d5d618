import type { Lang, SayOptions } from './speaker.ts';

/** espeak-ng voice per language when SayOptions.voice is absent. Vietnamese: `vi` (northern), `vi-vn-x-central`, `vi-vn-x-south`. */
export const DEFAULT_ESPEAK_VOICE: Readonly<Record<Lang, string>> = { vi: 'vi', en: 'en-us' };

/** Slightly below espeak-ng's 175 wpm: names must be understood on the first hearing. */
export const DEFAULT_RATE_WPM = 160;
export const MIN_RATE_WPM = 80;
export const MAX_RATE_WPM = 450;

const VOICE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_+/-]*$/;

export interface EspeakVoice {
  readonly voice: string;
  readonly rateWpm: number;
}

/** The espeak-ng voice and rate for `options`; RangeError for a malformed voice name or a rate outside 80–450 wpm. */
export function espeakVoice(options: SayOptions): EspeakVoice {
  const voice = options.voice ?? DEFAULT_ESPEAK_VOICE[options.lang];
  if (!VOICE_PATTERN.test(voice)) {
    throw new RangeError(`voice: expected an espeak-ng voice name such as vi, vi-vn-x-south or en-us, got '${voice}'`);
  }
  const rateWpm = options.rateWpm ?? DEFAULT_RATE_WPM;
  if (!Number.isInteger(rateWpm) || rateWpm < MIN_RATE_WPM || rateWpm > MAX_RATE_WPM) {
    throw new RangeError(`rateWpm: expected an integer from ${MIN_RATE_WPM} to ${MAX_RATE_WPM}, got ${rateWpm}`);
  }
  return { voice, rateWpm };
}

/** Text worth speaking: non-blank. */
export function checkText(text: string): string {
  if (text.trim() === '') throw new RangeError('text: expected something to say, got an empty string');
  return text;
}
