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

/** A whole number flag from 1 to `max`, or one InputError naming the flag. */
export function wholeNumber(flag: string, value: string, max: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > max) throw new InputError(`${flag}: expected a whole number from 1 to ${max}, got '${value}'`);
  return n;
}
