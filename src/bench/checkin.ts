import { parseCommandArgs, wholeNumber } from '../shared/args.ts';
import { demoRun } from '../simulation/demo-run.ts';

/**
 * `letan bench checkin [--arrivals N] [--json]`: badge in view → greeting audio starts,
 * through the whole real path (generated camera frames, jsQR in a worker, badge
 * verification, SQLite check-in with fsync, espeak-ng). Target ≤ 150 ms p95.
 */
export async function run(args: string[]): Promise<number> {
  const { values } = parseCommandArgs('bench checkin', args, {
    arrivals: { type: 'string', default: '200' },
    seed: { type: 'string', default: '7' },
    json: { type: 'boolean', default: false },
  }, false);
  const summary = await demoRun({
    arrivals: wholeNumber('--arrivals', values.arrivals, 449),
    seed: wholeNumber('--seed', values.seed, 2 ** 31),
    speedup: 100,
    seatEscortShare: 0,
    liftEscortShare: 0,
    repeatEvery: 0,
    forgedEvery: 0,
  });
  const { p50, p95, max } = summary.badge_to_greeting_ms;
  console.log(`badge → greeting audio over ${summary.greeted} greetings: p50 ${p50} ms, p95 ${p95} ms, max ${max} ms (target ≤ 150 ms p95); speaker ${summary.speaker}`);
  if (summary.lost > 0 || summary.unanswered > 0) console.log(`WARNING: lost ${summary.lost}, unanswered ${summary.unanswered}`);
  if (values.json) console.log(JSON.stringify({ badge_to_greeting_ms: { p50, p95 }, max_ms: max, greeted: summary.greeted, lost: summary.lost, unanswered: summary.unanswered, speaker: summary.speaker }));
  return 0;
}
