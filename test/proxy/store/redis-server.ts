// A real, throw-away redis-server (Debian's package) for the store tests: in memory only, bound to
// 127.0.0.1 on a port of this suite's range (18600–18699). Missing redis-server fails the test.
import { spawn } from 'node:child_process';
import { once } from 'node:events';

const READY = /Ready to accept connections/;
const START_TIMEOUT_MS = 10_000;

/** `dir`: keep the data there (append-only file, synced on every write), so a restart on it finds it again. */
export async function startRedisServer(port: number, { dir }: { dir?: string } = {}) {
  const persistence = dir ? ['--dir', dir, '--appendonly', 'yes', '--appendfsync', 'always'] : ['--appendonly', 'no'];
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', ...persistence], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
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
    async stop() {
      child.removeAllListeners('exit');
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}
