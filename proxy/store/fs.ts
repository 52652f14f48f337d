// The Store on a directory (`KASIR_STORE=fs:<dir>`), for a single host: state survives restarts and
// is shared by every process on that host. Node-only. One file per key, holding the key, its value
// and its expiry. The file is named by the key, percent-encoded to a safe name (so `keys` reads the
// directory, not every file); a key too long for a file name is named by its SHA-256 instead.
// Expired files are removed: when a read meets one, and by a sweep of the directory every
// SWEEP_EVERY_MS of writes, so a long-running shop's directory does not grow without end.
import { mkdirSync } from 'node:fs';
import { open, readdir, readFile, rename, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { randomId, sha256Hex } from '../lib/signing';
import type { Store } from '.';
import { sleep } from '../lib/time';

/** A lock older than this was left by a process that died inside `add`; it is broken. */
const LOCK_STALE_MS = 5_000;
const LOCK_RETRY_MS = 2;
/** Leaves room for the temporary and lock suffixes within the usual 255-byte name limit. */
const MAX_ENCODED_KEY = 200;
const SUFFIX = '.json';
const SWEEP_EVERY_MS = 10 * 60_000;
const HASHED = '#';

interface Entry {
  key: string;
  value: unknown;
  expiresAt: number | null;
}

const isCode = (err: unknown, code: string) => (err as NodeJS.ErrnoException | null)?.code === code;
const SAFE_BYTE = /^[a-z0-9_-]$/;
/**
 * Percent-encodes every byte but [a-z0-9_-]: no dot, slash or other character a file system treats
 * specially, and no two keys that differ only in letter case (macOS) share a name.
 */
function encodeKey(key: string) {
  let name = '';
  for (const byte of new TextEncoder().encode(key)) {
    const char = String.fromCharCode(byte);
    name += SAFE_BYTE.test(char) ? char : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return name;
}

export function createFsStore(dir: string, now: () => number = Date.now): Store {
  mkdirSync(dir, { recursive: true });
  const nameOf = (key: string) => {
    const encoded = encodeKey(key);
    return `${encoded.length <= MAX_ENCODED_KEY ? encoded : HASHED + sha256Hex(key)}${SUFFIX}`;
  };
  const pathOf = (key: string) => join(dir, nameOf(key));

  async function readEntry(path: string): Promise<Entry | undefined> {
    try {
      return JSON.parse(await readFile(path, 'utf8')) as Entry;
    } catch (err) {
      if (isCode(err, 'ENOENT')) return undefined;
      throw err;
    }
  }
  const expired = (entry: Entry) => entry.expiresAt !== null && entry.expiresAt <= now();

  async function read(path: string): Promise<Entry | undefined> {
    const entry = await readEntry(path);
    if (!entry || !expired(entry)) return entry;
    void remove(path).catch(() => {});
    return undefined;
  }

  // Under the key's lock, and only if the file is still expired when looked at again: a value
  // written meanwhile by `add` (which holds the same lock) is never removed.
  async function remove(path: string) {
    await withLock(path, async () => {
      const entry = await readEntry(path);
      if (entry && expired(entry)) await unlink(path).catch(() => {});
    });
  }

  let sweptAt = now();
  async function sweep() {
    for (const name of await readdir(dir)) {
      if (name.endsWith(SUFFIX)) await read(join(dir, name)).catch(() => undefined);
    }
  }

  // Readers see the old file or the new one, never a partial write, even after a crash.
  async function write(path: string, key: string, value: unknown, ttlSeconds?: number, expiresAt?: number | null) {
    const entry: Entry = { key, value, expiresAt: expiresAt !== undefined ? expiresAt : ttlSeconds ? now() + ttlSeconds * 1000 : null };
    const temp = `${path}.${randomId('')}.tmp`;
    const file = await open(temp, 'w');
    try {
      await file.writeFile(JSON.stringify(entry));
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(temp, path);
    if (now() - sweptAt > SWEEP_EVERY_MS) {
      sweptAt = now();
      void sweep().catch(() => {});
    }
  }

  // Every `add` of a key runs under that key's lock file (created with 'wx', which fails when it
  // exists), so the check for a live value and the write are one step for all processes. Within
  // this process the key's callers take turns before they try the file: two waiters that both found
  // a dead process's lock stale would each break it, the second removing the first's fresh lock.
  const turns = new Map<string, Promise<unknown>>();
  function withLock<T>(path: string, run: () => Promise<T>): Promise<T> {
    const mine = (turns.get(path) ?? Promise.resolve()).then(() => withLockFile(path, run));
    const done = mine.catch(() => {});
    turns.set(path, done);
    void done.then(() => turns.get(path) === done && turns.delete(path));
    return mine;
  }

  async function withLockFile<T>(path: string, run: () => Promise<T>): Promise<T> {
    const lock = `${path}.lock`;
    for (;;) {
      try {
        await (await open(lock, 'wx')).close();
        break;
      } catch (err) {
        if (!isCode(err, 'EEXIST')) throw err;
        const held = await stat(lock).catch(() => undefined);
        if (held && Date.now() - held.mtimeMs > LOCK_STALE_MS) await unlink(lock).catch(() => {});
        else await sleep(LOCK_RETRY_MS);
      }
    }
    try {
      return await run();
    } finally {
      await unlink(lock);
    }
  }

  return {
    async get<T>(key: string) {
      return (await read(pathOf(key)))?.value as T | undefined;
    },
    async set(key, value, options) {
      await write(pathOf(key), key, value, options?.ttlSeconds);
    },
    async add(key, value, options) {
      const path = pathOf(key);
      return withLock(path, async () => {
        if (await read(path)) return false;
        await write(path, key, value, options?.ttlSeconds);
        return true;
      });
    },
    async increment(key, { ttlSeconds }) {
      const path = pathOf(key);
      return withLock(path, async () => {
        const entry = await read(path);
        const count = entry ? (entry.value as number) + 1 : 1;
        await write(path, key, count, undefined, entry ? entry.expiresAt : now() + ttlSeconds * 1000);
        return count;
      });
    },
    async delete(key) {
      await unlink(pathOf(key)).catch((err) => {
        if (!isCode(err, 'ENOENT')) throw err;
      });
    },
    async keys(prefix) {
      const names = (await readdir(dir)).filter((name) => name.endsWith(SUFFIX));
      const candidates = names.filter((name) => name.startsWith(HASHED) || decodeURIComponent(name.slice(0, -SUFFIX.length)).startsWith(prefix));
      const entries = await Promise.all(candidates.map((name) => read(join(dir, name))));
      return entries.flatMap((entry) => (entry?.key.startsWith(prefix) ? [entry.key] : []));
    },
  };
}
