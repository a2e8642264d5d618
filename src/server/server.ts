/**
 * HTTP + WebSocket for the robot's own screen (kiosk, `/`) and the staff page (`/staff`).
 *
 * Reads: GET /api/state (ControllerView), GET /api/venue (plan data), GET /api/venue/floors/:id/map.png.
 * Pushes: WS /ws sends `ServerPush` messages on every change (at most 10 a second per client).
 * Commands: POST /api/estop, /api/estop/reset, /api/mode, /api/kiosk/escort, /api/kiosk/done,
 * /api/staff/confirm, /api/staff/reject (one tap on the staff page when the robot asks).
 * Staff authentication (PIN, roles) is not here yet: bind to a trusted network only (default 127.0.0.1).
 */
import { resolve } from 'node:path';
import fastifyStatic from '@fastify/static';
import fastifyWebsocket from '@fastify/websocket';
import { Type, type Static } from '@sinclair/typebox';
import Fastify, { type FastifyInstance } from 'fastify';
import { PNG } from 'pngjs';
import type { Controller } from '../controller/controller.ts';
import type { ControllerView } from '../controller/view.ts';
import { repoRoot } from '../shared/paths.ts';
import type { Venue } from '../venue/types.ts';
import type { EscortTarget } from '../../statecharts/reception-types.ts';
import { ROBOT_MODES, type RobotEvent } from '../../statecharts/robot-modes.ts';
import { venuePlan } from './venue-plan.ts';

export type ServerPush = { readonly type: 'view'; readonly view: ControllerView };

const EstopBody = Type.Object({ source: Type.String({ minLength: 1, maxLength: 64 }) }, { additionalProperties: false });
const ResetBody = Type.Object({ operator: Type.String({ minLength: 1, maxLength: 64 }) }, { additionalProperties: false });
const ModeBody = Type.Object(
  { mode: Type.Union(ROBOT_MODES.map((m) => Type.Literal(m))), operator: Type.String({ minLength: 1, maxLength: 64 }) },
  { additionalProperties: false },
);
/** `delegate`: the code of the delegate the kiosk showed when tapped (a late tap for someone else is ignored). */
const ForDelegate = Type.Optional(Type.String({ minLength: 1, maxLength: 32 }));
const EscortBody = Type.Object(
  {
    target: Type.Union([Type.Literal('seat'), Type.Literal('lift'), Type.Literal('restroom'), Type.Literal('exit'), Type.Literal('staff-desk')]),
    delegate: ForDelegate,
  },
  { additionalProperties: false },
);
const DoneBody = Type.Object({ delegate: ForDelegate }, { additionalProperties: false });
/** `code`: the delegate the staff page showed as the candidate (a stale tap is refused). */
const StaffConfirmBody = Type.Object(
  { code: Type.String({ minLength: 1, maxLength: 32 }), operator: Type.String({ minLength: 1, maxLength: 64 }) },
  { additionalProperties: false },
);
const StaffRejectBody = Type.Object({ operator: Type.String({ minLength: 1, maxLength: 64 }) }, { additionalProperties: false });

const PUSH_INTERVAL_MS = 100;

export interface ServerOptions {
  readonly controller: Controller;
  readonly venue: Venue;
}

