/**
 * Reception: what the robot does at its post, one person at a time.
 *
 *   waiting ─BADGE_READ / FACE_IDENTIFIED→ identifying ─→ greeting ──────────→ offeringHelp ─ESCORT_REQUESTED→ escorting ─→ returning ─→ waiting
 *    │                                     ▲  │  │ └→ tellingAlreadyIn ─┘     │  │ (timeout / HELP_DECLINED)   │ (nav aborted)
 *    │                                     │  │  └→ refusing ─→ waiting       │  └→ waiting                    └→ apologising ─→ returning
 *    │                                     │  └→ askingStaff (a valid badge,  └─FACE_IDENTIFIED (someone else)→ identifying
 *    │                                     │       held by another face)
 *    │                                     │ STAFF_CONFIRMED (manual) / BADGE_READ
 *    ├─FACE_UNSURE (a candidate)→ askingStaff: explaining ─→ waitingForStaff
 *    │                               └─STAFF_REJECTED / staffConfirmTimeout→ waiting
 *    ├─FACE_UNSURE (nobody close)→ askingForBadge ─→ waiting
 *    └─FACE_ADVICE→ advising ─→ waiting
 *        (askingForBadge and advising: BADGE_READ / FACE_IDENTIFIED → identifying at once)
 *
 * Identification never guesses: a valid badge, a confident face or a staff member's tap
 * checks someone in. A face in the grey zone, or a valid badge held by someone whose face is
 * clearly not its delegate's, checks nobody in: the robot asks the person to wait and staff
 * decide on the tablet (`staffQuestion` says what to confirm).
 *
 * Started away from its post (AWAY_FROM_POST, after an e-stop or a mode switch mid-escort),
 * it goes back first. In guide mode (`checkIn: false`) there is no check-in: badges, faces
 * and staff confirmations are ignored and the robot only answers ESCORT_REQUESTED (lift,
 * restrooms, exits).
 *
 * Pure: no I/O. The effects (identifying and checking in, speaking, driving) are the actors
 * declared below and provided by the controller (src/controller/) or by tests.
 */
import { assign, fromPromise, setup } from 'xstate';
import type { CheckInSource } from '../src/attendance/types.ts';
import type { NavOutcome } from '../src/robot/robot-port.ts';
import type {
  EscortTarget,
  FaceAdvice,
  IdentifyInput,
  IdentifyOutcome,
  NavigateInput,
  ReceptionDelegate,
  RefusalReason,
  SpeakInput,
  StaffQuestion,
} from './reception-types.ts';

export type * from './reception-types.ts';

export interface ReceptionInput {
  /** false in guide mode: no check-in, only escorts on request. */
  readonly checkIn: boolean;
}

export interface ReceptionContext {
  readonly checkIn: boolean;
  /**
   * The delegate being served (greeted, offered help, escorted). In askingStaff after a
   * badge–face mismatch: the badge's delegate, who is NOT checked in.
   */
  readonly delegate: ReceptionDelegate | null;
  /** What the current check-in rests on (badge, face, both, manual); null when nobody was checked in now. */
  readonly checkInSource: CheckInSource | null;
  /** When the delegate was already checked in: the first check-in's time and gate. */
  readonly earlier: { readonly atMs: number; readonly gate: string } | null;
  readonly refusal: RefusalReason | null;
  /** While asking staff: why, and whom to confirm (shown on the staff tablet). */
  readonly staffQuestion: StaffQuestion | null;
  /** While advising: what the camera needs from the person in front of it. */
  readonly advice: FaceAdvice | null;
  readonly escort: EscortTarget | null;
  /** Why the last escort ended early, for the apology and the staff page. */
  readonly navProblem: string | null;
  readonly returnAttempts: number;
}

export type ReceptionEvent =
  /** A badge's QR text was read by the camera (first sighting). */
  | { readonly type: 'BADGE_READ'; readonly text: string; readonly seenAtMs: number }
  /** The camera identified delegate `code` confidently, over several frames. */
  | { readonly type: 'FACE_IDENTIFIED'; readonly code: string; readonly score: number; readonly seenAtMs: number }
  /**
   * The camera sees a usable face it cannot identify confidently. `candidate`: the closest
   * delegate, in the grey zone (staff confirm); null: nobody close enough (ask for the badge).
   */
  | { readonly type: 'FACE_UNSURE'; readonly candidate: string | null; readonly score: number; readonly seenAtMs: number }
  /** The camera sees a face it cannot use (too far, too close, several people, turned away, moving). */
  | { readonly type: 'FACE_ADVICE'; readonly advice: FaceAdvice }
  /** A staff member confirmed on the tablet, with one tap, that the person is delegate `code`. */
  | { readonly type: 'STAFF_CONFIRMED'; readonly code: string; readonly operator: string }
  /** A staff member answered on the tablet that the person is not to be checked in here. */
  | { readonly type: 'STAFF_REJECTED'; readonly operator: string }
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

