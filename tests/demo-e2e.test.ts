/** `letan demo --arrivals 30 --json` as a user runs it: a real process, its JSON summary checked figure by figure. */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);

describe('letan demo --arrivals 30 --json (end to end, real process)', () => {
  it('checks in every genuine arrival exactly once, refuses forged badges, loses nothing', async () => {
    const { stdout } = await run(process.execPath, ['bin/letan.js', 'demo', '--arrivals', '30', '--json'], { timeout: 240_000, env: { ...process.env, LETAN_LOG: 'warn' } });
    const summary = JSON.parse(stdout.trim().split('\n').at(-1)!) as Record<string, unknown> & {
      badge_to_greeting_ms: { p50: number; p95: number };
    };
    // The plan: arrivals 15 and 30 show forged badges, 10 and 20 repeat an earlier badge, the other 26 are first arrivals.
    expect(summary).toMatchObject({ arrivals: 30, checked_in: 26, greeted: 26, refused: 2, duplicates: 2, lost: 0, unanswered: 0, escort_failed: 0 });
    expect(summary.escort_requested).toBeGreaterThan(0);
    expect(summary.escorted).toBe(summary.escort_requested);
    expect(summary.badge_to_greeting_ms.p50).toBeGreaterThan(0);
    expect(summary.badge_to_greeting_ms.p95).toBeGreaterThanOrEqual(summary.badge_to_greeting_ms.p50);
  });

  it('rejects a bad flag with one clear line and a non-zero exit', async () => {
    const failure = await run(process.execPath, ['bin/letan.js', 'demo', '--arrivals', 'many'], { timeout: 60_000 }).catch((err: unknown) => err as { code: number; stderr: string });
    expect(failure).toMatchObject({ code: 2 });
    expect((failure as { stderr: string }).stderr.trim()).toBe("letan demo: --arrivals: expected a whole number from 1 to 10000, got 'many'");
  });
});
