import { describe, expect, it } from 'vitest';
import { SimulatedClock, createActor } from 'xstate';
import { receptionMachine, type ReceptionDelegate } from './reception.ts';
import { receptionStubs, settle } from './test-actors.ts';

const thuy: ReceptionDelegate = {
  code: 'D-0001',
  fullName: 'Võ Thị Ngọc Thủy',
  title: 'Bí thư Đảng ủy phường',
  delegation: 'Đoàn đại biểu Khối Dân chính Đảng',
  seat: 'C-14',
  language: 'vi',
  needs: [],
  row: 'C',
  seatNumber: 14,
};

function start(checkIn = true) {
  const stubs = receptionStubs();
  const clock = new SimulatedClock();
  const actor = createActor(receptionMachine.provide({ actors: stubs.actors }), { input: { checkIn }, clock });
  actor.start();
  return { actor, clock, ...stubs };
}

describe('reception statechart (with stub effect actors)', () => {
  it('checks a badge in, greets, escorts to the seat on request and returns to its post', async () => {
    const { actor, identify, speak, navigate } = start();
    expect(actor.getSnapshot().value).toBe('waiting');

    actor.send({ type: 'BADGE_READ', text: 'L1.DEMO.D-0001.X', seenAtMs: 5 });
    expect(actor.getSnapshot().value).toBe('identifying');
    expect(identify.last().input).toEqual({ by: 'badge', text: 'L1.DEMO.D-0001.X', seenAtMs: 5 });

    identify.last().resolve({ kind: 'checked-in', delegate: thuy, checkInId: 'c1', source: 'badge' });
    await settle();
    expect(actor.getSnapshot().value).toBe('greeting');
    expect(speak.last().input).toMatchObject({ phrase: 'greeting', delegate: thuy });

    speak.last().resolve();
    await settle();
    expect(actor.getSnapshot().value).toEqual({ offeringHelp: 'asking' });
    speak.last().resolve();
    await settle();
    expect(actor.getSnapshot().value).toEqual({ offeringHelp: 'listening' });

    actor.send({ type: 'ESCORT_REQUESTED', target: { kind: 'seat' } });
    expect(actor.getSnapshot().value).toEqual({ escorting: 'announcing' });
    expect(speak.last().input).toMatchObject({ phrase: 'escort_start', escort: { kind: 'seat' } });
    speak.last().resolve();
    await settle();
    expect(actor.getSnapshot().value).toEqual({ escorting: 'leading' });
    expect(navigate.last().input).toEqual({ target: { kind: 'seat' }, delegate: thuy });

    navigate.last().resolve({ status: 'succeeded' });
    await settle();
    expect(actor.getSnapshot().value).toEqual({ escorting: 'arrived' });
    speak.last().resolve();
    await settle();
    expect(actor.getSnapshot().value).toBe('returning');
    expect(navigate.last().input.target).toEqual({ kind: 'post' });

    navigate.last().resolve({ status: 'succeeded' });
    await settle();
    expect(actor.getSnapshot().value).toBe('waiting');
    expect(actor.getSnapshot().context.delegate).toBeNull();
  });

  it('refuses a forged badge politely and goes back to waiting', async () => {
    const { actor, identify, speak } = start();
    actor.send({ type: 'BADGE_READ', text: 'L1.DEMO.D-0001.FORGED', seenAtMs: 0 });
    identify.last().resolve({ kind: 'refused', reason: 'forged' });
    await settle();
    expect(actor.getSnapshot().value).toBe('refusing');
    expect(speak.last().input).toMatchObject({ phrase: 'refusal', refusal: 'forged' });
    speak.last().resolve();
    await settle();
    expect(actor.getSnapshot().value).toBe('waiting');
  });

  it('tells an already checked-in delegate when and where, then still offers help', async () => {
    const { actor, identify, speak } = start();
    actor.send({ type: 'BADGE_READ', text: 't', seenAtMs: 0 });
    identify.last().resolve({ kind: 'already-checked-in', delegate: thuy, firstAtMs: 1_700_000_000_000, firstGate: 'A' });
    await settle();
    expect(actor.getSnapshot().value).toBe('tellingAlreadyCheckedIn');
    expect(speak.last().input).toMatchObject({ phrase: 'already_checked_in', earlier: { atMs: 1_700_000_000_000, gate: 'A' } });
    speak.last().resolve();
    await settle();
    expect(actor.getSnapshot().value).toEqual({ offeringHelp: 'asking' });
  });

  it('treats a failed or slow check-in as unreadable (never greets without a stored check-in)', async () => {
    const failing = start();
    failing.actor.send({ type: 'BADGE_READ', text: 't', seenAtMs: 0 });
    failing.identify.last().reject(new Error('disk full'));
    await settle();
    expect(failing.actor.getSnapshot().value).toBe('refusing');
    expect(failing.actor.getSnapshot().context.refusal).toBe('unreadable');

    const slow = start();
    slow.actor.send({ type: 'BADGE_READ', text: 't', seenAtMs: 0 });
    slow.clock.increment(3_000);
    expect(slow.actor.getSnapshot().value).toBe('refusing');
    expect(slow.identify.last().signal.aborted).toBe(true);
  });

  it('apologises when navigation aborts, then returns to its post', async () => {
    const { actor, identify, speak, navigate } = start();
    actor.send({ type: 'BADGE_READ', text: 't', seenAtMs: 0 });
    identify.last().resolve({ kind: 'checked-in', delegate: thuy, checkInId: 'c1', source: 'badge' });
    await settle();
    speak.last().resolve();
    await settle();
    actor.send({ type: 'ESCORT_REQUESTED', target: { kind: 'poi', poi: 'lift' } });
    speak.last().resolve();
    await settle();
    navigate.last().resolve({ status: 'aborted', code: 'blocked', reason: 'aisle blocked at (12.0, 4.5)' });
    await settle();
    expect(actor.getSnapshot().value).toBe('apologising');
    expect(actor.getSnapshot().context.navProblem).toBe('aisle blocked at (12.0, 4.5)');
    speak.last().resolve();
    await settle();
    expect(actor.getSnapshot().value).toBe('returning');
  });

  it('keeps escorting once started (a late "no thanks" is ignored)', () => {
    const { actor } = start();
    actor.send({ type: 'ESCORT_REQUESTED', target: { kind: 'poi', poi: 'restroom' } });
    actor.send({ type: 'HELP_DECLINED' }); // ignored while escorting
    expect(actor.getSnapshot().value).toEqual({ escorting: 'announcing' });
  });

  it('retries the way back once, then waits stranded until staff bring it back', async () => {
    const { actor, speak, navigate, clock } = start(false);
    actor.send({ type: 'ESCORT_REQUESTED', target: { kind: 'poi', poi: 'exit' } });
    speak.last().resolve();
    await settle();
    navigate.last().resolve({ status: 'succeeded' });
    await settle();
    speak.last().resolve();
    await settle();
    expect(actor.getSnapshot().value).toBe('returning');
    navigate.last().resolve({ status: 'aborted', code: 'unreachable', reason: 'no path' });
    await settle();
    expect(actor.getSnapshot().value).toBe('waitingToRetryReturn');
    clock.increment(5_000);
    expect(actor.getSnapshot().value).toBe('returning');
    navigate.last().resolve({ status: 'aborted', code: 'unreachable', reason: 'no path' });
    await settle();
    clock.increment(5_000);
    expect(actor.getSnapshot().value).toBe('stranded');
    actor.send({ type: 'RETURNED_BY_STAFF' });
    expect(actor.getSnapshot().value).toBe('waiting');
    expect(actor.getSnapshot().context.returnAttempts).toBe(0);
  });

  it('in guide mode ignores badges but escorts on request', () => {
    const { actor } = start(false);
    actor.send({ type: 'BADGE_READ', text: 't', seenAtMs: 0 });
    expect(actor.getSnapshot().value).toBe('waiting');
    actor.send({ type: 'ESCORT_REQUESTED', target: { kind: 'poi', poi: 'lift' } });
    expect(actor.getSnapshot().value).toEqual({ escorting: 'announcing' });
  });

  it('closes the help offer after its timeout, and serves the next badge straight away', async () => {
    const { actor, identify, speak, clock } = start();
    actor.send({ type: 'BADGE_READ', text: 'a', seenAtMs: 0 });
    identify.last().resolve({ kind: 'checked-in', delegate: thuy, checkInId: 'c1', source: 'badge' });
    await settle();
    speak.last().resolve();
    await settle();
    speak.last().resolve();
    await settle();
    clock.increment(15_000);
    expect(actor.getSnapshot().value).toBe('waiting');

    actor.send({ type: 'BADGE_READ', text: 'b', seenAtMs: 0 });
    identify.last().resolve({ kind: 'checked-in', delegate: thuy, checkInId: 'c2', source: 'badge' });
    await settle();
    speak.last().resolve();
    await settle();
    actor.send({ type: 'BADGE_READ', text: 'c', seenAtMs: 0 });
    expect(actor.getSnapshot().value).toBe('identifying');
    expect(identify.last().input).toEqual({ by: 'badge', text: 'c', seenAtMs: 0 });
  });

  it('ignores a late tap meant for the previous delegate', async () => {
    const { actor, identify, speak } = start();
    actor.send({ type: 'BADGE_READ', text: 'b', seenAtMs: 0 });
    identify.last().resolve({ kind: 'checked-in', delegate: thuy, checkInId: 'c1', source: 'badge' });
    await settle();
    speak.last().resolve(); // greeting
    await settle();
    speak.last().resolve(); // help offer
    await settle();
    actor.send({ type: 'ESCORT_REQUESTED', target: { kind: 'seat' }, forDelegate: 'D-0999' });
    actor.send({ type: 'HELP_DECLINED', forDelegate: 'D-0999' });
    expect(actor.getSnapshot().value).toEqual({ offeringHelp: 'listening' });
    actor.send({ type: 'ESCORT_REQUESTED', target: { kind: 'seat' }, forDelegate: thuy.code });
    expect(actor.getSnapshot().value).toEqual({ escorting: 'announcing' });
  });

  it('goes back to its post first when it starts away from it', () => {
    const { actor, navigate } = start();
    actor.send({ type: 'AWAY_FROM_POST' });
    expect(actor.getSnapshot().value).toBe('returning');
    expect(navigate.last().input.target).toEqual({ kind: 'post' });
  });
});

