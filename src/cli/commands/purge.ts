import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline/promises';
import { loadEventConfig } from '../../event/config.ts';
import { FaceGallery } from '../../faces/gallery.ts';
import { purgeBiometrics } from '../../faces/purge.ts';
import { parseCommandArgs } from '../../shared/args.ts';
import { systemClock } from '../../shared/clock.ts';
import { InputError } from '../../shared/errors.ts';
import { openStore } from '../../store/sqlite-store.ts';

/**
 * `letan purge --biometrics [--event FILE] [--store PATH] [--operator NAME] [--yes]`: deletes
 * every face embedding, look-alike threshold and the gallery mean (consent records stay),
 * leaves no byte of them in the store file, and prints the receipt (also kept in the store and
 * written beside it). Asks first on a terminal; elsewhere it needs --yes.
 */
export async function run(args: string[]): Promise<number> {
  const { values } = parseCommandArgs(
    'purge',
    args,
    {
      biometrics: { type: 'boolean', default: false },
      event: { type: 'string' },
      store: { type: 'string' },
      operator: { type: 'string', default: 'staff' },
      yes: { type: 'boolean', default: false },
    },
    false,
  );
  if (!values.biometrics) throw new InputError('say what to purge: --biometrics (every face embedding; consent records are kept)');
  const config = loadEventConfig(values.event);
  const path = values.store ?? config.storePath;
  if (!existsSync(path)) throw new InputError(`no store at ${path}`);
  const store = openStore(path, { busyTimeoutMs: 5_000 });
  try {
    const enrolled = store.db.prepare<[], { n: number }>('SELECT count(*) AS n FROM face_embeddings').get()!.n;
    if (!values.yes) {
      if (!process.stdin.isTTY || !process.stdout.isTTY) {
        throw new InputError(`refusing to delete face data without confirmation: run on a terminal to be asked, or add --yes (store ${store.path}, ${enrolled} embedding${enrolled === 1 ? '' : 's'})`);
      }
      if (!(await confirm(`Delete all face data (${enrolled} embedding${enrolled === 1 ? '' : 's'}) from ${store.path}? Consent records are kept. Type "purge" to confirm: `))) {
        console.error('nothing deleted');
        return 1;
      }
    }
    const { receipt, receiptFile } = purgeBiometrics(store, { nowMs: systemClock.now(), actor: `operator:${values.operator}`, device: config.device });
    console.log(JSON.stringify(receipt, null, 2));
    console.error(`face data purged; receipt written to ${receiptFile}${new FaceGallery(store.db).count() === 0 ? '' : ' (WARNING: embeddings remain)'}`);
  } finally {
    store.close();
  }
  return 0;
}

async function confirm(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    return (await rl.question(question)).trim().toLowerCase() === 'purge';
  } finally {
    rl.close();
  }
}
