/**
 * Visitors for the live demo (`npm start` on the demo event): every so often the next
 * absent delegate holds their badge up to the generated camera and lowers it once the
 * robot has answered, so the kiosk and staff pages show real greetings. Whoever is at
 * the kiosk can then tap "take me to my seat" like a delegate would.
 */
import { signBadge } from '../badges/token.ts';
import type { Controller } from '../controller/controller.ts';
import type { Ledger } from '../attendance/ledger.ts';
import type { DelegateRepository } from '../delegates/repository.ts';
import type { GeneratedFrameSource } from '../perception/generated-frame-source.ts';
import { systemClock } from '../shared/clock.ts';
import { errorText } from '../shared/errors.ts';
import { logger } from '../shared/logger.ts';

const log = logger('simulation/demo-visitors');

export interface DemoVisitorOptions {
  readonly controller: Controller;
  readonly camera: GeneratedFrameSource;
  readonly delegates: DelegateRepository;
  readonly ledger: Ledger;
  readonly eventId: string;
  readonly badgeKey: Buffer;
  /** Real time between one visitor leaving and the next arriving. */
  readonly intervalMs: number;
  /** Longest a visitor holds the badge up waiting for an answer. */
  readonly holdMs?: number;
}

/** Starts the visitors; the returned function stops them (and lowers any badge). */
export function startDemoVisitors(options: DemoVisitorOptions): () => Promise<void> {
  const abort = new AbortController();
  const done = visit(options, abort.signal).catch((err: unknown) => {
    if (!abort.signal.aborted) log.error({ err: errorText(err) }, 'demo visitors stopped');
  });
  return async () => {
    abort.abort();
    await done;
    options.camera.present(null);
  };
}

async function visit(o: DemoVisitorOptions, signal: AbortSignal): Promise<void> {
  const holdMs = o.holdMs ?? 8_000;
  while (!signal.aborted) {
    await systemClock.sleep(o.intervalMs, signal);
    const screen = o.controller.view().screen.screen;
    if (screen !== 'attract') continue; // the robot is busy (escorting, stopped, another mode)
    const next = o.delegates.all().find((d) => !o.ledger.isPresent(d.code));
    if (!next) return;
    o.camera.present(signBadge({ eventId: o.eventId, code: next.code, key: o.badgeKey }));
    const until = systemClock.now() + holdMs;
    while (systemClock.now() < until && !['help', 'refusal'].includes(o.controller.view().screen.screen)) await systemClock.sleep(100, signal);
    o.camera.present(null);
  }
}
