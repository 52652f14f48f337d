// How every simulator delivers its notice: POST the body to the merchant's notice URL and try
// again, up to the provider's number of attempts, until the reply is what that provider counts
// as accepted. Sent in the simulator's own request, so a test sees the outcome at once.
import type { ProviderId } from '../lib/contract';
import type { FetchReply } from '../lib/http';
import type { SandboxDeps } from '.';

const NOTICE_TIMEOUT_MS = 10_000;

export interface NoticeDelivery {
  attempts: number;
  /** Whether the merchant's reply counts as accepted; default: HTTP 200. */
  accepted?: (reply: FetchReply) => Promise<boolean> | boolean;
  headers?: Record<string, string>;
}

export async function postNotice(deps: SandboxDeps, provider: ProviderId, url: string, body: string, delivery: NoticeDelivery) {
  const accepted = delivery.accepted ?? ((reply) => reply.status === 200);
  for (let attempt = 1; attempt <= delivery.attempts; attempt++) {
    try {
      const reply = await deps.fetch(url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', ...delivery.headers },
        body,
        signal: AbortSignal.timeout(NOTICE_TIMEOUT_MS),
      });
      const ok = await accepted(reply);
      if (!reply.bodyUsed) await reply.body?.cancel();
      if (ok) return;
    } catch {
      // unreachable or timed out: the next attempt
    }
  }
  deps.log.warn('sandbox_callback_not_accepted', { provider });
}
