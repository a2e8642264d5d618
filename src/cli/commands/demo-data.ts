import { existsSync, renameSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { demoDelegates, seatsFrontToBack, writeDelegatesCsv } from '../../delegates/demo-data.ts';
import { importDelegates } from '../../delegates/import.ts';
import { loadEventConfig } from '../../event/config.ts';
import { InputError } from '../../shared/errors.ts';
import { parseCommandArgs } from '../../shared/args.ts';
import { dataDir } from '../../shared/paths.ts';
import { openStore } from '../../store/sqlite-store.ts';
import { loadVenue } from '../../venue/load-venue.ts';

const storeFileSuffixes = ['', '-wal', '-shm'] as const;

/**
 * `letan demo-data [--out DIR] [--count N]`: writes the demo event's delegates CSV and
 * imports it into a fresh demo store (the event's paths, or DIR/delegates.csv and DIR/letan.sqlite).
 * The new store is built beside the old one and renamed over it: a failure leaves the old store as it was.
 */
export async function run(args: string[]): Promise<number> {
  const { values } = parseCommandArgs('demo-data', args, { out: { type: 'string' }, count: { type: 'string' } }, false);
  const count = values.count === undefined ? 449 : Number(values.count);
  if (!Number.isInteger(count) || count < 1 || count > 9999) throw new InputError(`--count ${values.count}: expected a whole number 1–9999`);

  const config = loadEventConfig();
  const venue = await loadVenue(config.venueDir);
  const seats = seatsFrontToBack(venue);
  if (count > seats.length) throw new InputError(`--count ${count}: venue ${venue.id} has only ${seats.length} seats`);
  const csvPath = values.out ? join(resolve(values.out), 'delegates.csv') : config.delegatesCsv ?? join(dataDir(), 'demo/delegates.csv');
  const storePath = values.out ? join(resolve(values.out), 'letan.sqlite') : config.storePath;

  const delegates = demoDelegates(seats, count);
  writeDelegatesCsv(csvPath, delegates);

  const newPath = `${storePath}.new`;
  for (const suffix of storeFileSuffixes) rmSync(newPath + suffix, { force: true }); // a crashed earlier run's leftovers
  const store = openStore(newPath);
  let imported: number;
  try {
    imported = importDelegates(csvPath, { venue, store }).imported;
    // Everything into the main file, so the rename moves the whole store (no -wal left behind).
    store.db.pragma('wal_checkpoint(TRUNCATE)');
    store.close();
  } catch (err: unknown) {
    store.close();
    for (const suffix of storeFileSuffixes) rmSync(newPath + suffix, { force: true });
    throw err;
  }
  for (const suffix of ['-wal', '-shm']) rmSync(newPath + suffix, { force: true });

  const replaced = existsSync(storePath);
  // The old store's -wal and -shm belong to the old file: SQLite would replay them onto the new one.
  for (const suffix of ['-wal', '-shm']) rmSync(storePath + suffix, { force: true });
  renameSync(newPath, storePath);
  if (replaced) console.log(`replaced the old demo store ${storePath} (demo data starts fresh: no check-ins)`);

  const english = delegates.filter((d) => d.language === 'en').length;
  const wheelchair = delegates.filter((d) => d.needs.includes('wheelchair')).length;
  const delegations = new Set(delegates.map((d) => d.delegation)).size;
  console.log(`wrote ${delegates.length} delegates (${delegations} delegations, ${english} English, ${wheelchair} wheelchair) to ${csvPath}`);
  console.log(`imported ${imported} delegates into ${storePath} (venue ${venue.id}, ${seats.length} seats)`);
  return 0;
}
