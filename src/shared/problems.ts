/**
 * Problems are state, not exceptions (STYLE 7): a list keyed by stable ids
 * (`camera:lost`, `nav:blocked`), shown on the staff page, cleared on recovery.
 */
export type Severity = 'info' | 'warning' | 'critical';

export interface Problem {
  readonly id: string;
  readonly severity: Severity;
  readonly message: string;
  /** What staff can do about it. */
  readonly tip: string;
  readonly sinceMs: number;
}

export class ProblemList {
  private readonly problems = new Map<string, Problem>();
  private readonly listeners = new Set<(all: readonly Problem[]) => void>();

  constructor(private readonly now: () => number) {}

  /** Raises or updates a problem; keeps its original `sinceMs`. */
  raise(id: string, severity: Severity, message: string, tip: string): void {
    const old = this.problems.get(id);
    if (old && old.severity === severity && old.message === message) return;
    this.problems.set(id, { id, severity, message, tip, sinceMs: old?.sinceMs ?? this.now() });
    this.emit();
  }

  clear(id: string): void {
    if (this.problems.delete(id)) this.emit();
  }

  list(): readonly Problem[] {
    return [...this.problems.values()];
  }

  onChange(listener: (all: readonly Problem[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(): void {
    const all = this.list();
    for (const l of this.listeners) l(all);
  }
}
