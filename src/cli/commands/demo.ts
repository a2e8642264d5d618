import { parseCommandArgs, wholeNumber } from '../../shared/args.ts';
import { InputError } from '../../shared/errors.ts';
import { demoRun } from '../../simulation/demo-run.ts';

/** `letan demo --arrivals N [--json] [--speedup X] [--seed S] [--keep DIR]` */
export async function run(args: string[]): Promise<number> {
  const { values } = parseCommandArgs('demo', args, {
    arrivals: { type: 'string', default: '30' },
    speedup: { type: 'string', default: '50' },
    seed: { type: 'string', default: '1' },
    keep: { type: 'string' },
    json: { type: 'boolean', default: false },
  }, false);
  const arrivals = wholeNumber('--arrivals', values.arrivals, 10_000);
  const speedup = Number(values.speedup);
  if (!(speedup >= 1 && speedup <= 1000)) throw new InputError(`--speedup: expected a number from 1 to 1000, got '${values.speedup}'`);
  const seed = wholeNumber('--seed', values.seed, 2 ** 31);
  const summary = await demoRun({
    arrivals,
    seed,
    speedup,
    seatEscortShare: 0.2,
    liftEscortShare: 0.05,
    repeatEvery: 10,
    forgedEvery: 15,
    ...(values.keep ? { keepDir: values.keep } : {}),
    onProgress: values.json ? undefined : (done, total) => process.stderr.write(`\r${done}/${total} arrivals`),
  });
  if (!values.json) process.stderr.write('\n');
  const lines = [
    `arrivals ${summary.arrivals}: checked in ${summary.checked_in}, greeted ${summary.greeted}, escorted ${summary.escorted} (failed ${summary.escort_failed}), refused ${summary.refused}, duplicates ${summary.duplicates}`,
    `lost ${summary.lost}, unanswered ${summary.unanswered}`,
    `badge → greeting audio: p50 ${summary.badge_to_greeting_ms.p50} ms, p95 ${summary.badge_to_greeting_ms.p95} ms (target ≤ 150 ms p95); speaker ${summary.speaker}`,
    `${summary.wall_s} s wall time at ${summary.speedup}× simulated time${summary.files ? `; files in ${summary.files}` : ''}`,
  ];
  console.log(lines.join('\n'));
  if (values.json) console.log(JSON.stringify(summary));
  return summary.lost === 0 && summary.unanswered === 0 ? 0 : 1;
}
