import { parseArgs, type ParseArgsConfig } from 'node:util';
import { InputError } from './errors.ts';

/** node:util parseArgs, with unknown flags turned into one InputError naming the command. */
export function parseCommandArgs<T extends NonNullable<ParseArgsConfig['options']>>(
  command: string,
  args: string[],
  options: T,
  allowPositionals = true,
): ReturnType<typeof parseArgs<{ args: string[]; options: T; allowPositionals: boolean; strict: true }>> {
  try {
    return parseArgs({ args, options, allowPositionals, strict: true });
  } catch (err: unknown) {
    throw new InputError(`letan ${command}: ${err instanceof Error ? err.message : String(err)}`);
  }
}
