import { InputError } from '../../shared/errors.ts';
import type { Command } from '../main.ts';

/** `letan bench <name> ...`: each benchmark is a module in src/bench/. */
const benches: Record<string, () => Promise<Command>> = {
  qr: () => import('../../bench/qr.ts'),
  nav: () => import('../../bench/nav.ts'),
  checkin: () => import('../../bench/checkin.ts'),
  faces: () => import('../../bench/faces.ts'),
};

export async function run(args: string[]): Promise<number> {
  const [name, ...rest] = args;
  const load = name ? benches[name] : undefined;
  if (!load) throw new InputError(`expected one of: ${Object.keys(benches).join(', ')}; got '${name ?? ''}'`);
  return (await load()).run(rest);
}
