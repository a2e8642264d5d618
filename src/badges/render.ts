import QRCode from 'qrcode';
import type { QRCodeSegment } from 'qrcode';
import type { PublicDelegate } from '../delegates/types.ts';

/**
 * Badge rendering. The QR holds the signed token alone (alphanumeric mode, error
 * correction M, quiet zone of 4 modules); names, title and seat are printed beside it.
 */
export const BADGE_QR_OPTIONS = { errorCorrectionLevel: 'M', margin: 4 } as const;

/** The token as one alphanumeric-mode segment (tokens use only 0-9 A-Z . -). */
export function badgeSegments(token: string): QRCodeSegment[] {
  return [{ data: token, mode: 'alphanumeric' }];
}

export interface BadgePngOptions {
  /** Pixels per module (default 12: a 25-module code is 396 px wide with its quiet zone). */
  readonly modulePx?: number;
}

export async function badgePng(token: string, opts: BadgePngOptions = {}): Promise<Buffer> {
  return QRCode.toBuffer(badgeSegments(token), { ...BADGE_QR_OPTIONS, type: 'png', scale: opts.modulePx ?? 12 });
}

export async function badgeSvg(token: string): Promise<string> {
  return QRCode.toString(badgeSegments(token), { ...BADGE_QR_OPTIONS, type: 'svg' });
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const BADGES_PER_PAGE = 8;

const SHEET_CSS = `
@page { size: A4 portrait; margin: 10mm; }
* { box-sizing: border-box; }
body { margin: 0; font-family: "Noto Sans", "DejaVu Sans", Arial, sans-serif; color: #111; }
header { padding: 4mm 0; font-size: 12pt; }
.page { display: grid; grid-template-columns: 95mm 95mm; grid-auto-rows: 66mm; gap: 0; width: 190mm; break-after: page; }
.page:last-child { break-after: auto; }
.badge { border: 0.3mm dashed #999; padding: 4mm; display: grid; grid-template-columns: 1fr 36mm; gap: 3mm; overflow: hidden; break-inside: avoid; }
.badge .text { display: flex; flex-direction: column; gap: 1.5mm; min-width: 0; }
.badge .event { font-size: 7pt; color: #a00; text-transform: uppercase; }
.badge .name { font-size: 17pt; font-weight: 700; line-height: 1.1; overflow-wrap: anywhere; }
.badge .title { font-size: 9pt; }
.badge .delegation { font-size: 9pt; color: #333; }
.badge .seat { margin-top: auto; font-size: 13pt; font-weight: 700; }
.badge .code { font-size: 7pt; color: #666; font-family: monospace; }
.badge .qr svg { width: 36mm; height: 36mm; display: block; }
@media print { header { display: none; } }
@media screen { body { padding: 10mm; background: #eee; } .page { background: #fff; margin-bottom: 10mm; } }
`;

function badgeHtml(eventName: string, delegate: PublicDelegate, svg: string): string {
  const seat = escapeHtml(delegate.seat);
  return [
    '<div class="badge">',
    '<div class="text">',
    `<div class="event">${escapeHtml(eventName)}</div>`,
    `<div class="name">${escapeHtml(delegate.fullName)}</div>`,
    `<div class="title">${escapeHtml(delegate.title)}</div>`,
    `<div class="delegation">${escapeHtml(delegate.delegation)}</div>`,
    `<div class="seat">Ghế ${seat} / Seat ${seat}</div>`,
    `<div class="code">${escapeHtml(delegate.code)}</div>`,
    '</div>',
    // The SVG comes from badgeSvg (generated here, no user text inside), so it is inlined as is.
    `<div class="qr">${svg}</div>`,
    '</div>',
  ].join('');
}

/**
 * One printable A4 HTML document, 8 badges per page, no external resources.
 * Every text is HTML-escaped; `svg` must come from badgeSvg.
 */
export function badgeSheetHtml(event: { readonly name: { readonly vi: string; readonly en: string } }, badges: readonly { readonly delegate: PublicDelegate; readonly svg: string }[]): string {
  const pages: string[] = [];
  for (let i = 0; i < badges.length; i += BADGES_PER_PAGE) {
    const cells = badges.slice(i, i + BADGES_PER_PAGE).map((b) => badgeHtml(event.name.vi, b.delegate, b.svg));
    pages.push(`<section class="page">${cells.join('\n')}</section>`);
  }
  const title = `${escapeHtml(event.name.vi)} — ${escapeHtml(event.name.en)}`;
  return [
    '<!DOCTYPE html>',
    '<html lang="vi">',
    '<head>',
    '<meta charset="utf-8">',
    `<title>${title}</title>`,
    `<style>${SHEET_CSS}</style>`,
    '</head>',
    '<body>',
    `<header>${title} — ${badges.length} thẻ / badges</header>`,
    ...pages,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
