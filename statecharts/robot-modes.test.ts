import { describe, expect, it } from 'vitest';
import { SimulatedClock, createActor, fromPromise, type ActorRefFrom, type AnyStateMachine, type EventObject } from 'xstate';
import { getShortestPaths } from 'xstate/graph';
import type { NavOutcome } from '../src/robot/robot-port.ts';
import { receptionMachine, type IdentifyOutcome, type ReceptionDelegate, type ReceptionEvent } from './reception.ts';
import { ROBOT_MODES, robotMachine, type RobotEvent } from './robot-modes.ts';
import { receptionStubs, settle, stopLatchStub } from './test-actors.ts';

const delegate: ReceptionDelegate = {
  code: 'D-0002', fullName: 'Nguyễn Văn An', title: 'Đại biểu', delegation: 'Chi bộ khu phố 1',
  seat: 'A-1', language: 'vi', needs: [], row: 'A', seatNumber: 1,
};

/** Concrete events for every event type a machine listens to, with each outcome its actors can have. */
function eventsOf(machine: AnyStateMachine): EventObject[] {
  const variants: Record<string, EventObject[]> = {
    BADGE_READ: [{ type: 'BADGE_READ', text: 'L1.DEMO.D-0002.X', seenAtMs: 0 } as EventObject],
    FACE_IDENTIFIED: [
      { type: 'FACE_IDENTIFIED', code: delegate.code, score: 0.9, seenAtMs: 0 } as EventObject,
      { type: 'FACE_IDENTIFIED', code: 'D-0003', score: 0.9, seenAtMs: 0 } as EventObject,
    ],
    FACE_UNSURE: [
      { type: 'FACE_UNSURE', candidate: delegate.code, score: 0.6, seenAtMs: 0 } as EventObject,
      { type: 'FACE_UNSURE', candidate: null, score: 0.1, seenAtMs: 0 } as EventObject,
    ],
    FACE_ADVICE: [{ type: 'FACE_ADVICE', advice: 'step-closer' } as EventObject],
    STAFF_CONFIRMED: [{ type: 'STAFF_CONFIRMED', code: delegate.code, operator: 'Lan' } as EventObject],
    STAFF_REJECTED: [{ type: 'STAFF_REJECTED', operator: 'Lan' } as EventObject],
    ESCORT_REQUESTED: [
      { type: 'ESCORT_REQUESTED', target: { kind: 'seat' } } as EventObject,
      { type: 'ESCORT_REQUESTED', target: { kind: 'poi', poi: 'lift' } } as EventObject,
    ],
    SET_MODE: ROBOT_MODES.map((mode) => ({ type: 'SET_MODE', mode, operator: 'test' }) as EventObject),
    ESTOP: [{ type: 'ESTOP', source: 'test' } as EventObject],
    ESTOP_RESET: [{ type: 'ESTOP_RESET', operator: 'supervisor' } as EventObject],
    'xstate.done.actor.identify': ([
      { kind: 'checked-in', delegate, checkInId: 'c1', source: 'badge' },
      { kind: 'already-checked-in', delegate, firstAtMs: 0, firstGate: 'A' },
      { kind: 'refused', reason: 'forged' },
      { kind: 'needs-staff', reason: 'badge-face-mismatch', delegate },
    ] satisfies IdentifyOutcome[]).map((output) => ({ type: 'xstate.done.actor.identify', output }) as EventObject),
    'xstate.done.actor.navigate': ([{ status: 'succeeded' }, { status: 'aborted', code: 'blocked', reason: 'x' }] satisfies NavOutcome[]).map(
      (output) => ({ type: 'xstate.done.actor.navigate', output }) as EventObject,
    ),
    'xstate.done.actor.driveToDock': ([{ status: 'succeeded' }, { status: 'canceled' }] satisfies NavOutcome[]).map(
      (output) => ({ type: 'xstate.done.actor.driveToDock', output }) as EventObject,
    ),
  };
  return machine.root.events.map(String).flatMap((type) => variants[type] ?? [{ type }]);
}