export async function createServer({ controller, venue }: ServerOptions): Promise<FastifyInstance> {
  // Unknown fields are an error, not silently dropped (Fastify's default strips them).
  const app = Fastify({ logger: false, ajv: { customOptions: { removeAdditional: false } } });
  await app.register(fastifyWebsocket);
  await app.register(fastifyStatic, { root: resolve(repoRoot, 'src/ui/static'), prefix: '/static/' });

  app.get('/', (_req, reply) => reply.sendFile('kiosk.html'));
  app.get('/staff', (_req, reply) => reply.sendFile('staff.html'));
  app.get('/api/state', () => controller.view());
  const plan = venuePlan(venue);
  app.get('/api/venue', () => plan);
  const mapPngs = new Map(venue.floors.map((f) => [f.id, occupancyPng(f.grid)]));
  app.get<{ Params: { id: string } }>('/api/venue/floors/:id/map.png', (req, reply) => {
    const png = mapPngs.get(req.params.id);
    if (!png) return reply.code(404).send({ error: `no floor '${req.params.id}'` });
    return reply.type('image/png').header('cache-control', 'max-age=3600').send(png);
  });

  app.post<{ Body: Static<typeof EstopBody> }>('/api/estop', { schema: { body: EstopBody } }, (req) => {
    controller.send({ type: 'ESTOP', source: req.body.source });
    return { statePath: controller.view().statePath };
  });
  app.post<{ Body: Static<typeof ResetBody> }>('/api/estop/reset', { schema: { body: ResetBody } }, (req, reply) => {
    const event = { type: 'ESTOP_RESET', operator: req.body.operator } as const;
    if (!controller.can(event)) return reply.code(409).send({ error: 'the emergency stop is not latched' });
    controller.send(event);
    return { statePath: controller.view().statePath };
  });
  app.post<{ Body: Static<typeof ModeBody> }>('/api/mode', { schema: { body: ModeBody } }, (req, reply) => {
    const view = controller.view();
    if (view.statePath[0] === 'stopped') return reply.code(409).send({ error: 'emergency stop latched: a supervisor must reset it first' });
    if (view.mode === req.body.mode) return { statePath: view.statePath };
    controller.send({ type: 'SET_MODE', mode: req.body.mode, operator: req.body.operator });
    return { statePath: controller.view().statePath };
  });
  app.post<{ Body: Static<typeof EscortBody> }>('/api/kiosk/escort', { schema: { body: EscortBody } }, (req, reply) => {
    const t = req.body.target;
    const target: EscortTarget = t === 'seat' ? { kind: 'seat' } : { kind: 'poi', poi: t };
    const event: RobotEvent = { type: 'ESCORT_REQUESTED', target, ...(req.body.delegate ? { forDelegate: req.body.delegate } : {}) };
    if (!controller.can(event)) return reply.code(409).send({ error: 'the robot cannot take you there right now' });
    controller.send(event);
    return { statePath: controller.view().statePath };
  });
  app.post<{ Body: Static<typeof DoneBody> }>('/api/kiosk/done', { schema: { body: DoneBody } }, (req, reply) => {
    const event: RobotEvent = { type: 'HELP_DECLINED', ...(req.body.delegate ? { forDelegate: req.body.delegate } : {}) };
    if (!controller.can(event)) return reply.code(409).send({ error: 'nothing to decline right now' });
    controller.send(event);
    return { statePath: controller.view().statePath };
  });

  app.post<{ Body: Static<typeof StaffConfirmBody> }>('/api/staff/confirm', { schema: { body: StaffConfirmBody } }, (req, reply) => {
    const question = controller.view().staffQuestion;
    // The tap confirms the person the tablet showed: a stale tap (another question since) is refused.
    if (!question?.candidate || question.candidate.code !== req.body.code) return reply.code(409).send({ error: 'the robot is not asking about this delegate now' });
    const event: RobotEvent = { type: 'STAFF_CONFIRMED', code: req.body.code, operator: req.body.operator };
    if (!controller.can(event)) return reply.code(409).send({ error: 'the robot is not waiting for staff' });
    controller.send(event);
    return { statePath: controller.view().statePath };
  });
  app.post<{ Body: Static<typeof StaffRejectBody> }>('/api/staff/reject', { schema: { body: StaffRejectBody } }, (req, reply) => {
    const event: RobotEvent = { type: 'STAFF_REJECTED', operator: req.body.operator };
    if (!controller.can(event)) return reply.code(409).send({ error: 'the robot is not waiting for staff' });
    controller.send(event);
    return { statePath: controller.view().statePath };
  });

  app.get('/ws', { websocket: true }, (socket) => {
    let timer: ReturnType<typeof setTimeout> | null = null;
    let latest: ControllerView | null = null;
    const send = (view: ControllerView): void => {
      const push: ServerPush = { type: 'view', view };
      socket.send(JSON.stringify(push));
    };
    send(controller.view());
    const unsubscribe = controller.onView((view) => {
      latest = view;
      timer ??= setTimeout(() => {
        timer = null;
        if (latest) send(latest);
      }, PUSH_INTERVAL_MS);
    });
    socket.on('close', () => {
      unsubscribe();
      if (timer) clearTimeout(timer);
    });
  });

  return app;
}

/** The occupancy grid as a PNG for the plan (free white, occupied dark, unknown grey), top row first. */
function occupancyPng(grid: Venue['floors'][number]['grid']): Buffer {
  const png = new PNG({ width: grid.width, height: grid.height });
  for (let i = 0; i < grid.cells.length; i++) {
    const c = grid.cells[i]!;
    const v = c === 0 ? 250 : c < 0 ? 200 : 90;
    png.data[i * 4] = v;
    png.data[i * 4 + 1] = v;
    png.data[i * 4 + 2] = v;
    png.data[i * 4 + 3] = 255;
  }
  return PNG.sync.write(png);
}
