// Retries for calls that are safe to repeat (status lookups; never creates): at most `retries`
// more attempts, with jittered exponential back-off, and only for failures that may pass.
import { KasirError } from './errors';
import { sleep } from './time';

const RETRYABLE = new Set(['provider_timeout', 'provider_unreachable', 'provider_unavailable', 'provider_bad_response']);

export const isRetryable = (err: unknown) => err instanceof KasirError && RETRYABLE.has(err.code);

export async function withRetries<T>(fn: () => Promise<T>, { retries = 2, baseMs = 200, random = Math.random } = {}): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (attempt >= retries || !isRetryable(err)) throw err;
      const delay = baseMs * 2 ** attempt * (0.5 + random());
      await sleep(delay);
    }
  }
}
