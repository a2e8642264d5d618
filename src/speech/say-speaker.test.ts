import { describe, expect, it } from 'vitest';
import { isSaySupported, SaySpeaker } from './say-speaker.ts';
import { SpeakerUnavailableError } from './speech-errors.ts';

describe('SaySpeaker', () => {
  it('is supported on macOS and Windows only', () => {
    expect(isSaySupported('darwin')).toBe(true);
    expect(isSaySupported('win32')).toBe(true);
    expect(isSaySupported('linux')).toBe(false);
    expect(isSaySupported('freebsd')).toBe(false);
  });

  it('refuses to be built on Linux, saying why and what to install instead', () => {
    const build = (): SaySpeaker => new SaySpeaker({ sink: { kind: 'device' }, platform: 'linux' });
    expect(build).toThrow(SpeakerUnavailableError);
    expect(build).toThrow(/festival: no Vietnamese voice, no WAV export.*Debian package espeak-ng/);
  });
});
