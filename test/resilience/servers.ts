// Real servers for the process-level tests (crash, outage): a Winpay that keeps its invoices in
// memory and refuses a duplicate reference, as Winpay does (docs/providers/winpay.md); a merchant
// endpoint that records every webhook; and the proxy itself as a child process (`proxy/cli.ts start`),
// which a test may SIGKILL. Every server is on 127.0.0.1, on a free port.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { jakartaDateTime } from '../../proxy/lib/time';

async function listen(server: Server): Promise<string> {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const body = async (req: IncomingMessage) => {
  let text = '';
  for await (const chunk of req) text += chunk;
  return text;
};

interface Invoice {
  id: string;
  ref: string;
  created_at: string;
  status: 'UNPAID' | 'PAID';
  total: number;
}

/** A Winpay Checkout Page API: create, find by id or by ref. `pay(ref)` marks an invoice paid and returns Winpay's notice body. */
export async function startFakeWinpay() {
  const invoices = new Map<string, Invoice>();
  let next = 0;
  const reply = (res: import('node:http').ServerResponse, status: number, json: unknown) => {
    res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(json));
  };
  const view = (inv: Invoice) => ({
    id: inv.id,
    ref: inv.ref,
    created_at: inv.created_at,
    status: inv.status,
    ...(inv.status === 'PAID' ? { payment: { nett: inv.total, fee: 0, paid_amount: inv.total } } : {}),
  });
  const server = createServer(async (req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (req.method === 'POST' && path === '/api/create') {
      const { invoice } = JSON.parse(await body(req));
      if ([...invoices.values()].some((i) => i.ref === invoice.ref)) return reply(res, 400, { responseCode: '4000301', responseMessage: 'Invalid parameters' });
      const total = invoice.products.reduce((sum: number, p: { qty: number; price: number }) => sum + p.qty * p.price, 0);
      const inv: Invoice = { id: `inv-${++next}`, ref: invoice.ref, created_at: jakartaDateTime(new Date()), status: 'UNPAID', total };
      invoices.set(inv.id, inv);
      return reply(res, 201, { responseCode: '2010300', responseData: { ...view(inv), redirect_url: `https://pay.winpay.test/${inv.id}` } });
    }
    const found = path.startsWith('/api/find/')
      ? invoices.get(decodeURIComponent(path.slice('/api/find/'.length)))
      : path.startsWith('/api/findByRef/')
        ? [...invoices.values()].find((i) => i.ref === decodeURIComponent(path.slice('/api/findByRef/'.length)))
        : undefined;
    if (req.method === 'GET' && found) return reply(res, 200, { responseCode: '2000300', responseData: view(found) });
    return reply(res, 404, { responseCode: '4040300', responseMessage: 'Not found' });
  });
  const url = await listen(server);
  return {
    url,
    invoices,
    pay(ref: string) {
      const inv = [...invoices.values()].find((i) => i.ref === ref);
      if (!inv) throw new Error(`no invoice ${ref}`);
      inv.status = 'PAID';
      return JSON.stringify({ invoice: { uuid: inv.id, ref: inv.ref } });
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A merchant's webhook endpoint that takes everything and keeps each event. */
export async function startMerchant() {
  const events: { id: string; type: string; late?: boolean; data: { id: string; status: string } }[] = [];
  const server = createServer(async (req, res) => {
    events.push(JSON.parse(await body(req)));
    res.writeHead(204).end();
  });
  const url = `${await listen(server)}/kasir`;
  return { url, events, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** A free port on 127.0.0.1 (the proxy's PORT must be known before it starts). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await listen(server);
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** `kasir start` (proxy/cli.ts) in a child process, as `npm run proxy` runs it; resolves once it serves. */
export async function startProxyProcess(env: Record<string, string>) {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'proxy/cli.ts', 'start'], {
    env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // Never outlives the test process, even when a timed-out test skips its clean-up.
  const orphanGuard = () => child.kill('SIGKILL');
  process.once('exit', orphanGuard);
  const lines: { event: string; level: string; [field: string]: unknown }[] = [];
  let stderr = '';
  let buffered = '';
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  const started = new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (chunk) => {
      buffered += chunk;
      const parts = buffered.split('\n');
      buffered = parts.pop()!;
      for (const part of parts) {
        try {
          const line = JSON.parse(part);
          lines.push(line);
          if (line.event === 'proxy_started') resolve();
        } catch {
          // not a log line
        }
      }
    });
    child.on('exit', (code) => reject(new Error(`proxy exited with ${code}: ${stderr}`)));
  });
  await started;
  return {
    url: `http://127.0.0.1:${env.PORT}`,
    child,
    lines,
    stderr: () => stderr,
    /** SIGKILL: no cleanup of any kind runs. */
    async kill() {
      process.off('exit', orphanGuard);
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGKILL');
      await once(child, 'exit');
    },
  };
}
