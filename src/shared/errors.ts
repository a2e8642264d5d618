/**
 * InputError: bad input from outside (a file, a row, a field, a flag).
 * Its message is one line a person can act on: where, and what was expected.
 * The CLI prints `message` alone and exits non-zero; nothing else catches it.
 */
export class InputError extends Error {
  override readonly name = 'InputError';
  constructor(
    message: string,
    /** Every individual problem, when there are several (e.g. one per bad CSV row). */
    readonly problems: readonly string[] = [],
  ) {
    super(message);
  }
}

/** `file:line: field: what was expected` — the one format every validator uses. */
export function where(file: string, line?: number, field?: string): string {
  return [file + (line !== undefined ? `:${line}` : ''), field].filter(Boolean).join(': ');
}

/** Text of an unknown thrown value, for logs and problem lists. */
export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
