/**
 * `letan bench faces --json` on the real faces set (20 enrolled from one photo each, 70 genuine
 * queries, 23 impostor photos), as a user runs it: the whole shipped pipeline with real
 * inference. The policy must never name the wrong person or a stranger; the identified share
 * is asserted only loosely (a broken pipeline that is always "unsure" would also never err).
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { benchmarkSet } from '../src/shared/paths.ts';

const run = promisify(execFile);
const faces = benchmarkSet('faces');
if (!faces.present) console.warn(`bench faces test skipped: no benchmark set at ${faces.path} (set LETAN_SHARED)`);

describe.skipIf(!faces.present)('letan bench faces --json (real process, real models, real photos)', () => {
  it('never accepts a wrong identity or an impostor, and identifies people', async () => {
    const { stdout } = await run(process.execPath, ['bin/letan.js', 'bench', 'faces', '--set', faces.path, '--json'], { timeout: 240_000 });
    const report = JSON.parse(stdout.trim().split('\n').at(-1)!) as Record<string, unknown> & { rank1: number; one_tap_rate: number; detect_ms: { p95: number } };
    expect(report).toMatchObject({ wrong_identity_accepts: 0, impostor_accepts: 0, gallery_size: 20, genuine_queries: 70, impostor_queries: 23, no_face: 0 });
    expect(report.rank1).toBeGreaterThan(0.4);
    expect(report.one_tap_rate).toBeGreaterThanOrEqual(report.rank1);
    for (const key of ['tar_at_far_1e3', 'eer', 'unsure_rate', 'identify_ms']) expect(report).toHaveProperty(key);
  }, 300_000);

  it('refuses a folder without a manifest with one clear line', async () => {
    const failure = await run(process.execPath, ['bin/letan.js', 'bench', 'faces', '--set', '/nonexistent'], { timeout: 60_000 }).catch((err: unknown) => err as { code: number; stderr: string });
    expect(failure).toMatchObject({ code: 2 });
    expect((failure as { stderr: string }).stderr).toContain('/nonexistent/manifest.json: expected a face benchmark manifest');
  });
});
