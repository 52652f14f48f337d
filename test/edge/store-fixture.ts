// A Worker that puts the Durable Object store behind HTTP, so the Store contract can be checked on
// real workerd: POST / { op, key?, value?, ttlSeconds?, prefix? } → { result }.
import { createDurableObjectStore } from '../../proxy/store/durable-object';
import type { WorkerEnv } from '../../proxy/worker';

export { KasirStoreObject } from '../../proxy/store/durable-object';

interface Call {
  op: 'get' | 'set' | 'add' | 'increment' | 'delete' | 'keys';
  key: string;
  value?: unknown;
  ttlSeconds?: number;
  prefix: string;
}

export default {
  async fetch(request: Request, env: WorkerEnv): Promise<Response> {
    if (request.method !== 'POST') return new Response('ok');
    const store = createDurableObjectStore(env.KASIR_STORE_DO);
    const call = (await request.json()) as Call;
    const options = { ttlSeconds: call.ttlSeconds };
    const result = await {
      get: () => store.get(call.key),
      set: () => store.set(call.key, call.value, options),
      add: () => store.add(call.key, call.value, options),
      increment: () => store.increment(call.key, { ttlSeconds: call.ttlSeconds ?? 60 }),
      delete: () => store.delete(call.key),
      keys: () => store.keys(call.prefix),
    }[call.op]();
    return Response.json({ result });
  },
};
