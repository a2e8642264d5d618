import jsqrModule from 'jsqr';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import type { PublicDelegate } from '../delegates/types.ts';
import { badgePng, badgeSheetHtml, badgeSvg } from './render.ts';
import { signBadge, verifyBadge } from './token.ts';

// jsqr is CommonJS with `export default` typings: the function is the module itself at run time.
type JsQR = typeof jsqrModule.default;
const jsQR: JsQR = (jsqrModule as unknown as { default?: JsQR }).default ?? (jsqrModule as unknown as JsQR);

const key = Buffer.from('6c6574616e2d74657374', 'hex');

function delegate(code: string, fullName: string): PublicDelegate {
  return { code, fullName, title: 'Bí thư Chi bộ', delegation: 'Đoàn <Phường 1> & "Khu 2"', seat: 'C-14', language: 'vi', needs: [] };
}

describe('badgePng', () => {
  it('decodes back to the token with jsQR, and the token verifies', async () => {
    const token = signBadge({ eventId: 'DEMO', code: 'D-0123', key });
    const png = PNG.sync.read(await badgePng(token));
    const result = jsQR(new Uint8ClampedArray(png.data.buffer, png.data.byteOffset, png.data.length), png.width, png.height);
    expect(result?.data).toBe(token);
    expect(verifyBadge(result?.data ?? '', { eventId: 'DEMO', key })).toEqual({ ok: true, code: 'D-0123' });
  });

  it('uses alphanumeric mode: a longest token still fits version 3 (29 modules + 2×4 quiet zone)', async () => {
    const token = signBadge({ eventId: 'A'.repeat(16), code: 'B'.repeat(20), key });
    const png = PNG.sync.read(await badgePng(token, { modulePx: 1 }));
    expect(png.width).toBe(29 + 8);
  });
});

describe('badgeSvg', () => {
  it('is a standalone SVG with a 4-module quiet zone', async () => {
    const svg = await badgeSvg(signBadge({ eventId: 'DEMO', code: 'D-0001', key }));
    expect(svg).toMatch(/^<svg [^>]*viewBox="0 0 33 33"/);
    expect(svg).toContain('M4 4.5h7');
  });
});

describe('badgeSheetHtml', () => {
  it('escapes names with diacritics and markup, prints the seat in both languages, 8 badges a page', async () => {
    const svg = await badgeSvg(signBadge({ eventId: 'DEMO', code: 'D-0001', key }));
    const badges = Array.from({ length: 9 }, (_, i) => ({ delegate: delegate(`D-000${i}`, i === 0 ? 'Võ Thị Ngọc Thủy <script>alert(1)</script>' : `Nguyễn Văn ${i}`), svg }));
    const html = badgeSheetHtml({ name: { vi: 'Đại hội <Đảng bộ>', en: 'Congress' } }, badges);
    expect(html).toContain('Võ Thị Ngọc Thủy &#60;script&#62;alert(1)&#60;/script&#62;');
    expect(html).not.toContain('<script');
    expect(html).toContain('Đoàn &#60;Phường 1&#62; &#38; &#34;Khu 2&#34;');
    expect(html).toContain('Đại hội &#60;Đảng bộ&#62;');
    expect(html).toContain('Ghế C-14 / Seat C-14');
    expect(html).toContain('<meta charset="utf-8">');
    expect(html).toContain('size: A4');
    expect(html.match(/<section class="page">/g)).toHaveLength(2);
    expect(html.match(/<div class="badge">/g)).toHaveLength(9);
    expect(html.match(/<svg /g)).toHaveLength(9);
    expect(html).not.toMatch(/(src|href)=|@import|url\(/);
  });
});
