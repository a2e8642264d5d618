import { existsSync } from 'node:fs';
import { revokeBadge } from '../../badges/revocations.ts';
import { loadEventConfig } from '../../event/config.ts';
import { parseCommandArgs } from '../../shared/args.ts';
import { systemClock } from '../../shared/clock.ts';
import { InputError } from '../../shared/errors.ts';
import { openStore } from '../../store/sqlite-store.ts';

/** `letan revoke CODE --reason TEXT [--operator NAME] [--event FILE]`: the badge of CODE is refused from now on. */
export async function run(args: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs('revoke', args, {
    reason: { type: 'string' },
    operator: { type: 'string', default: 'staff' },
    event: { type: 'string' },
  });
  const code = positionals[0]?.trim().toUpperCase();
  if (!code || positionals.length > 1) throw new InputError('expected one delegate code, e.g. letan revoke D-0042 --reason "lost"');
  if (values.reason === undefined) throw new InputError('--reason: say why the badge is revoked (e.g. "lost at the entrance")');
  const config = loadEventConfig(values.event);
  if (!existsSync(config.storePath)) throw new InputError(`no store at ${config.storePath}: import the delegates first`);
  const store = openStore(config.storePath);
  try {
    revokeBadge(store.db, { code, reason: values.reason, operator: values.operator, device: config.device, atMs: systemClock.now() });
  } finally {
    store.close();
  }
  console.log(`badge of ${code} revoked: it is refused from now on; check the delegate in at the staff desk`);
  return Promise.resolve(0);
}
