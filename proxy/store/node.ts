// The Store named by KASIR_STORE, on Node. The file-system and Redis drivers need Node's modules,
// so they are chosen here and not in store.ts, which the Workers build imports.
import type { Logger } from '../lib/log';
import { createFsStore } from './fs';
import { createRedisStore } from './redis';
import { createMemoryStore, type Store } from '.';

export type NodeStore = Store & { close: () => Promise<void> };

/** `memory`, `fs:<dir>` or `redis://…` / `rediss://…` (config.ts has already checked the form). */
export function createNodeStore(spec: string, log: Logger): NodeStore {
  if (spec.startsWith('fs:')) return { ...createFsStore(spec.slice('fs:'.length)), close: async () => {} };
  if (/^rediss?:\/\//.test(spec)) return createRedisStore(spec, log);
  if (spec === 'memory') return { ...createMemoryStore(), close: async () => {} };
  throw new Error('KASIR_STORE must be memory, fs:<dir> or redis://…');
}
