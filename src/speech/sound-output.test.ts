import { afterEach, describe, expect, it } from 'vitest';
import { hasSoundOutput } from './sound-output.ts';

describe('hasSoundOutput', () => {
  const pulse = process.env.PULSE_SERVER;
  afterEach(() => {
    if (pulse === undefined) delete process.env.PULSE_SERVER;
    else process.env.PULSE_SERVER = pulse;
  });

  it('assumes a sound device on macOS and Windows', () => {
    expect(hasSoundOutput('darwin')).toBe(true);
    expect(hasSoundOutput('win32')).toBe(true);
  });

  it('counts a PulseAudio server named in the environment as sound output on Linux', () => {
    process.env.PULSE_SERVER = 'unix:/tmp/pulse-socket';
    expect(hasSoundOutput('linux')).toBe(true);
  });
});
