import { existsSync, readFileSync } from 'node:fs';

/**
 * Whether this machine has somewhere to play sound: on Linux an ALSA card, or a
 * PulseAudio/PipeWire server; other platforms are assumed to have one. Used to fall
 * back to WAV files on headless machines instead of failing every utterance.
 */
export function hasSoundOutput(platform: NodeJS.Platform = process.platform): boolean {
  if (platform !== 'linux') return true;
  if (process.env.PULSE_SERVER) return true;
  const uid = process.getuid?.();
  if (uid !== undefined && (existsSync(`/run/user/${uid}/pulse/native`) || existsSync(`/run/user/${uid}/pipewire-0`))) return true;
  try {
    const cards = readFileSync('/proc/asound/cards', 'utf8');
    return cards.trim() !== '' && !/no soundcards/i.test(cards);
  } catch {
    return false;
  }
}
