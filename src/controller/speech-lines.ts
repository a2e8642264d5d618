/**
 * What the robot says for each SpeakInput of the reception statechart: the phrase
 * templates of voices/<lang>.yaml filled with the delegate's name, row and seat,
 * in the delegate's language (the event's language when nobody is being served, and for
 * the lines spoken before anyone is identified: asking for the badge, calling staff, camera advice).
 */
import type { Advice as PhraseAdvice, Phrases, RefusalReason as PhraseRefusal } from '../speech/phrases.ts';
import type { Lang } from '../speech/speaker.ts';
import type { Venue } from '../venue/types.ts';
import type { EscortTarget, FaceAdvice, RefusalReason, SpeakInput } from '../../statecharts/reception-types.ts';

export interface SpeechLine {
  readonly text: string;
  readonly lang: Lang;
}

/** Each refusal reason of the statechart → its phrase (unsupported versions read as "not a badge"). */
const REFUSAL_PHRASE: Record<RefusalReason, PhraseRefusal> = {
  forged: 'forged',
  'other-event': 'other_event',
  revoked: 'revoked',
  'unknown-delegate': 'unknown_delegate',
  'not-a-badge': 'not_a_badge',
  'unsupported-version': 'not_a_badge',
  unreadable: 'unreadable',
};

/** Each piece of camera advice of the statechart → its phrase. */
const ADVICE_PHRASE: Record<FaceAdvice, PhraseAdvice> = {
  'step-closer': 'step_closer',
  'step-back': 'step_back',
  'one-at-a-time': 'one_at_a_time',
  'look-at-camera': 'look_at_camera',
  'hold-still': 'hold_still',
};

/** Time of day as spoken and shown at the venue ("08:12"), in the venue's IANA `timeZone` (not the host's). */
export function clockTime(atMs: number, timeZone: string): string {
  return new Intl.DateTimeFormat('vi-VN', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone }).format(new Date(atMs));
}

function placeName(venue: Venue, target: EscortTarget | null | undefined, lang: Lang): string {
  if (!target || target.kind === 'seat') return '';
  const poi = venue.poi(target.kind === 'post' ? 'reception-post' : target.poi);
  return poi ? poi.name[lang] : target.kind === 'post' ? 'reception' : target.poi;
}

/** The line for `input`; times of day are told in `timeZone`, the venue's (EventConfig.timeZone). */
export function speechLine(
  input: SpeakInput,
  phrases: Readonly<Record<Lang, Phrases>>,
  defaultLang: Lang,
  venue: Venue,
  timeZone = 'Asia/Ho_Chi_Minh',
): SpeechLine {
  const d = input.delegate ?? null;
  const lang: Lang = d?.language ?? defaultLang;
  const p = phrases[lang];
  const toSeat = !input.escort || input.escort.kind === 'seat';
  const text = ((): string => {
    switch (input.phrase) {
      case 'greeting':
        return d
          ? `${p.render('greeting', { name: d.fullName })} ${p.render('seat', { row: d.row, number: d.seatNumber })}`
          : p.render('idle');
      case 'already_checked_in':
        return d && input.earlier
          ? p.render('already_checked_in', { name: d.fullName, time: clockTime(input.earlier.atMs, timeZone), gate: input.earlier.gate })
          : p.render('idle');
      case 'refusal':
        return p.render(`refusal.${REFUSAL_PHRASE[input.refusal ?? 'unreadable']}`);
      case 'offer_help':
        return d ? p.render('offer_help') : p.render('offer_directions');
      case 'escort_start':
        return toSeat && d ? p.render('escort_start', { row: d.row }) : p.render('escort_start_place', { place: placeName(venue, input.escort, lang) });
      case 'arrived':
        return toSeat && d ? p.render('arrived', { row: d.row, number: d.seatNumber }) : p.render('arrived_place', { place: placeName(venue, input.escort, lang) });
      case 'nav_aborted':
        return p.render('nav_aborted');
      case 'ask_badge':
        return p.render('ask_badge');
      case 'staff_called':
        return p.render('staff_called');
      case 'advice':
        return input.advice ? p.render(`advice.${ADVICE_PHRASE[input.advice]}`) : p.render('ask_badge');
      default: {
        const unreachable: never = input.phrase;
        return unreachable;
      }
    }
  })();
  return { text, lang };
}
