// Structured logs: one JSON object per line. Anything that could be a secret or a customer's
// contact detail is redacted by key before it is written, wherever the call site forgot.
export type LogLevel = 'info' | 'warn' | 'error';
export type LogFields = Record<string, unknown>;
export type Logger = Record<LogLevel, (event: string, fields?: LogFields) => void>;

const SENSITIVE_KEY = /secret|password|passwd|signature|token|authorization|cookie|email|phone|api[-_]?key|^key$|customer/i;

function redact(value: unknown, depth = 0): unknown {
  if (depth > 4 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = SENSITIVE_KEY.test(k) ? '[redacted]' : redact(v, depth + 1);
  return out;
}

export function createLogger(write: (line: string) => void = (line) => console.log(line)): Logger {
  const at = (level: LogLevel) => (event: string, fields: LogFields = {}) =>
    write(JSON.stringify({ time: new Date().toISOString(), level, event, ...(redact(fields) as LogFields) }));
  return { info: at('info'), warn: at('warn'), error: at('error') };
}

/**
 * For a provider's status map: a provider state we do not know maps to pending, and is logged
 * once per process rather than on every lookup.
 */
export function createUnknownStatusReporter(provider: string) {
  const seen = new Set<string | number>();
  return (ctx: { log: Logger }) => (status: string | number) => {
    if (seen.has(status)) return;
    seen.add(status);
    ctx.log.warn('provider_unknown_status', { provider, status });
  };
}

/** A logger that keeps its lines, for tests. */
export function createMemoryLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  return Object.assign(createLogger((line) => lines.push(line)), { lines });
}
