import { findExecutable } from './which.ts';

/**
 * A command that plays a WAV stream from its stdin on the sound device.
 * Preference: aplay (alsa-utils), paplay (PulseAudio/PipeWire), ffplay (ffmpeg).
 */
export interface Player {
  readonly name: 'aplay' | 'paplay' | 'ffplay';
  readonly path: string;
  readonly args: readonly string[];
}

const PLAYERS: readonly { name: Player['name']; args: readonly string[] }[] = [
  { name: 'aplay', args: ['-q', '-'] },
  { name: 'paplay', args: [] },
  { name: 'ffplay', args: ['-nodisp', '-autoexit', '-loglevel', 'error', '-'] },
];

/** The first player found on PATH, or null when there is none. */
export function findPlayer(pathEnv: string | undefined = process.env.PATH): Player | null {
  for (const candidate of PLAYERS) {
    const path = findExecutable(candidate.name, pathEnv);
    if (path) return { name: candidate.name, path, args: candidate.args };
  }
  return null;
}
