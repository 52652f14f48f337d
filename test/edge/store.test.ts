// The Store contract (test/proxy/store/contract.ts) on the Durable Object, in real workerd. Each
// call below is its own request to the fixture Worker, so the store is its own peer and concurrent
// calls are concurrent requests racing inside the object.
import { after, before } from 'node:test';
import type { Store } from '../../proxy/store';
import { describeStoreContract, elapse } from '../proxy/store/contract';
import { removeBuilds, startWorkerd, type Workerd } from './workerd';

const PORT = 18903;

let workerd: Workerd;
let store: Store;
before(async () => {
  workerd = await startWorkerd({ port: PORT, main: 'test/edge/store-fixture.ts' });
  const call = async (body: object) => ((await (await fetch(workerd.url, { method: 'POST', body: JSON.stringify(body) })).json()) as { result?: unknown }).result;
  store = {
    get: async <T>(key: string) => (await call({ op: 'get', key })) as T | undefined,
    set: async (key, value, options) => void (await call({ op: 'set', key, value, ...options })),
    add: async (key, value, options) => (await call({ op: 'add', key, value, ...options })) as boolean,
    increment: async (key, options) => (await call({ op: 'increment', key, ...options })) as number,
    delete: async (key) => void (await call({ op: 'delete', key })),
    keys: async (prefix) => (await call({ op: 'keys', prefix })) as string[],
  };
});
after(async () => {
  await workerd?.stop();
  removeBuilds();
});

// The object keeps its own time.
describeStoreContract('durable object', () => ({ store, advance: elapse }));
