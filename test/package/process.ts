// Running the `kasir` command as a process in tests (cli.test.ts through tsx, package.test.ts from
// a packed install): its output, its exit status, and ports to make busy.
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer, type AddressInfo, type Server } from 'node:net';

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `node <args>` in `cwd` with only the given variables (and PATH) set, collecting its output. */
export function spawnKasir(args: string[], env: Record<string, string>, cwd: string, command = process.execPath) {
  const child = spawn(command, args, {
    cwd,
    env: { PATH: process.env.PATH, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const run: Run = { code: null, stdout: '', stderr: '' };
  child.stdout.on('data', (d) => (run.stdout += d));
  child.stderr.on('data', (d) => (run.stderr += d));
  const done = new Promise<Run>((resolve) => child.on('close', (code) => resolve({ ...run, code })));
  return { child, run, done };
}


/** Waits for a line of output matching `pattern`; fails when the process ends first. */
export function waitFor(proc: { child: ChildProcess; run: Run }, pattern: RegExp, ms = 15_000): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out waiting for ${pattern}; got ${proc.run.stdout}${proc.run.stderr}`)), ms);
    const look = () => {
      const m = pattern.exec(proc.run.stdout + proc.run.stderr);
      if (m) {
        clearTimeout(timer);
        resolve(m);
      }
    };
    proc.child.stdout!.on('data', look);
    proc.child.stderr!.on('data', look);
    proc.child.on('close', () => {
      clearTimeout(timer);
      reject(new Error(`exited (${proc.child.exitCode}) before ${pattern}: ${proc.run.stdout}${proc.run.stderr}`));
    });
    look();
  });
}

export function occupy(): Promise<Server & { port: number }> {
  const server = createServer();
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(Object.assign(server, { port: (server.address() as AddressInfo).port }))));
}

