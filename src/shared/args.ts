import { parseArgs, type ParseArgsConfig } from 'node:util';
import { InputError } from './errors.ts';

/** node:util parseArgs, with unknown or malformed flags turned into one InputError (`_command` names the command at the call site; main() prefixes it to the message). */
export function parseCommandArgs<T extends NonNullable<ParseArgsConfig['options']>>(
  _command: string,
  args: string[],
  options: T,
  allowPositionals = true,
): ReturnType<typeof parseArgs<{ args: string[]; options: T; allowPositionals: boolean; strict: true }>> {
  try {
    return parseArgs({ args, options, allowPositionals, strict: true });
  } catch (err: unknown) {
    // main() prefixes `letan <command>: ` itself.
    throw new InputError(err instanceof Error ? err.message : String(err));
  }
}

/** A whole number flag from 1 to `max`, or one InputError naming the flag. */
export function wholeNumber(flag: string, value: string, max: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > max) throw new InputError(`${flag}: expected a whole number from 1 to ${max}, got '${value}'`);
  return n;
}
