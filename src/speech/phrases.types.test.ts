import { describe, expect, it } from 'vitest';
import { loadPhrases } from './phrases.ts';

/** Calls that must compile. */
function validCalls(): string[] {
  const vi = loadPhrases('vi');
  return [vi.render('greeting', { name: 'An' }), vi.render('seat', { row: 'C', number: 14 }), vi.render('idle'), vi.render('refusal.forged')];
}

/** Calls that must not compile: each @ts-expect-error line fails `tsc` if the typing loosens. Never run. */
export function invalidCalls(): void {
  const vi = loadPhrases('vi');
  // @ts-expect-error an unknown message key
  vi.render('goodbye');
  // @ts-expect-error the greeting needs the name
  vi.render('greeting');
  // @ts-expect-error seat needs number as well as row
  vi.render('seat', { row: 'C' });
  // @ts-expect-error idle takes no parameters
  vi.render('idle', { name: 'An' });
  // @ts-expect-error a parameter the message does not have
  vi.render('escort_start', { row: 'C', seat: 4 });
}

describe('phrase typings', () => {
  it('accept the valid calls, which render at run time', () => {
    expect(validCalls()).toEqual([
      'Chào mừng đại biểu An về tham dự đại hội.',
      'Ghế của đại biểu ở hàng C, số 14.',
      'Mời đại biểu đưa thẻ lên trước camera.',
      expect.stringMatching(/^Xin lỗi đại biểu/),
    ]);
  });
});