describe('robot modes statechart: the emergency stop wins from every state', () => {
  it('every reachable mode state goes to stopped on ESTOP, takes the stop latch, and only ESTOP_RESET leaves it', () => {
    const paths = getShortestPaths(robotMachine, { events: eventsOf(robotMachine) as RobotEvent[], input: {} });
    const reached = new Set(paths.map((p) => JSON.stringify(p.state.value)));
    expect(reached).toEqual(
      new Set(['standby', 'reception', 'guide', 'performance', { docking: 'drivingToDock' }, { docking: 'docked' }, { docking: 'dockingFailed' }, 'maintenance', 'stopped'].map((v) => JSON.stringify(v))),
    );

    for (const path of paths) {
      const stop = stopLatchStub();
      const actor = createActor(
        robotMachine.provide({ actors: { holdStop: stop.logic, driveToDock: fromPromise<NavOutcome>(() => new Promise<NavOutcome>(() => undefined)), reception: receptionMachine.provide({ actors: receptionStubs().actors }) } }),
        { input: {}, clock: new SimulatedClock() },
      ).start();
      for (const step of path.steps) actor.send(step.event);
      expect(actor.getSnapshot().value).toEqual(path.state.value);
      const latchedBefore = stop.latch.taken;

      actor.send({ type: 'ESTOP', source: 'tablet' });
      expect(actor.getSnapshot().value).toBe('stopped');
      expect(stop.latch.taken - stop.latch.released).toBe(1);
      expect(actor.getSnapshot().children.reception).toBeUndefined();
      if (path.state.value !== 'stopped') expect(stop.latch.taken).toBe(latchedBefore + 1);

      for (const mode of ROBOT_MODES) actor.send({ type: 'SET_MODE', mode, operator: 'staff' });
      expect(actor.getSnapshot().value).toBe('stopped');

      actor.send({ type: 'ESTOP_RESET', operator: 'supervisor' });
      expect(actor.getSnapshot().value).toBe('standby');
      expect(stop.latch.released).toBe(stop.latch.taken);
      actor.stop();
    }
  });

  it('every reachable reception state, nested ones included, is left for stopped on ESTOP, cancelling what runs', async () => {
    const paths = getShortestPaths(receptionMachine, { events: eventsOf(receptionMachine) as ReceptionEvent[], input: { checkIn: true } });
    const reached = paths.map((p) => JSON.stringify(p.state.value));
    for (const expected of ['waiting', 'identifying', 'greeting', 'tellingAlreadyCheckedIn', 'refusing', '{"offeringHelp":"asking"}', '{"offeringHelp":"listening"}', '{"escorting":"announcing"}', '{"escorting":"leading"}', '{"escorting":"arrived"}', 'apologising', 'returning', 'waitingToRetryReturn', 'stranded', '{"askingStaff":"explaining"}', '{"askingStaff":"waitingForStaff"}', 'askingForBadge', 'advising']) {
      expect(reached).toContain(JSON.stringify(JSON.parse(expected.startsWith('{') ? expected : `"${expected}"`)));
    }

    for (const path of paths) {
      const stop = stopLatchStub();
      const stubs = receptionStubs();
      const actor = createActor(
        robotMachine.provide({ actors: { holdStop: stop.logic, reception: receptionMachine.provide({ actors: stubs.actors }) } }),
        { input: { initialMode: 'reception' }, clock: new SimulatedClock() },
      ).start();
      const child = actor.getSnapshot().children.reception as ActorRefFrom<typeof receptionMachine> | undefined;
      if (!child) throw new Error('reception child not running');
      for (const step of path.steps) child.send(step.event);
      expect(child.getSnapshot().value).toEqual(path.state.value);

      actor.send({ type: 'ESTOP', source: 'bumper' });
      await settle();
      expect(actor.getSnapshot().value).toBe('stopped');
      expect(stop.latch.taken).toBe(1);
      expect(child.getSnapshot().status).toBe('stopped');
      // Every effect the reception had started is cancelled: nothing keeps driving or talking.
      for (const call of [...stubs.navigate.calls, ...stubs.speak.calls, ...stubs.identify.calls]) expect(call.signal.aborted).toBe(true);
      actor.stop();
    }
  });

  it('forwards faces and staff answers to the reception, and the emergency stop wins while staff are asked', async () => {
    const stop = stopLatchStub();
    const stubs = receptionStubs();
    const actor = createActor(
      robotMachine.provide({ actors: { holdStop: stop.logic, reception: receptionMachine.provide({ actors: stubs.actors }) } }),
      { input: { initialMode: 'reception' }, clock: new SimulatedClock() },
    ).start();
    const child = (): ActorRefFrom<typeof receptionMachine> | undefined => actor.getSnapshot().children.reception as ActorRefFrom<typeof receptionMachine> | undefined;

    const other = { ...delegate, code: 'D-0003' };
    // A grey-zone face: staff confirm on the tablet.
    actor.send({ type: 'FACE_UNSURE', candidate: delegate.code, score: 0.6, seenAtMs: 0 });
    expect(child()?.getSnapshot().value).toEqual({ askingStaff: 'explaining' });
    stubs.speak.last().resolve();
    await settle();
    actor.send({ type: 'STAFF_CONFIRMED', code: delegate.code, operator: 'Lan' });
    expect(stubs.identify.last().input).toEqual({ by: 'staff', code: delegate.code, operator: 'Lan' });
    stubs.identify.last().resolve({ kind: 'checked-in', delegate, checkInId: 'c1', source: 'manual' });
    await settle();
    expect(child()?.getSnapshot().value).toBe('greeting');
    // Once help is offered, the next person's face is served.
    stubs.speak.last().resolve();
    await settle();
    actor.send({ type: 'FACE_IDENTIFIED', code: other.code, score: 0.9, seenAtMs: 0 });
    expect(stubs.identify.last().input).toEqual({ by: 'face', code: other.code, score: 0.9, seenAtMs: 0 });
    stubs.identify.last().resolve({ kind: 'checked-in', delegate: other, checkInId: 'c2', source: 'face' });
    await settle();
    expect(child()?.getSnapshot().context.checkInSource).toBe('face');
    stubs.speak.last().resolve(); // greeting
    await settle();

    // Advice, then a badge whose holder's face is someone else's: staff are asked, and reject.
    actor.send({ type: 'HELP_DECLINED' });
    actor.send({ type: 'FACE_ADVICE', advice: 'look-at-camera' });
    expect(child()?.getSnapshot().value).toBe('advising');
    actor.send({ type: 'BADGE_READ', text: 'L1.DEMO.D-0002.X', seenAtMs: 0 });
    stubs.identify.last().resolve({ kind: 'needs-staff', reason: 'badge-face-mismatch', delegate });
    await settle();
    expect(child()?.getSnapshot().value).toEqual({ askingStaff: 'explaining' });
    actor.send({ type: 'STAFF_REJECTED', operator: 'Lan' });
    expect(child()?.getSnapshot().value).toBe('waiting');

    actor.send({ type: 'FACE_UNSURE', candidate: delegate.code, score: 0.6, seenAtMs: 0 });
    expect(child()?.getSnapshot().value).toEqual({ askingStaff: 'explaining' });
    const asking = child();
    actor.send({ type: 'ESTOP', source: 'tablet' });
    await settle();
    expect(actor.getSnapshot().value).toBe('stopped');
    expect(stop.latch.taken - stop.latch.released).toBe(1);
    expect(asking?.getSnapshot().status).toBe('stopped');
    expect(stubs.speak.last().signal.aborted).toBe(true);
    // A late tap on the tablet does nothing while stopped.
    actor.send({ type: 'STAFF_CONFIRMED', code: delegate.code, operator: 'Lan' });
    expect(actor.getSnapshot().value).toBe('stopped');
    expect(child()).toBeUndefined();
    actor.stop();
  });
});
