// What every benchmark returns and how its numbers are printed: markdown, the same on the terminal
// and in BENCHMARKS.md.
export interface BenchSection {
  title: string;
  /** Markdown: tables and the notes that say how the numbers were taken. */
  body: string;
  /** True when a hard budget was exceeded (the bench exits non-zero). Targets never set it. */
  failed?: boolean;
}

export function table(headers: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  const line = (cells: readonly (string | number)[]) => `| ${cells.join(' | ')} |`;
  return [line(headers), line(headers.map(() => '---')), ...rows.map(line)].join('\n');
}

/** The q-quantile (0..1) of `values`, linearly interpolated; NaN for none. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = Float64Array.from(values).sort();
  const at = (sorted.length - 1) * q;
  const low = Math.floor(at);
  return sorted[low]! + (sorted[Math.min(low + 1, sorted.length - 1)]! - sorted[low]!) * (at - low);
}

export const median = (values: readonly number[]) => quantile(values, 0.5);

export const ms = (value: number, digits = 1) => `${value.toFixed(digits)} ms`;
export const kib = (bytes: number) => `${(bytes / 1024).toFixed(2)} KiB`;
export const pct = (ratio: number) => `${(ratio * 100).toFixed(0)}%`;
export const verdict = (ok: boolean) => (ok ? 'pass' : 'FAIL');

/** Resolves with `promise`, or rejects naming `what` after `timeoutMs`: no wait in the bench is unbounded. */
export function within<T>(promise: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}
