/**
 * Reception: what the robot does at its post, one delegate at a time.
 *
 *   waiting ─BADGE_READ→ identifying ─→ greeting ──────────→ offeringHelp ─ESCORT_REQUESTED→ escorting ─→ returning ─→ waiting
 *                            │        └→ tellingAlreadyIn ─┘       │ (timeout / HELP_DECLINED)    │ (nav aborted)
 *                            └→ refusing ─→ waiting                 └→ waiting                    └→ apologising ─→ returning
 *
 * Started away from its post (AWAY_FROM_POST, after an e-stop or a mode switch mid-escort),
 * it goes back first. In guide mode (`checkIn: false`) there is no check-in: badges are
 * ignored and the robot only answers ESCORT_REQUESTED (lift, restrooms, exits).
 *
 * Pure: no I/O. The effects (checking a badge in, speaking, driving) are the actors
 * declared below and provided by the controller (src/controller/) or by tests.
 */
import { assign, fromPromise, setup } from 'xstate';
import type { NavOutcome } from '../src/robot/robot-port.ts';
import type {
  EscortTarget,
  IdentifyInput,
  IdentifyOutcome,
  NavigateInput,
  ReceptionDelegate,
  RefusalReason,
  SpeakInput,
} from './reception-types.ts';

export type * from './reception-types.ts';

export interface ReceptionInput {
  /** false in guide mode: no badge check-in, only escorts on request. */
  readonly checkIn: boolean;
}

export interface ReceptionContext {
  readonly checkIn: boolean;
  /** The delegate being served (greeted, offered help, escorted). */
  readonly delegate: ReceptionDelegate | null;
  /** When the delegate was already checked in: the first check-in's time and gate. */
  readonly earlier: { readonly atMs: number; readonly gate: string } | null;
  readonly refusal: RefusalReason | null;
  readonly escort: EscortTarget | null;
  /** Why the last escort ended early, for the apology and the staff page. */
  readonly navProblem: string | null;
  readonly returnAttempts: number;
}

export type ReceptionEvent =
  /** A badge's QR text was read by the camera (first sighting). */
  | { readonly type: 'BADGE_READ'; readonly text: string; readonly seenAtMs: number }
  /**
   * The delegate asked (voice or touch) to be taken somewhere. `forDelegate`: the code of the
   * delegate the kiosk was showing when it was tapped; a late tap meant for someone else is ignored.
   */
  | { readonly type: 'ESCORT_REQUESTED'; readonly target: EscortTarget; readonly forDelegate?: string }
  /** The delegate said no thanks / touched "done" (`forDelegate` as above). */
  | { readonly type: 'HELP_DECLINED'; readonly forDelegate?: string }
  /** The reception started while the robot was away from its post (after an e-stop or a mode switch mid-escort). */
  | { readonly type: 'AWAY_FROM_POST' }
  /** Staff brought the stranded robot back by hand and confirmed it is at its post. */
  | { readonly type: 'RETURNED_BY_STAFF' };

const notProvided = (name: string) =>
  fromPromise<never, unknown>(() => Promise.reject(new Error(`reception actor '${name}' was not provided`)));

