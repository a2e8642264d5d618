import { buildVenueFiles } from '../../venue/generate.ts';
import { parseCommandArgs } from '../../shared/args.ts';
import { InputError } from '../../shared/errors.ts';

const usage = 'expected: map build DESCRIPTION.yaml';

/** `letan map build maps/<venue>/hall.yaml`: regenerates map.pgm, map.yaml and venue.json beside the description. */
export async function run(args: string[]): Promise<number> {
  const { positionals } = parseCommandArgs('map', args, {});
  const [action, description, ...extra] = positionals;
  if (action !== 'build' || !description || extra.length > 0) throw new InputError(`${usage}; got '${args.join(' ')}'`);
  const { files, generated } = await buildVenueFiles(description);
  const seats = generated.venue.rows.reduce((n, r) => n + r.seats.length, 0);
  console.log(`${generated.venue.id}: ${generated.width}x${generated.height} cells, ${generated.venue.rows.length} rows, ${seats} seats, ${generated.venue.pois.length} POIs`);
  for (const f of files) console.log(`  wrote ${f}`);
  return 0;
}
