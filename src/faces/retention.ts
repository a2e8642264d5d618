import type { EventConfig } from '../event/config.ts';

export type RetentionCheck = { readonly ok: true } | { readonly ok: false; readonly message: string };

/**
 * Whether face data may still be used at `nowMs`: always, when the event sets no
 * biometrics.retain_until; until the end of that day (venue time zone) otherwise. Past it, the
 * runtime must not load embeddings and enrolment must not add any: the message names the date
 * and the command that deletes them.
 */
export function checkRetention(config: Pick<EventConfig, 'biometrics' | 'timeZone'>, nowMs: number): RetentionCheck {
  const b = config.biometrics;
  if (b === null || nowMs <= b.retainUntilMs) return { ok: true };
  return {
    ok: false,
    message: `face data may only be kept until the end of ${b.retainUntil} (${config.timeZone}) and that date has passed: face check-in is off; delete the face data with \`letan purge --biometrics\``,
  };
}
