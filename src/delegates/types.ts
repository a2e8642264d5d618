import type { Lang } from '../speech/speaker.ts';

/** A delegate of the event, as imported from the delegates CSV/XLSX (DESIGN.md, Data). */
export interface Delegate {
  /** Unique, uppercase letters/digits/dashes (QR alphanumeric alphabet), e.g. `D-0123`. */
  readonly code: string;
  readonly fullName: string;
  readonly title: string;
  readonly delegation: string;
  /** Seat id from the venue, e.g. `C-14`. */
  readonly seat: string;
  /** Optional photo file name (enrolment only; never shown on the kiosk). */
  readonly photo: string;
  readonly language: Lang;
  /** e.g. ['wheelchair'] */
  readonly needs: readonly string[];
}

/** What the kiosk may show about a delegate: never the photo. */
export type PublicDelegate = Pick<Delegate, 'code' | 'fullName' | 'title' | 'delegation' | 'seat' | 'language' | 'needs'>;
