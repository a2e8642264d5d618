import { createHash } from 'node:crypto';
import { mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';

const NAME_PATTERN = /^(\d+)-[0-9a-f]+\.wav$/;

/**
 * File names for a wav-dir sink: `<sequence>-<short hash of voice and text>.wav`.
 * The sequence continues after the highest one already in the folder, so runs never overwrite each other.
 */
export class WavNamer {
  readonly #dir: string;
  #start: Promise<number> | undefined;
  #issued = 0;

  constructor(dir: string) {
    this.#dir = dir;
  }

  /** The path for the next utterance; creates the folder on first use. */
  async next(text: string, voice: string): Promise<string> {
    this.#start ??= this.#scan();
    const start = await this.#start;
    const sequence = start + this.#issued++;
    const hash = createHash('sha256').update(`${voice}\n${text}`).digest('hex').slice(0, 8);
    return join(this.#dir, `${String(sequence).padStart(5, '0')}-${hash}.wav`);
  }

  async #scan(): Promise<number> {
    await mkdir(this.#dir, { recursive: true });
    let highest = 0;
    for (const name of await readdir(this.#dir)) {
      const match = NAME_PATTERN.exec(name);
      if (match) highest = Math.max(highest, Number(match[1]));
    }
    return highest + 1;
  }
}
