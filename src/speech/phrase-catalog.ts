/**
 * Every message the robot speaks, with the placeholders its template may use.
 * voices/<lang>.yaml holds the templates; nested YAML groups (refusal, language)
 * become dotted keys (`refusal.forged`).
 */
export const PHRASE_PARAMS = {
  greeting: ['name'],
  seat: ['row', 'number'],
  offer_help: [],
  offer_directions: [],
  escort_start: ['row'],
  escort_start_place: ['place'],
  arrived: ['row', 'number'],
  arrived_place: ['place'],
  returning: [],
  already_checked_in: ['name', 'time', 'gate'],
  'refusal.forged': [],
  'refusal.other_event': [],
  'refusal.revoked': [],
  'refusal.unknown_delegate': [],
  'refusal.not_a_badge': [],
  'refusal.unreadable': [],
  nav_aborted: [],
  ask_badge: [],
  staff_called: [],
  'advice.step_closer': [],
  'advice.step_back': [],
  'advice.one_at_a_time': [],
  'advice.look_at_camera': [],
  'advice.hold_still': [],
  estop: [],
  idle: [],
  'language.vi': [],
  'language.en': [],
} as const satisfies Readonly<Record<string, readonly string[]>>;

export type PhraseKey = keyof typeof PHRASE_PARAMS;

export const PHRASE_KEYS = Object.keys(PHRASE_PARAMS) as readonly PhraseKey[];

/** The values a message's placeholders take. */
export type PhraseParams<K extends PhraseKey> = { readonly [P in (typeof PHRASE_PARAMS)[K][number]]: string | number };

/** render()'s parameter list: none for messages without placeholders, else all of them. */
export type PhraseArgs<K extends PhraseKey> = [keyof PhraseParams<K>] extends [never]
  ? [params?: Readonly<Record<string, never>>]
  : [params: PhraseParams<K>];

/** Why a badge was not accepted; each has a polite line sending the delegate to the staff desk. */
export type RefusalReason = 'forged' | 'other_event' | 'revoked' | 'unknown_delegate' | 'not_a_badge' | 'unreadable';

export function refusalKey(reason: RefusalReason): `refusal.${RefusalReason}` {
  return `refusal.${reason}`;
}

/** What the camera asks of a person whose face it cannot use; one short line each. */
export type Advice = 'step_closer' | 'step_back' | 'one_at_a_time' | 'look_at_camera' | 'hold_still';

export function adviceKey(advice: Advice): `advice.${Advice}` {
  return `advice.${advice}`;
}

export function isPhraseKey(key: string): key is PhraseKey {
  return Object.hasOwn(PHRASE_PARAMS, key);
}
