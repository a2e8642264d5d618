/** The kiosk and staff HTTP/WebSocket surface, on a real runtime (SQLite, SimRobot, espeak-ng to WAV). */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRuntime, type Runtime } from '../src/controller/runtime.ts';
import type { ControllerView } from '../src/controller/view.ts';
import { loadEventConfig } from '../src/event/config.ts';
import { GeneratedFrameSource } from '../src/perception/generated-frame-source.ts';
import { createServer, type ServerPush } from '../src/server/server.ts';
import { scaledClock, systemClock } from '../src/shared/clock.ts';

let dir: string;
let runtime: Runtime;
let app: FastifyInstance;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'letan-server-'));
  const base = loadEventConfig();
  const config = { ...base, storePath: join(dir, 'letan.sqlite'), delegatesCsv: join(dir, 'delegates.csv'), voice: { ...base.voice, output: 'wav' as const } };
  runtime = await createRuntime(config, {
    clock: scaledClock(20),
    camera: new GeneratedFrameSource({ fps: 5, seed: 1, clock: systemClock }),
    audioSink: { kind: 'wav-dir', dir: join(dir, 'audio') },
  });
  app = await createServer({ controller: runtime.controller, venue: runtime.venue });
  runtime.controller.start();
});

afterAll(async () => {
  await app.close();
  await runtime.close();
  rmSync(dir, { recursive: true, force: true });
});

const post = (url: string, payload: object) => app.inject({ method: 'POST', url, payload });
const state = async (): Promise<ControllerView> => (await app.inject('/api/state')).json<ControllerView>();

describe('controller HTTP + WebSocket', () => {
  it('serves the kiosk and staff pages, the venue plan and the map image', async () => {
    expect((await app.inject('/')).body).toContain('kiosk.js');
    expect((await app.inject('/staff')).body).toContain('staff.js');
    const plan = (await app.inject('/api/venue')).json<{ seats: unknown[]; floors: { mapPng: string }[] }>();
    expect(plan.seats.length).toBeGreaterThanOrEqual(450);
    const png = await app.inject(plan.floors[0]!.mapPng);
    expect(png.headers['content-type']).toBe('image/png');
    expect(png.rawPayload.subarray(1, 4).toString()).toBe('PNG');
  });

  it('reports the state with present/total of the demo event', async () => {
    const view = await state();
    expect(view.mode).toBe('reception');
    expect(view.presence).toEqual({ present: 0, total: 449 });
    expect(view.screen.screen).toBe('attract');
  });

  it('pushes views over the WebSocket', async () => {
    let received: (push: ServerPush) => void = () => undefined;
    const first = new Promise<ServerPush>((resolve) => (received = resolve));
    const ws = await app.injectWS('/ws', {}, { onInit: (socket) => socket.once('message', (data: Buffer) => received(JSON.parse(data.toString()) as ServerPush)) });
    expect(await first).toMatchObject({ type: 'view' });
    expect((await first).view.event.id).toBe('DEMO');
    ws.terminate();
  });

  it('validates command bodies and refuses an escort nobody asked for', async () => {
    const bad = await post('/api/mode', { mode: 'dancing', operator: 'x' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json<{ message: string }>().message).toContain('mode');
    const escort = await post('/api/kiosk/escort', { target: 'seat' });
    expect(escort.statusCode).toBe(409);
    expect((await post('/api/kiosk/escort', { target: 'lift', delegate: 'D-0001' })).statusCode).toBe(409); // a tap for someone no longer served
    expect((await post('/api/kiosk/escort', { target: 'lift', extra: 1 })).statusCode).toBe(400);
  });

  it('staff confirm with one tap what the robot asks about; a stale or unasked tap is refused', async () => {
    expect((await post('/api/staff/reject', { operator: 'staff:Lan' })).statusCode).toBe(409); // nothing asked
    // The face pipeline's grey zone (the watcher itself is tested with real models in face-checkin.test.ts).
    runtime.controller.send({ type: 'FACE_UNSURE', candidate: 'D-0003', score: 0.47, seenAtMs: 0 });
    const asked = await state();
    expect(asked.staffQuestion).toMatchObject({ reason: 'face-grey-zone', candidate: { code: 'D-0003' } });
    expect(asked.staffQuestion?.candidate?.fullName).toBeTruthy();
    expect(asked.screen).toEqual({ screen: 'staff-called' });
    expect((await post('/api/staff/confirm', { code: 'D-0004', operator: 'staff:Lan' })).statusCode).toBe(409); // not the one shown
    expect((await post('/api/staff/confirm', { code: 'D-0003', operator: 'staff:Lan', extra: 1 })).statusCode).toBe(400);
    const confirmed = await post('/api/staff/confirm', { code: 'D-0003', operator: 'staff:Lan' });
    expect(confirmed.statusCode).toBe(200);
    expect(runtime.ledger.activeCheckIn('D-0003')).toMatchObject({ source: 'manual', operator: 'staff:Lan' });
    expect((await state()).staffQuestion).toBeNull();
    while ((await state()).statePath[1] !== 'offeringHelp') await systemClock.sleep(10); // greeted
    runtime.controller.send({ type: 'HELP_DECLINED' });

    runtime.controller.send({ type: 'FACE_UNSURE', candidate: 'D-0005', score: 0.45, seenAtMs: 0 });
    expect((await post('/api/staff/reject', { operator: 'staff:Lan' })).statusCode).toBe(200);
    expect(runtime.ledger.isPresent('D-0005')).toBe(false);
    expect((await state()).statePath).toEqual(['reception', 'waiting']);
  });

  it('e-stop latches: zero speed, mode changes refused with a reason, reset leads to standby', async () => {
    const stop = await post('/api/estop', { source: 'staff-tablet' });
    expect(stop.json()).toEqual({ statePath: ['stopped'] });
    expect(runtime.robot.speedMps()).toBe(0);
    expect(runtime.robot.stopped).toBe(true);

    const mode = await post('/api/mode', { mode: 'reception', operator: 'staff' });
    expect(mode.statusCode).toBe(409);
    expect(mode.json<{ error: string }>().error).toContain('emergency stop latched');
    expect((await state()).stoppedBy).toBe('staff-tablet');

    const reset = await post('/api/estop/reset', { operator: 'supervisor' });
    expect(reset.json()).toEqual({ statePath: ['standby'] });
    expect(runtime.robot.stopped).toBe(false);
    expect((await post('/api/estop/reset', { operator: 'supervisor' })).statusCode).toBe(409);

    expect((await post('/api/mode', { mode: 'guide', operator: 'staff' })).json()).toMatchObject({ statePath: ['guide', 'waiting'] });
    expect((await state()).screen).toEqual({ screen: 'attract', checkIn: false });
  });
});
