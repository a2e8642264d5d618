/**
 * Seeded pseudo-random numbers (STYLE 11: randomness is injected). The same keys give
 * the same sequence on every machine: `seededRandom(seed, stream, index)`.
 */
export interface Random {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform in [min, max). */
  range(min: number, max: number): number;
  /** Uniform integer in [min, max]. */
  int(min: number, max: number): number;
  /** Raw 32-bit unsigned value. */
  uint32(): number;
}

function mix32(h: number, k: number): number {
  let x = Math.imul(h ^ (k >>> 0), 0x85ebca6b) >>> 0;
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35) >>> 0;
  return (x ^ (x >>> 16)) >>> 0;
}

/** A mulberry32 generator whose state is a hash of every key (integers; fractions are truncated). */
export function seededRandom(...keys: readonly number[]): Random {
  let state = 0x9e3779b9;
  for (const k of keys) state = mix32(state + 0x6d2b79f5, Math.trunc(k) | 0);
  const uint32 = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
  const next = (): number => uint32() / 4294967296;
  return {
    next,
    uint32,
    range: (min, max) => min + (max - min) * next(),
    int: (min, max) => min + Math.floor((max - min + 1) * next()),
  };
}