describe('reception statechart: faces, and staff confirming on the tablet', () => {
  const an: ReceptionDelegate = { ...thuy, code: 'D-0002', fullName: 'Nguyễn Văn An', seat: 'A-1', row: 'A', seatNumber: 1 };

  it('checks a confidently identified face in and greets them, remembering the check-in rests on the face', async () => {
    const { actor, identify, speak } = start();
    actor.send({ type: 'FACE_IDENTIFIED', code: thuy.code, score: 0.91, seenAtMs: 7 });
    expect(actor.getSnapshot().value).toBe('identifying');
    expect(identify.last().input).toEqual({ by: 'face', code: thuy.code, score: 0.91, seenAtMs: 7 });
    identify.last().resolve({ kind: 'checked-in', delegate: thuy, checkInId: 'c1', source: 'face' });
    await settle();
    expect(actor.getSnapshot().value).toBe('greeting');
    expect(actor.getSnapshot().context.checkInSource).toBe('face');
    expect(speak.last().input).toMatchObject({ phrase: 'greeting', delegate: thuy });
  });

  it('greets a badge confirmed by the face in view as checked in by both', async () => {
    const { actor, identify } = start();
    actor.send({ type: 'BADGE_READ', text: 'L1.DEMO.D-0001.X', seenAtMs: 0 });
    identify.last().resolve({ kind: 'checked-in', delegate: thuy, checkInId: 'c1', source: 'both' });
    await settle();
    expect(actor.getSnapshot().value).toBe('greeting');
    expect(actor.getSnapshot().context.checkInSource).toBe('both');
  });

  it('asks staff when a valid badge is held by someone else: polite words, the badge delegate kept for the tablet, then a manual check-in', async () => {
    const { actor, identify, speak } = start();
    actor.send({ type: 'BADGE_READ', text: 'L1.DEMO.D-0001.X', seenAtMs: 0 });
    identify.last().resolve({ kind: 'needs-staff', reason: 'badge-face-mismatch', delegate: thuy });
    await settle();
    expect(actor.getSnapshot().value).toEqual({ askingStaff: 'explaining' });
    expect(actor.getSnapshot().context).toMatchObject({ delegate: thuy, checkInSource: null, staffQuestion: { reason: 'badge-face-mismatch', candidate: thuy.code } });
    // Not addressed by the badge's name: the person may not be that delegate.
    expect(speak.last().input).toEqual({ phrase: 'staff_called' });
    speak.last().resolve();
    await settle();
    expect(actor.getSnapshot().value).toEqual({ askingStaff: 'waitingForStaff' });

    // Faces do not override the question put to staff.
    actor.send({ type: 'FACE_IDENTIFIED', code: an.code, score: 0.95, seenAtMs: 1 });
    actor.send({ type: 'FACE_UNSURE', candidate: null, score: 0.2, seenAtMs: 1 });
    actor.send({ type: 'FACE_ADVICE', advice: 'hold-still' });
    expect(actor.getSnapshot().value).toEqual({ askingStaff: 'waitingForStaff' });

    actor.send({ type: 'STAFF_CONFIRMED', code: thuy.code, operator: 'Lan' });
    expect(actor.getSnapshot().value).toBe('identifying');
    expect(identify.last().input).toEqual({ by: 'staff', code: thuy.code, operator: 'Lan' });
    identify.last().resolve({ kind: 'checked-in', delegate: thuy, checkInId: 'c2', source: 'manual' });
    await settle();
    expect(actor.getSnapshot().value).toBe('greeting');
    expect(actor.getSnapshot().context).toMatchObject({ checkInSource: 'manual', staffQuestion: null });
  });

  it('goes back to waiting, checking nobody in, when staff reject or do not answer within staffConfirmTimeout', async () => {
    const rejected = start();
    rejected.actor.send({ type: 'FACE_UNSURE', candidate: an.code, score: 0.6, seenAtMs: 0 });
    rejected.speak.last().resolve();
    await settle();
    rejected.actor.send({ type: 'STAFF_REJECTED', operator: 'Lan' });
    expect(rejected.actor.getSnapshot().value).toBe('waiting');
    expect(rejected.actor.getSnapshot().context.staffQuestion).toBeNull();
    expect(rejected.identify.calls).toHaveLength(0);

    const unanswered = start();
    unanswered.actor.send({ type: 'FACE_UNSURE', candidate: an.code, score: 0.6, seenAtMs: 0 });
    unanswered.clock.increment(59_999);
    expect(unanswered.actor.getSnapshot().value).toEqual({ askingStaff: 'explaining' });
    unanswered.clock.increment(1);
    expect(unanswered.actor.getSnapshot().value).toBe('waiting');
    expect(unanswered.speak.last().signal.aborted).toBe(true);
    expect(unanswered.identify.calls).toHaveLength(0);
  });

  it('asks staff to confirm the candidate of a grey-zone face, and still reads a badge shown meanwhile', async () => {
    const { actor, identify, speak } = start();
    actor.send({ type: 'FACE_UNSURE', candidate: an.code, score: 0.58, seenAtMs: 3 });
    expect(actor.getSnapshot().value).toEqual({ askingStaff: 'explaining' });
    expect(actor.getSnapshot().context.staffQuestion).toEqual({ reason: 'face-grey-zone', candidate: an.code });
    expect(actor.getSnapshot().context.delegate).toBeNull();
    expect(speak.last().input).toEqual({ phrase: 'staff_called' });

    actor.send({ type: 'BADGE_READ', text: 'L1.DEMO.D-0002.X', seenAtMs: 4 });
    expect(actor.getSnapshot().value).toBe('identifying');
    expect(speak.last().signal.aborted).toBe(true);
    expect(identify.last().input).toEqual({ by: 'badge', text: 'L1.DEMO.D-0002.X', seenAtMs: 4 });
    identify.last().resolve({ kind: 'checked-in', delegate: an, checkInId: 'c1', source: 'badge' });
    await settle();
    expect(actor.getSnapshot().value).toBe('greeting');
    expect(actor.getSnapshot().context.staffQuestion).toBeNull();
  });

  it('asks for the badge when nobody is close to the face, then waits again; a badge or a face interrupts the request', async () => {
    const { actor, identify, speak } = start();
    actor.send({ type: 'FACE_UNSURE', candidate: null, score: 0.1, seenAtMs: 0 });
    expect(actor.getSnapshot().value).toBe('askingForBadge');
    expect(speak.last().input).toEqual({ phrase: 'ask_badge' });
    speak.last().resolve();
    await settle();
    expect(actor.getSnapshot().value).toBe('waiting');

    actor.send({ type: 'FACE_UNSURE', candidate: null, score: 0.1, seenAtMs: 0 });
    actor.send({ type: 'FACE_IDENTIFIED', code: an.code, score: 0.9, seenAtMs: 1 });
    expect(actor.getSnapshot().value).toBe('identifying');
    expect(speak.last().signal.aborted).toBe(true);
    expect(identify.last().input).toMatchObject({ by: 'face', code: an.code });
  });

  it('advises the person in front of the camera, then waits again; a badge interrupts the advice', async () => {
    const { actor, speak, identify } = start();
    actor.send({ type: 'FACE_ADVICE', advice: 'step-closer' });
    expect(actor.getSnapshot().value).toBe('advising');
    expect(speak.last().input).toEqual({ phrase: 'advice', advice: 'step-closer' });
    speak.last().resolve();
    await settle();
    expect(actor.getSnapshot().value).toBe('waiting');
    expect(actor.getSnapshot().context.advice).toBeNull();

    actor.send({ type: 'FACE_ADVICE', advice: 'one-at-a-time' });
    expect(speak.last().input).toEqual({ phrase: 'advice', advice: 'one-at-a-time' });
    actor.send({ type: 'BADGE_READ', text: 'b', seenAtMs: 0 });
    expect(actor.getSnapshot().value).toBe('identifying');
    expect(speak.last().signal.aborted).toBe(true);
    expect(identify.calls).toHaveLength(1);
  });

  it('while offering help, ignores the face of the delegate being served and serves the next person whose face is identified', async () => {
    const { actor, identify, speak } = start();
    actor.send({ type: 'BADGE_READ', text: 'a', seenAtMs: 0 });
    identify.last().resolve({ kind: 'checked-in', delegate: thuy, checkInId: 'c1', source: 'badge' });
    await settle();
    speak.last().resolve(); // greeting
    await settle();
    expect(actor.getSnapshot().value).toEqual({ offeringHelp: 'asking' });

    actor.send({ type: 'FACE_IDENTIFIED', code: thuy.code, score: 0.97, seenAtMs: 1 });
    expect(actor.getSnapshot().value).toEqual({ offeringHelp: 'asking' });
    expect(identify.calls).toHaveLength(1);

    actor.send({ type: 'FACE_IDENTIFIED', code: an.code, score: 0.93, seenAtMs: 2 });
    expect(actor.getSnapshot().value).toBe('identifying');
    expect(identify.last().input).toEqual({ by: 'face', code: an.code, score: 0.93, seenAtMs: 2 });
  });

  it('in guide mode ignores faces and staff answers', () => {
    const { actor, identify, speak } = start(false);
    actor.send({ type: 'FACE_IDENTIFIED', code: thuy.code, score: 0.99, seenAtMs: 0 });
    actor.send({ type: 'FACE_UNSURE', candidate: thuy.code, score: 0.6, seenAtMs: 0 });
    actor.send({ type: 'FACE_UNSURE', candidate: null, score: 0.1, seenAtMs: 0 });
    actor.send({ type: 'FACE_ADVICE', advice: 'look-at-camera' });
    actor.send({ type: 'STAFF_CONFIRMED', code: thuy.code, operator: 'Lan' });
    actor.send({ type: 'STAFF_REJECTED', operator: 'Lan' });
    expect(actor.getSnapshot().value).toBe('waiting');
    expect(identify.calls).toHaveLength(0);
    expect(speak.calls).toHaveLength(0);
  });
});