/**
 * What to identify, from the event that entered `identifying`. Only BADGE_READ,
 * FACE_IDENTIFIED and STAFF_CONFIRMED do; anything else would be an empty badge, refused.
 */
function identifyInputOf(event: ReceptionEvent): IdentifyInput {
  switch (event.type) {
    case 'BADGE_READ':
      return { by: 'badge', text: event.text, seenAtMs: event.seenAtMs };
    case 'FACE_IDENTIFIED':
      return { by: 'face', code: event.code, score: event.score, seenAtMs: event.seenAtMs };
    case 'STAFF_CONFIRMED':
      return { by: 'staff', code: event.code, operator: event.operator };
    default:
      return { by: 'badge', text: '', seenAtMs: 0 };
  }
}

const notProvided = (name: string) =>
  fromPromise<never, unknown>(() => Promise.reject(new Error(`reception actor '${name}' was not provided`)));

export const receptionMachine = setup({
  types: {
    context: {} as ReceptionContext,
    events: {} as ReceptionEvent,
    input: {} as ReceptionInput,
  },
  actors: {
    /**
     * Identifies the person by badge (fused with the face in view), by face or by a staff
     * confirmation, and checks them in (durably, before resolving). Never guesses.
     */
    identify: notProvided('identify') as unknown as ReturnType<typeof fromPromise<IdentifyOutcome, IdentifyInput>>,
    /** Speaks a phrase; resolves when the audio has finished. */
    speak: notProvided('speak') as unknown as ReturnType<typeof fromPromise<void, SpeakInput>>,
    /** Drives to a target; resolves with the Nav2-style outcome; cancels when stopped. */
    navigate: notProvided('navigate') as unknown as ReturnType<typeof fromPromise<NavOutcome, NavigateInput>>,
  },
  delays: {
    /** Longest wait for an identification (verification + durable write). */
    identifyTimeout: 3_000,
    /** How long the help offer stays open after it was spoken. */
    helpOfferTimeout: 15_000,
    /** Pause before a second attempt to drive back to the post. */
    returnRetryDelay: 5_000,
    /** How long staff have to answer on the tablet before the robot waits for the next person. */
    staffConfirmTimeout: 60_000,
  },
  guards: {
    isCheckInMode: ({ context }) => context.checkIn,
    /** In check-in mode, a grey-zone face with a delegate for staff to confirm. */
    hasCandidateToConfirm: ({ context }, candidate: string | null) => context.checkIn && candidate !== null,
    /** In check-in mode, a face of someone other than the delegate being served (the next in the queue). */
    isAnotherDelegate: ({ context }, code: string) => context.checkIn && code !== context.delegate?.code,
    wasCheckedIn: (_, outcome: IdentifyOutcome) => outcome.kind === 'checked-in',
    wasAlreadyIn: (_, outcome: IdentifyOutcome) => outcome.kind === 'already-checked-in',
    needsStaff: (_, outcome: IdentifyOutcome) => outcome.kind === 'needs-staff',
    arrived: (_, outcome: NavOutcome) => outcome.status === 'succeeded',
    mayRetryReturn: ({ context }) => context.returnAttempts < 2,
    /** A request made for the delegate being served (or for nobody in particular). */
    isForCurrentDelegate: ({ context }, forDelegate: string | undefined) => forDelegate === undefined || forDelegate === context.delegate?.code,
    /** A seat escort needs someone whose seat it is; places need nobody. A tap meant for someone else is ignored. */
    canEscortTo: ({ context }, request: { target: EscortTarget; forDelegate?: string | undefined }) =>
      (request.forDelegate === undefined || request.forDelegate === context.delegate?.code) && (request.target.kind !== 'seat' || context.delegate !== null),
  },
  actions: {
    forgetDelegate: assign({
      delegate: null,
      checkInSource: null,
      earlier: null,
      refusal: null,
      staffQuestion: null,
      advice: null,
      escort: null,
      navProblem: null,
    }),
    rememberOutcome: assign((_, outcome: IdentifyOutcome) => {
      switch (outcome.kind) {
        case 'checked-in':
          return { delegate: outcome.delegate, checkInSource: outcome.source, earlier: null, refusal: null, staffQuestion: null };
        case 'already-checked-in':
          return { delegate: outcome.delegate, checkInSource: null, earlier: { atMs: outcome.firstAtMs, gate: outcome.firstGate }, refusal: null, staffQuestion: null };
        case 'refused':
          return { delegate: null, checkInSource: null, earlier: null, refusal: outcome.reason, staffQuestion: null };
        case 'needs-staff':
          return {
            delegate: outcome.delegate,
            checkInSource: null,
            earlier: null,
            refusal: null,
            staffQuestion: { reason: outcome.reason, candidate: outcome.delegate.code },
          };
        default: {
          const unreachable: never = outcome;
          return unreachable;
        }
      }
    }),
    refuseUnreadable: assign({ delegate: null, checkInSource: null, refusal: 'unreadable' as RefusalReason, staffQuestion: null }),
    askStaffAbout: assign({ staffQuestion: (_, question: StaffQuestion) => question }),
    rememberAdvice: assign({ advice: (_, advice: FaceAdvice) => advice }),
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
    checkInSource: null,
    earlier: null,
    refusal: null,
    staffQuestion: null,
    advice: null,
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
        FACE_IDENTIFIED: { guard: 'isCheckInMode', target: 'identifying' },
        FACE_UNSURE: [
          {
            guard: { type: 'hasCandidateToConfirm', params: ({ event }) => event.candidate },
            target: 'askingStaff',
            actions: { type: 'askStaffAbout', params: ({ event }) => ({ reason: 'face-grey-zone' as const, candidate: event.candidate }) },
          },
          { guard: 'isCheckInMode', target: 'askingForBadge' },
        ],
        FACE_ADVICE: { guard: 'isCheckInMode', target: 'advising', actions: { type: 'rememberAdvice', params: ({ event }) => event.advice } },
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
        id: 'identify',
        src: 'identify',
        input: ({ event }) => identifyInputOf(event),
        onDone: [
          { guard: { type: 'wasCheckedIn', params: ({ event }) => event.output }, target: 'greeting', actions: { type: 'rememberOutcome', params: ({ event }) => event.output } },
          { guard: { type: 'wasAlreadyIn', params: ({ event }) => event.output }, target: 'tellingAlreadyCheckedIn', actions: { type: 'rememberOutcome', params: ({ event }) => event.output } },
          { guard: { type: 'needsStaff', params: ({ event }) => event.output }, target: 'askingStaff', actions: { type: 'rememberOutcome', params: ({ event }) => event.output } },
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

    /**
     * Staff decide who this is (a grey-zone face, or a badge whose holder's face is not its
     * delegate's). Nobody is checked in until they confirm; the person hears the same polite
     * words whatever the reason, and a badge shown meanwhile is read as usual.
     */
    askingStaff: {
      initial: 'explaining',
      states: {
        explaining: {
          invoke: {
            id: 'speak',
            src: 'speak',
            // No delegate: the person may not be the badge's delegate; the event's language is used.
            input: () => ({ phrase: 'staff_called' as const }),
            onDone: 'waitingForStaff',
            onError: 'waitingForStaff',
          },
        },
        waitingForStaff: {},
      },
      on: {
        STAFF_CONFIRMED: { guard: 'isCheckInMode', target: 'identifying' },
        STAFF_REJECTED: 'waiting',
        BADGE_READ: { guard: 'isCheckInMode', target: 'identifying' },
      },
      after: { staffConfirmTimeout: 'waiting' },
    },

    /** A face, but nobody close enough in the list: the badge decides. */
    askingForBadge: {
      invoke: {
        id: 'speak',
        src: 'speak',
        input: () => ({ phrase: 'ask_badge' as const }),
        onDone: 'waiting',
        onError: 'waiting',
      },
      on: {
        BADGE_READ: { guard: 'isCheckInMode', target: 'identifying' },
        FACE_IDENTIFIED: { guard: 'isCheckInMode', target: 'identifying' },
      },
    },

    /** The camera needs something of the person in front of it (closer, one at a time…). */
    advising: {
      invoke: {
        id: 'speak',
        src: 'speak',
        input: ({ context }) => ({ phrase: 'advice', advice: context.advice }),
        onDone: 'waiting',
        onError: 'waiting',
      },
      on: {
        BADGE_READ: { guard: 'isCheckInMode', target: 'identifying' },
        FACE_IDENTIFIED: { guard: 'isCheckInMode', target: 'identifying' },
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
        // The next delegate in the queue holds up a badge, or steps up to the camera: serve them.
        BADGE_READ: { guard: 'isCheckInMode', target: 'identifying' },
        // The face of the delegate being served is still in view: only someone else's counts.
        FACE_IDENTIFIED: { guard: { type: 'isAnotherDelegate', params: ({ event }) => event.code }, target: 'identifying' },
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
