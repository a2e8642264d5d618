/** A speech engine that cannot run here (binary or package missing, unsupported platform). The message says what to install. */
export class SpeakerUnavailableError extends Error {
  override readonly name = 'SpeakerUnavailableError';
}

/** The error say() rejects with when its signal aborts; `cause` carries the signal's reason. */
export function abortError(signal: AbortSignal): DOMException {
  const error = new DOMException('speech aborted', 'AbortError');
  Object.defineProperty(error, 'cause', { value: signal.reason as unknown, enumerable: false });
  return error;
}
