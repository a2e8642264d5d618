/**
 * The robot's modes, switched by staff from the tablet, and the emergency stop.
 *
 *   standby ⇄ reception ⇄ guide ⇄ performance ⇄ docking ⇄ maintenance   (SET_MODE, any to any)
 *        every state ─ESTOP→ stopped (latched) ─ESTOP_RESET→ standby
 *
 * The emergency stop wins from every state, nested ones included: leaving a mode
 * stops its child actors (a running navigation is cancelled through its abort
 * signal) and `stopped` holds the robot's stop latch for as long as it is active.
 * Nothing in `stopped` can command motion; only an explicit ESTOP_RESET leaves it,
 * and it leads to standby, never straight back into a moving mode.
 */
import { assign, forwardTo, fromCallback, fromPromise, setup } from 'xstate';
import type { NavOutcome } from '../src/robot/robot-port.ts';
import { receptionMachine, type ReceptionEvent } from './reception.ts';

export const ROBOT_MODES = ['standby', 'reception', 'guide', 'performance', 'docking', 'maintenance'] as const;
export type RobotMode = (typeof ROBOT_MODES)[number];

export type RobotEvent =
  | { readonly type: 'SET_MODE'; readonly mode: RobotMode; readonly operator: string }
  /** Emergency stop pressed (tablet, kiosk, physical button, bumper). */
  | { readonly type: 'ESTOP'; readonly source: string }
  /** Explicit reset of the latched stop by a named operator. */
  | { readonly type: 'ESTOP_RESET'; readonly operator: string }
  | ReceptionEvent;

export interface RobotContext {
  readonly initialMode: RobotMode;
  /** The mode being entered or active (also while stopped: the mode before the stop). */
  readonly mode: RobotMode;
  /** Who or what pressed the emergency stop, while stopped. */
  readonly stoppedBy: string | null;
}

export interface RobotInput {
  readonly initialMode?: RobotMode;
}

/** What the reception child acts on, forwarded to it while it runs (in guide mode it ignores badges, faces and staff answers itself). */
const receptionEvents = {
  BADGE_READ: { actions: 'forwardToReception' },
  FACE_IDENTIFIED: { actions: 'forwardToReception' },
  FACE_UNSURE: { actions: 'forwardToReception' },
  FACE_ADVICE: { actions: 'forwardToReception' },
  STAFF_CONFIRMED: { actions: 'forwardToReception' },
  STAFF_REJECTED: { actions: 'forwardToReception' },
  ESCORT_REQUESTED: { actions: 'forwardToReception' },
  HELP_DECLINED: { actions: 'forwardToReception' },
  RETURNED_BY_STAFF: { actions: 'forwardToReception' },
  AWAY_FROM_POST: { actions: 'forwardToReception' },
} as const;

const notProvided = (name: string) => () => {
  throw new Error(`robot actor '${name}' was not provided`);
};

export const robotMachine = setup({
  types: {
    context: {} as RobotContext,
    events: {} as RobotEvent,
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion -- XState reads the input type from this assertion
    input: {} as RobotInput,
  },
  actors: {
    reception: receptionMachine,
    /** Holds the robot's stop latch while running: stop() on start, releaseStop() on cleanup. */
    holdStop: fromCallback<RobotEvent>(notProvided('holdStop')),
    /** Drives to the charging dock; resolves with the outcome. */
    driveToDock: fromPromise<NavOutcome>(() => Promise.reject(new Error("robot actor 'driveToDock' was not provided"))),
  },
  guards: {
    startsIn: ({ context }, mode: RobotMode) => context.initialMode === mode,
    /** SET_MODE to another mode than the current one (the current one is a no-op). */
    switchesTo: ({ context, event }, mode: RobotMode) => event.type === 'SET_MODE' && event.mode === mode && context.mode !== mode,
    docked: (_, outcome: NavOutcome) => outcome.status === 'succeeded',
  },
  actions: {
    rememberStop: assign({ stoppedBy: ({ event }) => (event.type === 'ESTOP' ? event.source : 'unknown') }),
    forgetStop: assign({ stoppedBy: null }),
    enterMode: assign({ mode: (_, mode: RobotMode) => mode }),
    forwardToReception: forwardTo('reception'),
  },
}).createMachine({
  id: 'robot',
  context: ({ input }) => ({ initialMode: input.initialMode ?? 'standby', mode: 'standby', stoppedBy: null }),
  initial: 'starting',
  on: {
    ESTOP: { target: '.stopped', actions: 'rememberStop' },
    SET_MODE: ROBOT_MODES.map((mode) => ({ guard: { type: 'switchesTo' as const, params: mode }, target: `.${mode}` })),
  },
  states: {
    /** Transient: enters the configured first mode. */
    starting: {
      always: [
        { guard: { type: 'startsIn', params: 'reception' }, target: 'reception' },
        { guard: { type: 'startsIn', params: 'guide' }, target: 'guide' },
        { target: 'standby' },
      ],
    },

    /** At its post, idle: no check-in, no motion. */
    standby: {
      entry: { type: 'enterMode', params: 'standby' },
    },

    /** Checks delegates in, greets them and escorts them on request. */
    reception: {
      entry: { type: 'enterMode', params: 'reception' },
      invoke: { id: 'reception', src: 'reception', input: { checkIn: true } },
      on: receptionEvents,
    },

    /** Information and escorts only (no check-in): after the opening, during breaks. */
    guide: {
      entry: { type: 'enterMode', params: 'guide' },
      invoke: { id: 'reception', src: 'reception', input: { checkIn: false } },
      on: receptionEvents,
    },

    /** Reserved for the opening show (its own statechart arrives with the show feature): reception is off, the robot holds. */
    performance: {
      entry: { type: 'enterMode', params: 'performance' },
    },

    docking: {
      entry: { type: 'enterMode', params: 'docking' },
      initial: 'drivingToDock',
      states: {
        drivingToDock: {
          invoke: {
            id: 'driveToDock',
            src: 'driveToDock',
            onDone: [{ guard: { type: 'docked', params: ({ event }) => event.output }, target: 'docked' }, { target: 'dockingFailed' }],
            onError: 'dockingFailed',
          },
        },
        docked: {},
        /** Staff must help: the mode stays visible as failed until they switch mode. */
        dockingFailed: {},
      },
    },

    /** Staff working on the robot: nothing moves, nothing is checked in. */
    maintenance: {
      entry: { type: 'enterMode', params: 'maintenance' },
    },

    /** Latched emergency stop. */
    stopped: {
      invoke: { src: 'holdStop' },
      on: {
        ESTOP: {},
        SET_MODE: {},
        ESTOP_RESET: { target: 'standby', actions: 'forgetStop' },
      },
    },
  },
});

export type RobotMachine = typeof robotMachine;
