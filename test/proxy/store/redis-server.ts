// A real, throw-away redis-server (Debian's package) for the store tests: in memory only, bound to
// 127.0.0.1 on the port given or else a free one. Missing redis-server fails the test.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';

const READY = /Ready to accept connections/;
const START_TIMEOUT_MS = 10_000;

/** `dir`: keep the data there (append-only file, synced on every write), so a restart on it finds it again. */
/** A port nothing listens on now (redis-server cannot be asked for port 0 and tell which it took). */
export async function freeRedisPort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export async function startRedisServer(port?: number, { dir }: { dir?: string } = {}) {
  port ??= await freeRedisPort();
  const persistence = dir ? ['--dir', dir, '--appendonly', 'yes', '--appendfsync', 'always'] : ['--appendonly', 'no'];
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', ...persistence], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // Never outlives the test process, even when a timed-out test skips its clean-up.
  const orphanGuard = () => child.kill('SIGKILL');
  process.once('exit', orphanGuard);
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`redis-server did not start on port ${port}:\n${output}`)), START_TIMEOUT_MS);
    const fail = (err: Error) => {
      clearTimeout(timer);
      reject(err);
    };
    child.on('error', (err: NodeJS.ErrnoException) =>
      fail(err.code === 'ENOENT' ? new Error('redis-server is not installed: run `apt-get install -y redis-server` (Debian package)') : err),
    );
    child.on('exit', (code) => fail(new Error(`redis-server exited with code ${code} on port ${port}:\n${output}`)));
    child.stdout.on('data', (chunk) => {
      output += chunk;
      if (READY.test(output)) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.stderr.on('data', (chunk) => (output += chunk));
  });
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    async stop() {
      child.removeAllListeners('exit');
      process.off('exit', orphanGuard);
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}
