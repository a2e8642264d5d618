import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { writeBadges } from '../../badges/write-badges.ts';
import { BADGE_CODE_PATTERN } from '../../badges/token.ts';
import { DelegateRepository } from '../../delegates/repository.ts';
import type { Delegate } from '../../delegates/types.ts';
import { loadEventConfig } from '../../event/config.ts';
import { parseCommandArgs } from '../../shared/args.ts';
import { InputError } from '../../shared/errors.ts';
import { dataDir } from '../../shared/paths.ts';
import { openStore } from '../../store/sqlite-store.ts';

/**
 * `letan badges [--event FILE] [--out DIR] [--codes A,B]`: signed QR badges of the
 * event's delegates as PNG and SVG files and one printable A4 sheet (badges.html).
 * With --codes only those badges are (re)made; the others in DIR stay.
 */
export async function run(args: string[]): Promise<number> {
  const { values } = parseCommandArgs('badges', args, { event: { type: 'string' }, out: { type: 'string' }, codes: { type: 'string' } }, false);
  const config = loadEventConfig(values.event);
  const outDir = resolve(values.out ?? join(dataDir(), config.id.toLowerCase(), 'badges'));
  const noDelegates = `no delegates in ${config.storePath}; run 'letan import FILE.csv${values.event ? ` --event ${values.event}` : ''}' (or 'letan demo-data' for the demo event) first`;
  // Opening a missing store would create an empty one: check first, write nothing.
  if (!existsSync(config.storePath)) throw new InputError(noDelegates);

  const codes = values.codes === undefined ? null : parseCodes(values.codes);
  const store = openStore(config.storePath);
  let delegates: Delegate[];
  try {
    const repository = new DelegateRepository(store.db);
    if (codes === null) {
      delegates = repository.all();
    } else {
      const unknown = codes.filter((c) => repository.byCode(c) === undefined);
      if (unknown.length > 0) throw new InputError(`--codes: no delegate with code ${unknown.join(', ')} in ${config.storePath}`);
      delegates = codes.map((c) => repository.byCode(c)!);
    }
  } finally {
    store.close();
  }
  if (delegates.length === 0) throw new InputError(noDelegates);

  const result = await writeBadges({ event: config, delegates, outDir, mode: codes === null ? 'all' : 'merge' });
  console.log(`wrote ${result.count} badge${result.count === 1 ? '' : 's'} to ${result.outDir} (png/, svg/, printable sheet ${result.sheet})`);
  return 0;
}

function parseCodes(text: string): string[] {
  const codes = [...new Set(text.split(',').map((c) => c.trim()).filter(Boolean))];
  if (codes.length === 0) throw new InputError('--codes: expected a comma-separated list of delegate codes, e.g. D-0001,D-0002');
  const bad = codes.find((c) => !BADGE_CODE_PATTERN.test(c));
  if (bad !== undefined) throw new InputError(`--codes: '${bad}': expected a delegate code of 1–20 of A–Z, 0–9, -`);
  return codes;
}
