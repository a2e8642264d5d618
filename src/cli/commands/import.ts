import { readDelegatesCsv, storeDelegates } from '../../delegates/import.ts';
import { loadEventConfig } from '../../event/config.ts';
import { InputError } from '../../shared/errors.ts';
import { parseCommandArgs } from '../../shared/args.ts';
import { openStore } from '../../store/sqlite-store.ts';
import { loadVenue } from '../../venue/load-venue.ts';

/** `letan import FILE.csv [--event FILE]`: replaces the event's delegate list from a CSV (UTF-8). */
export async function run(args: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs('import', args, { event: { type: 'string' } });
  if (positionals.length !== 1) throw new InputError(`expected one FILE.csv, got ${positionals.length === 0 ? 'none' : positionals.join(' ')}`);
  const file = positionals[0]!;
  const config = loadEventConfig(values.event);
  const venue = await loadVenue(config.venueDir);
  // Validated before the store is opened: a bad file must not leave a new, empty store behind.
  const delegates = readDelegatesCsv(file, venue);
  // A CLI process may wait for the controller's short write transactions.
  const store = openStore(config.storePath, { busyTimeoutMs: 5_000 });
  try {
    const { imported } = storeDelegates(delegates, file, { venue, store });
    console.log(`imported ${imported} delegates from ${file} into ${store.path} (venue ${venue.id})`);
  } finally {
    store.close();
  }
  return 0;
}
