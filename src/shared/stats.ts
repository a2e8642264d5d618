/** Percentile (nearest-rank) of `values`; NaN for an empty list. `p` in 0..100. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1]!;
}

/** `{ p50, p95 }`-style summary rounded to 0.1 ms, for benchmark JSON. */
export function summarize<P extends number>(values: readonly number[], ps: readonly P[]): Record<`p${P}`, number> {
  const out = {} as Record<`p${P}`, number>;
  for (const p of ps) out[`p${p}`] = Math.round(percentile(values, p) * 10) / 10;
  return out;
}
