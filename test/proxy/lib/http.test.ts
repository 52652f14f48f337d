// fetchJson, the one way providers talk HTTP: what it does with replies that are too large.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fetchJson, MAX_REPLY_BYTES } from '../../../proxy/lib/http';
import { errorCode } from '../helpers';

const json = (bytes: number) => `{"pad":"${'x'.repeat(bytes - 10)}"}`;

test('a reply up to 1 MiB is read; one byte more is refused as a bad response', async () => {
  assert.equal(MAX_REPLY_BYTES, 1024 * 1024);
  const exact = json(MAX_REPLY_BYTES);
  assert.equal(new TextEncoder().encode(exact).length, MAX_REPLY_BYTES);
  const ok = await fetchJson(async () => new Response(exact), 'https://p.test/', {}, 5000);
  assert.equal((ok.json as { pad: string }).pad.length, MAX_REPLY_BYTES - 10);
  // Streamed without a length, so only counting the bytes as they come can tell.
  const streamed = (text: string) => new Response(new Blob([text]).stream());
  assert.equal(await errorCode(fetchJson(async () => streamed(json(MAX_REPLY_BYTES + 1)), 'https://p.test/', {}, 5000)), '502 provider_bad_response');
});

test('an endless reply is cut off after 1 MiB and its stream cancelled, long before the deadline', async () => {
  let sent = 0;
  let cancelled = false;
  const endless = new ReadableStream<Uint8Array>({
    pull(controller) {
      sent += 64 * 1024;
      controller.enqueue(new Uint8Array(64 * 1024).fill(0x20));
    },
    cancel() {
      cancelled = true;
    },
  });
  // The deadline is far off: a refusal for size must come first, not a timeout.
  const code = await errorCode(fetchJson(async () => new Response(endless), 'https://p.test/', {}, 30_000));
  assert.equal(code, '502 provider_bad_response');
  assert.ok(cancelled, 'the rest of the reply is not read');
  assert.ok(sent <= MAX_REPLY_BYTES + 3 * 64 * 1024, `read ${sent} bytes`);
});

test('a declared Content-Length over 1 MiB is refused without reading the body', async () => {
  // A body that never sends a byte: reading it at all would wait for the deadline.
  let cancelled = false;
  const body = new ReadableStream({
    pull: () => new Promise<void>(() => {}),
    cancel() {
      cancelled = true;
    },
  });
  const reply = new Response(body, { headers: { 'Content-Length': String(MAX_REPLY_BYTES + 1) } });
  assert.equal(await errorCode(fetchJson(async () => reply, 'https://p.test/', {}, 30_000)), '502 provider_bad_response');
  assert.ok(cancelled);
});

test('a body longer than its declared Content-Length is still held to 1 MiB', async () => {
  const reply = new Response(json(MAX_REPLY_BYTES + 1), { headers: { 'Content-Length': '12' } });
  assert.equal(await errorCode(fetchJson(async () => reply, 'https://p.test/', {}, 5000)), '502 provider_bad_response');
  const small = await fetchJson(async () => new Response('{"ok":true}', { headers: { 'Content-Length': '11' } }), 'https://p.test/', {}, 5000);
  assert.deepEqual(small, { status: 200, json: { ok: true } });
});
