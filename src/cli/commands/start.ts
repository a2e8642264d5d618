import { createRuntime } from '../../controller/runtime.ts';
import { loadEventConfig } from '../../event/config.ts';
import { GeneratedFrameSource } from '../../perception/generated-frame-source.ts';
import { createServer } from '../../server/server.ts';
import { startDemoVisitors } from '../../simulation/demo-visitors.ts';
import { parseCommandArgs } from '../../shared/args.ts';
import { InputError } from '../../shared/errors.ts';
import { ROBOT_MODES, type RobotMode } from '../../../statecharts/robot-modes.ts';

/**
 * `letan start [--event FILE] [--host H] [--port N] [--mode MODE] [--visitors SECONDS]`: the
 * controller with its kiosk and staff pages. Without --event: the demo event (delegates generated
 * on first start) with simulated visitors showing their badges to the generated camera.
 * Runs until SIGINT/SIGTERM.
 */
export async function run(args: string[]): Promise<number> {
  const { values } = parseCommandArgs('start', args, {
    event: { type: 'string' },
    host: { type: 'string' },
    port: { type: 'string' },
    mode: { type: 'string', default: 'reception' },
    visitors: { type: 'string' },
  }, false);
  const config = loadEventConfig(values.event);
  const mode = values.mode as RobotMode;
  if (!ROBOT_MODES.includes(mode)) throw new InputError(`--mode: expected one of ${ROBOT_MODES.join(', ')}, got '${values.mode}'`);
  const port = values.port === undefined ? config.http.port : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new InputError(`--port: expected 0–65535, got '${values.port}'`);
  const host = values.host ?? config.http.host;
  const visitorsEverySeconds = values.visitors === undefined ? (config.camera.kind === 'generated' ? 20 : 0) : Number(values.visitors);
  if (!(visitorsEverySeconds >= 0)) throw new InputError(`--visitors: expected seconds between simulated visitors (0: none), got '${values.visitors}'`);
  if (visitorsEverySeconds > 0 && config.camera.kind !== 'generated') throw new InputError('--visitors: simulated visitors need the generated camera (camera.kind: generated)');

  const runtime = await createRuntime(config, { initialMode: mode });
  const app = await createServer({ controller: runtime.controller, venue: runtime.venue });
  try {
    await app.listen({ host, port });
  } catch (err: unknown) {
    await runtime.close();
    const code = (err as { code?: string }).code;
    if (code === 'EADDRINUSE') throw new InputError(`port ${port} on ${host} is in use: pass --port N (or http.port in the event file)`);
    throw err;
  }
  runtime.controller.start();
  // The demo camera has nobody in front of it: simulated delegates show their badges now and then.
  const stopVisitors =
    visitorsEverySeconds > 0 && runtime.camera instanceof GeneratedFrameSource
      ? startDemoVisitors({ controller: runtime.controller, camera: runtime.camera, delegates: runtime.delegates, ledger: runtime.ledger, eventId: config.id, badgeKey: config.badgeKey, intervalMs: visitorsEverySeconds * 1000 })
      : null;
  const address = app.server.address();
  const bound = typeof address === 'object' && address ? address.port : port;
  const shown = host === '0.0.0.0' || host === '::' ? 'localhost' : host;
  const presence = runtime.ledger.presence();
  console.log(`letan — ${config.name.vi} / ${config.name.en}`);
  for (const note of runtime.notes) console.log(`  ${note}`);
  console.log(`  delegates: ${presence.present}/${presence.total} present; venue ${runtime.venue.id}; camera ${runtime.camera.description}; speech ${runtime.speaker.name}`);
  console.log(`  kiosk (robot screen): http://${shown}:${bound}/`);
  console.log(`  staff:                http://${shown}:${bound}/staff`);
  if (stopVisitors) console.log(`  simulated visitors: a delegate shows a badge every ${visitorsEverySeconds} s (--visitors 0 to turn off)`);
  console.log('  Ctrl+C to stop.');

  await new Promise<void>((resolve) => {
    const stop = (): void => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await stopVisitors?.();
  await app.close();
  await runtime.close();
  return 0;
}
