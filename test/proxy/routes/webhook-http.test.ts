// Real deliveries, verified as a merchant would: the proxy on a real port, a sandbox payment made
// over HTTP, and the order.paid webhook POSTed to a local receiver, where the official
// `standardwebhooks` library (and kasir/verify) check it.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { serve } from '@hono/node-server';
import { Webhook } from 'standardwebhooks';
import { createApp } from '../../../proxy/app';
import { loadConfig } from '../../../proxy/lib/config';
import { createMemoryLogger } from '../../../proxy/lib/log';
import { verifyWebhook } from '../../../proxy/verify';
import { CUSTOMER, pressPayPageButton, SHOP, TEST_CATALOG } from '../helpers';

const listening = (server: { once(event: 'listening', cb: () => void): unknown; address(): unknown }) =>
  new Promise<number>((resolve) => server.once('listening', () => resolve((server.address() as AddressInfo).port)));

async function until<T>(what: string, read: () => T | undefined, ms = 10_000): Promise<T> {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 20))) {
    const value = read();
    if (value !== undefined) return value;
  }
  throw new Error(`gave up waiting for ${what}`);
}

for (const [kind, secret, officialSecret] of (() => {
  const whsec = `whsec_${randomBytes(32).toString('base64')}`;
  const plain = `plain-${randomBytes(24).toString('hex')}`;
  return [
    ['a whsec_ secret', whsec, whsec],
    ['an older plain secret (given to the official library as whsec_ + its base64)', plain, `whsec_${Buffer.from(plain).toString('base64')}`],
  ] as const;
})()) {
  test(`real order.paid deliveries over HTTP pass the official standardwebhooks verifier, with ${kind}`, async (t) => {
    const received: { body: string; headers: IncomingHttpHeaders }[] = [];
    const receiver = createServer((req, res) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (chunk: string) => (body += chunk));
      req.on('end', () => {
        received.push({ body, headers: req.headers });
        res.writeHead(204).end();
      });
    }).listen(0, '127.0.0.1');
    const receiverPort = await listening(receiver);
    t.after(() => receiver.close());

    let app: ReturnType<typeof createApp> | undefined;
    const server = serve({ fetch: (request) => app!.fetch(request), port: 0, hostname: '127.0.0.1' });
    const port = await listening(server);
    t.after(() => server.close());
    const base = `http://127.0.0.1:${port}`;
    const config = loadConfig(
      {
        KASIR_CATALOG: 'catalog.json',
        KASIR_SANDBOX: '1',
        KASIR_PUBLIC_URL: base,
        KASIR_RETURN_URLS: `${SHOP}/`,
        KASIR_WEBHOOK_URL: `http://127.0.0.1:${receiverPort}/kasir/webhook`,
        KASIR_WEBHOOK_SECRET: secret,
      },
      () => JSON.stringify(TEST_CATALOG),
    );
    app = createApp(config, { log: createMemoryLogger() });

    const created = await fetch(`${base}/v1/checkouts`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Idempotency-Key': crypto.randomUUID() },
      body: JSON.stringify({ provider: 'winpay', items: [{ sku: 'mug', qty: 2 }], customer: CUSTOMER, returnUrl: `${SHOP}/thanks` }),
    });
    assert.equal(created.status, 201);
    const checkout = (await created.json()) as { id: string; paymentUrl: string };
    // The shopper presses Pay on the simulator; its notice reaches the proxy over HTTP too.
    const browser = { request: (url: string, init?: RequestInit) => fetch(new URL(url, base), { ...init, redirect: 'manual' }) };
    assert.equal((await pressPayPageButton(browser, checkout.paymentUrl, 'pay')).status, 303);

    const delivery = await until('the order.paid webhook', () => received[0]);
    const official = new Webhook(officialSecret).verify(delivery.body, delivery.headers as Record<string, string>) as { id: string; type: string; data: { id: string; status: string; amount: number } };
    assert.equal(official.type, 'order.paid');
    assert.deepEqual([official.data.id, official.data.status, official.data.amount], [checkout.id, 'paid', 90_000]);
    assert.equal(delivery.headers['webhook-id'], official.id);
    assert.equal(verifyWebhook(delivery.body, delivery.headers, secret).id, official.id);
    // The same bytes with one digit changed are refused by both.
    const forged = delivery.body.replace('90000', '90001');
    assert.throws(() => new Webhook(officialSecret).verify(forged, delivery.headers as Record<string, string>));
    assert.throws(() => verifyWebhook(forged, delivery.headers, secret), { code: 'webhook_signature_mismatch' });
    assert.equal(received.length, 1);
  });
}
