import { errorText } from '../shared/errors.ts';
import { logger } from '../shared/logger.ts';

const log = logger('speech/audio-start');

/** Calls a caller's onAudioStart; its failure is logged, never allowed to break the utterance. */
export function notifyAudioStart(onAudioStart: (() => void) | undefined): void {
  if (!onAudioStart) return;
  try {
    onAudioStart();
  } catch (err: unknown) {
    log.error({ err: errorText(err) }, 'onAudioStart callback failed');
  }
}