export const receptionMachine = setup({
  types: {
    context: {} as ReceptionContext,
    events: {} as ReceptionEvent,
    input: {} as ReceptionInput,
  },
  actors: {
    /** Verifies the badge and checks the delegate in (durably, before resolving). */
    identifyBadge: notProvided('identifyBadge') as unknown as ReturnType<typeof fromPromise<IdentifyOutcome, IdentifyInput>>,
    /** Speaks a phrase; resolves when the audio has finished. */
    speak: notProvided('speak') as unknown as ReturnType<typeof fromPromise<void, SpeakInput>>,
    /** Drives to a target; resolves with the Nav2-style outcome; cancels when stopped. */
    navigate: notProvided('navigate') as unknown as ReturnType<typeof fromPromise<NavOutcome, NavigateInput>>,
  },
  delays: {
    /** Longest wait for a badge check (verification + durable write). */
    identifyTimeout: 3_000,
    /** How long the help offer stays open after it was spoken. */
    helpOfferTimeout: 15_000,
    /** Pause before a second attempt to drive back to the post. */
    returnRetryDelay: 5_000,
  },
  guards: {
    isCheckInMode: ({ context }) => context.checkIn,
    wasCheckedIn: (_, outcome: IdentifyOutcome) => outcome.kind === 'checked-in',
    wasAlreadyIn: (_, outcome: IdentifyOutcome) => outcome.kind === 'already-checked-in',
    arrived: (_, outcome: NavOutcome) => outcome.status === 'succeeded',
    mayRetryReturn: ({ context }) => context.returnAttempts < 2,
    /** A request made for the delegate being served (or for nobody in particular). */
    isForCurrentDelegate: ({ context }, forDelegate: string | undefined) => forDelegate === undefined || forDelegate === context.delegate?.code,
    /** A seat escort needs someone whose seat it is; places need nobody. A tap meant for someone else is ignored. */
    canEscortTo: ({ context }, request: { target: EscortTarget; forDelegate?: string | undefined }) =>
      (request.forDelegate === undefined || request.forDelegate === context.delegate?.code) && (request.target.kind !== 'seat' || context.delegate !== null),
  },
  actions: {
    forgetDelegate: assign({ delegate: null, earlier: null, refusal: null, escort: null, navProblem: null }),
    rememberOutcome: assign((_, outcome: IdentifyOutcome) => {
      switch (outcome.kind) {
        case 'checked-in':
          return { delegate: outcome.delegate, earlier: null, refusal: null };
        case 'already-checked-in':
          return { delegate: outcome.delegate, earlier: { atMs: outcome.firstAtMs, gate: outcome.firstGate }, refusal: null };
        case 'refused':
          return { delegate: null, earlier: null, refusal: outcome.reason };
        default: {
          const unreachable: never = outcome;
          return unreachable;
        }
      }
    }),
    refuseUnreadable: assign({ delegate: null, refusal: 'unreadable' as RefusalReason }),
    rememberEscort: assign({ escort: (_, target: EscortTarget) => target, navProblem: null }),
    rememberNavProblem: assign({
      navProblem: (_, outcome: NavOutcome) => (outcome.status === 'aborted' ? outcome.reason : outcome.status),
    }),
    countReturnAttempt: assign({ returnAttempts: ({ context }) => context.returnAttempts + 1 }),
    resetReturnAttempts: assign({ returnAttempts: 0 }),
  },
}).createMachine({
  id: 'reception',
  context: ({ input }) => ({
    checkIn: input.checkIn,
    delegate: null,
    earlier: null,
    refusal: null,
    escort: null,
    navProblem: null,
    returnAttempts: 0,
  }),
  initial: 'waiting',
  states: {
    waiting: {
      entry: 'forgetDelegate',
      on: {
        BADGE_READ: { guard: 'isCheckInMode', target: 'identifying' },
        ESCORT_REQUESTED: {
          guard: { type: 'canEscortTo', params: ({ event }) => event },
          target: 'escorting',
          actions: { type: 'rememberEscort', params: ({ event }) => event.target },
        },
        AWAY_FROM_POST: 'returning',
      },
    },

    identifying: {
      invoke: {
        id: 'identifyBadge',
        src: 'identifyBadge',
        input: ({ event }) => ({ text: event.type === 'BADGE_READ' ? event.text : '', seenAtMs: event.type === 'BADGE_READ' ? event.seenAtMs : 0 }),
        onDone: [
          { guard: { type: 'wasCheckedIn', params: ({ event }) => event.output }, target: 'greeting', actions: { type: 'rememberOutcome', params: ({ event }) => event.output } },
          { guard: { type: 'wasAlreadyIn', params: ({ event }) => event.output }, target: 'tellingAlreadyCheckedIn', actions: { type: 'rememberOutcome', params: ({ event }) => event.output } },
          { target: 'refusing', actions: { type: 'rememberOutcome', params: ({ event }) => event.output } },
        ],
        onError: { target: 'refusing', actions: 'refuseUnreadable' },
      },
      after: { identifyTimeout: { target: 'refusing', actions: 'refuseUnreadable' } },
    },

    greeting: {
      invoke: {
        id: 'speak',
        src: 'speak',
        input: ({ context }) => ({ phrase: 'greeting', delegate: context.delegate }),
        onDone: 'offeringHelp',
        onError: 'offeringHelp',
      },
    },

    tellingAlreadyCheckedIn: {
      invoke: {
        id: 'speak',
        src: 'speak',
        input: ({ context }) => ({ phrase: 'already_checked_in', delegate: context.delegate, earlier: context.earlier }),
        onDone: 'offeringHelp',
        onError: 'offeringHelp',
      },
    },

    refusing: {
      invoke: {
        id: 'speak',
        src: 'speak',
        input: ({ context }) => ({ phrase: 'refusal', refusal: context.refusal }),
        onDone: 'waiting',
        onError: 'waiting',
      },
    },

    offeringHelp: {
      initial: 'asking',
      states: {
        asking: {
          invoke: {
            id: 'speak',
            src: 'speak',
            input: ({ context }) => ({ phrase: 'offer_help', delegate: context.delegate }),
            onDone: 'listening',
            onError: 'listening',
          },
        },
        listening: {
          after: { helpOfferTimeout: '#reception.waiting' },
        },
      },
      on: {
        ESCORT_REQUESTED: {
          guard: { type: 'canEscortTo', params: ({ event }) => event },
          target: 'escorting',
          actions: { type: 'rememberEscort', params: ({ event }) => event.target },
        },
        HELP_DECLINED: { guard: { type: 'isForCurrentDelegate', params: ({ event }) => event.forDelegate }, target: 'waiting' },
        // The next delegate in the queue holds up a badge: serve them.
        BADGE_READ: { guard: 'isCheckInMode', target: 'identifying' },
      },
    },

    escorting: {
      initial: 'announcing',
      states: {
        announcing: {
          invoke: {
            id: 'speak',
            src: 'speak',
            input: ({ context }) => ({ phrase: 'escort_start', delegate: context.delegate, escort: context.escort }),
            onDone: 'leading',
            onError: 'leading',
          },
        },
        leading: {
          invoke: {
            id: 'navigate',
            src: 'navigate',
            input: ({ context }) => ({ target: context.escort ?? { kind: 'post' }, delegate: context.delegate }),
            onDone: [
              { guard: { type: 'arrived', params: ({ event }) => event.output }, target: 'arrived' },
              { target: '#reception.apologising', actions: { type: 'rememberNavProblem', params: ({ event }) => event.output } },
            ],
            onError: { target: '#reception.apologising' },
          },
        },
        arrived: {
          invoke: {
            id: 'speak',
            src: 'speak',
            input: ({ context }) => ({ phrase: 'arrived', delegate: context.delegate, escort: context.escort }),
            onDone: '#reception.returning',
            onError: '#reception.returning',
          },
        },
      },
    },

    apologising: {
      invoke: {
        id: 'speak',
        src: 'speak',
        input: ({ context }) => ({ phrase: 'nav_aborted', delegate: context.delegate, escort: context.escort }),
        onDone: 'returning',
        onError: 'returning',
      },
    },

    returning: {
      entry: 'countReturnAttempt',
      invoke: {
        id: 'navigate',
        src: 'navigate',
        input: () => ({ target: { kind: 'post' as const } }),
        onDone: [
          { guard: { type: 'arrived', params: ({ event }) => event.output }, target: 'waiting', actions: 'resetReturnAttempts' },
          { target: 'waitingToRetryReturn', actions: { type: 'rememberNavProblem', params: ({ event }) => event.output } },
        ],
        onError: 'waitingToRetryReturn',
      },
    },

    waitingToRetryReturn: {
      after: { returnRetryDelay: [{ guard: 'mayRetryReturn', target: 'returning' }, { target: 'stranded' }] },
    },

    /** Could not get back to the post: stays put until staff bring it back. */
    stranded: {
      on: { RETURNED_BY_STAFF: { target: 'waiting', actions: 'resetReturnAttempts' } },
    },
  },
});

export type ReceptionMachine = typeof receptionMachine;
