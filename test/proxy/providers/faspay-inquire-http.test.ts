// Faspay's inquire is documented as GET with a JSON body. fetch cannot send one (TOOLCHAIN pitfall
// 16), so these tests run over real sockets: the simulator served by @hono/node-server on 127.0.0.1,
// the provider calling it through node:http (proxy/node-http.ts). See docs/providers/faspay.md.
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, test } from 'node:test';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { PROVIDER_ENV } from '../../../proxy/lib/config';
import { createMemoryLogger } from '../../../proxy/lib/log';
import { nodeFetch } from '../../../proxy/node-http';
import { createFaspayProvider } from '../../../proxy/providers/faspay';
import type { ProviderContext } from '../../../proxy/providers/types';
import { createFaspaySandbox } from '../../../proxy/sandbox/faspay';
import { createMemoryStore } from '../../../proxy/store';
import { testOrder } from '../helpers';

const CREDS = PROVIDER_ENV.faspay.sandbox;

/**
 * The Faspay simulator on a real socket. `refuseGet` makes its front answer 405 to GET, as some
 * servers do; `dropGetBody` makes it answer a GET as a server that ignores GET bodies would (Faspay's
 * "01" for a body it cannot read — what this simulator itself answered before it read the socket).
 */
async function startSimulator({ refuseGet = false, dropGetBody = false } = {}) {
  const methods: string[] = [];
  let baseUrl = '';
  const root = new Hono();
  root.use('*', async (c, next) => {
    methods.push(`${c.req.method} ${new URL(c.req.url).pathname}`);
    if (refuseGet && c.req.method === 'GET') return c.text('Method Not Allowed', 405);
    if (dropGetBody && c.req.method === 'GET') return c.json({ response_code: '01', response_message: 'Invalid request body' });
    await next();
  });
  const server = serve({ fetch: root.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/sandbox/faspay`;
  const settings = { ...CREDS, baseUrl, sandbox: true };
  const log = createMemoryLogger();
  root.route('/sandbox/faspay', createFaspaySandbox(settings, { store: createMemoryStore(), fetch, now: () => new Date(), log, notifyUrl: () => 'http://127.0.0.1:9/none' }));
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { settings, methods };
}

function context(withGetBody: boolean): ProviderContext & { log: ReturnType<typeof createMemoryLogger> } {
  return {
    fetch,
    ...(withGetBody ? { fetchWithGetBody: nodeFetch } : {}),
    now: () => new Date(),
    log: createMemoryLogger(),
    notifyUrl: 'http://127.0.0.1:9/v1/notify/faspay',
    timeoutMs: 5000,
  };
}

const order = (id: string) => {
  const base = testOrder('faspay', { id, customer: { name: 'Nadia', email: 'nadia@example.com', phone: '087884398009' } });
  return { ...base, providerRef: createFaspayProvider({ ...CREDS, baseUrl: 'x', sandbox: true }, { ttlMinutes: 60 }).refFor(id) };
};

test('inquire goes out as the documented GET with a JSON body, and the simulator answers it over a real socket', async () => {
  const { settings, methods } = await startSimulator();
  const provider = createFaspayProvider(settings, { ttlMinutes: 60 });
  const ctx = context(true);
  const payment = await provider.createPayment(order('ord_get_1'), ctx);
  assert.deepEqual(await provider.getStatus(payment, ctx), { status: 'pending' });
  const paid = await fetch(`${payment.paymentUrl}/pay`, { method: 'POST', redirect: 'manual' });
  assert.equal(paid.status, 303);
  assert.equal((await provider.getStatus(payment, ctx)).status, 'paid');
  assert.deepEqual(methods.filter((m) => m.endsWith('/inquire')), ['GET /sandbox/faspay/inquire', 'GET /sandbox/faspay/inquire']);
});

test('a GET body sent to the simulator over a socket is read (not "Invalid request body")', async () => {
  const { settings } = await startSimulator();
  const res = await nodeFetch(`${settings.baseUrl}/inquire`, {
    method: 'GET',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ service_id: CREDS.serviceId, billing_id: '1', transaction_number: '1', signature: 'x' }),
  });
  // Read and checked: the signature is wrong, which is the simulator's own verdict on the body.
  assert.deepEqual(await res.json(), { response_code: '01', response_message: 'Invalid signature' });
});

test('a server that refuses GET (405) gets POST, and the provider remembers it', async () => {
  const { settings, methods } = await startSimulator({ refuseGet: true });
  const provider = createFaspayProvider(settings, { ttlMinutes: 60 });
  const ctx = context(true);
  const payment = await provider.createPayment(order('ord_get_2'), ctx);
  assert.deepEqual(await provider.getStatus(payment, ctx), { status: 'pending' });
  assert.deepEqual(await provider.getStatus(payment, ctx), { status: 'pending' });
  assert.deepEqual(methods.filter((m) => m.endsWith('/inquire')), [
    'GET /sandbox/faspay/inquire',
    'POST /sandbox/faspay/inquire',
    'POST /sandbox/faspay/inquire',
  ]);
  assert.equal(ctx.log.lines.filter((l) => l.includes('faspay_inquire_get_refused')).length, 1);
});

test('where the runtime cannot send a GET body (fetch, as on Workers), inquire is a POST', async () => {
  const { settings, methods } = await startSimulator();
  const provider = createFaspayProvider(settings, { ttlMinutes: 60 });
  const ctx = context(false);
  const payment = await provider.createPayment(order('ord_get_3'), ctx);
  assert.deepEqual(await provider.getStatus(payment, ctx), { status: 'pending' });
  assert.deepEqual(methods.filter((m) => m.endsWith('/inquire')), ['POST /sandbox/faspay/inquire']);
});

test('a server that drops the GET body (answers 01) gets POST once POST succeeds, and the provider remembers it', async () => {
  const { settings, methods } = await startSimulator({ dropGetBody: true });
  const provider = createFaspayProvider(settings, { ttlMinutes: 60 });
  const ctx = context(true);
  const payment = await provider.createPayment(order('ord_get_4'), ctx);
  assert.deepEqual(await provider.getStatus(payment, ctx), { status: 'pending' });
  assert.deepEqual(await provider.getStatus(payment, ctx), { status: 'pending' });
  assert.deepEqual(methods.filter((m) => m.endsWith('/inquire')), [
    'GET /sandbox/faspay/inquire',
    'POST /sandbox/faspay/inquire',
    'POST /sandbox/faspay/inquire',
  ]);
});

test('Faspay’s own "01" (an unknown bill) over GET stays with GET: POST failing too proves nothing against it', async () => {
  const { settings, methods } = await startSimulator();
  const provider = createFaspayProvider(settings, { ttlMinutes: 60 });
  const ctx = context(true);
  const unknown = { providerRef: '1000000000000001', providerId: '1' };
  assert.equal((await provider.getStatus(unknown, ctx).catch((e: { code: string }) => e.code)), 'provider_rejected');
  const payment = await provider.createPayment(order('ord_get_5'), ctx);
  assert.deepEqual(await provider.getStatus(payment, ctx), { status: 'pending' });
  assert.deepEqual(methods.filter((m) => m.endsWith('/inquire')), ['GET /sandbox/faspay/inquire', 'POST /sandbox/faspay/inquire', 'GET /sandbox/faspay/inquire']);
  assert.equal(ctx.log.lines.filter((l) => l.includes('faspay_inquire_get_refused')).length, 0);
});
