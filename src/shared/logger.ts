import pino, { type Logger } from 'pino';

/**
 * One logger per module (STYLE 9): `const log = logger('robot/sim')`.
 * Level from LETAN_LOG (default `warn`, so commands stay readable; tests default to `silent`).
 * Logs go to stderr so command output on stdout (e.g. `--json`) stays clean.
 */
const root: Logger = pino(
  { level: process.env.LETAN_LOG ?? (process.env.VITEST ? 'silent' : 'warn'), base: undefined },
  pino.destination(2),
);

export function logger(module: string): Logger {
  return root.child({ module });
}

export type { Logger };
