import { describe, expect, it } from 'vitest';
import { scaledClock } from '../shared/clock.ts';
import { BadgeTracker } from './badge-tracker.ts';

describe('BadgeTracker', () => {
  const startMs = 1_000_000;
  // A near-frozen clock at startMs: the sightings below carry their own times.
  const tracker = (): BadgeTracker => new BadgeTracker({ clock: scaledClock(1e-6, startMs), forgetAfterMs: 2000 });

  it('counts a badge once while it stays in view over consecutive frames', () => {
    const t = tracker();
    const frames = Array.from({ length: 30 }, (_, i) => t.see('L1.ev.A01.mac', startMs + i * 33));
    expect(frames[0]).toBe(true);
    expect(frames.slice(1).every((first) => !first)).toBe(true);
  });

  it('counts different badges separately', () => {
    const t = tracker();
    expect(t.see('A', startMs)).toBe(true);
    expect(t.see('B', startMs + 10)).toBe(true);
    expect(t.see('A', startMs + 20)).toBe(false);
  });

  it('counts again after the badge was out of view longer than forgetAfterMs', () => {
    const t = tracker();
    expect(t.see('A', startMs)).toBe(true);
    expect(t.see('A', startMs + 1500)).toBe(false);
    expect(t.see('A', startMs + 3500)).toBe(false); // gap of exactly 2000 ms: still the same visit
    expect(t.see('A', startMs + 5501)).toBe(true);
  });

  it('forgets badges the clock has left behind (memory stays bounded) and counts them again', () => {
    const t = new BadgeTracker({ clock: scaledClock(1e-6, startMs + 60_000), forgetAfterMs: 2000 });
    expect(t.see('A', startMs)).toBe(true);
    expect(t.see('A', startMs + 60_000)).toBe(true);
  });

  it('keeps counting from the last sighting, not the first', () => {
    const t = tracker();
    t.see('A', startMs);
    for (let ms = 100; ms <= 10_000; ms += 100) expect(t.see('A', startMs + ms)).toBe(false);
  });

  it('touch() keeps a badge that was answered while the reader looked away as the same showing', () => {
    const tracker = new BadgeTracker({ clock: scaledClock(1, 0), forgetAfterMs: 3000 });
    expect(tracker.see('L1.E.D-1.X', 1_000)).toBe(true);
    tracker.touch('L1.E.D-1.X', 9_000); // busy greeting until t = 9 s; the badge may still be up
    expect(tracker.see('L1.E.D-1.X', 9_100)).toBe(false);
    expect(tracker.see('L1.E.D-1.X', 13_000)).toBe(true); // lowered, and shown again later
    expect(tracker.see('L1.E.D-2.X', 9_200)).toBe(true); // someone else's badge is a new showing
  });
});
