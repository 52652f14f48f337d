// /widget/<version>/<file> is immutable (a pinned SRI hash survives proxy upgrades: an upgrade adds
// a path, it never changes a file under an old one); /widget/<file> follows the current build.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createWidgetRoutes, IMMUTABLE, SHORT_CACHE } from '../../../proxy/routes/widget';
import { createTestApp } from '../helpers';

const FILES = new Map([
  ['kasir.iife.js', 'window.Kasir = {};'],
  ['kasir-qr.js', 'export const qr = 1;'],
  ['verify.js', 'export {};'],
]);

function widgetApp() {
  const { app } = createTestApp();
  app.route('/widget', createWidgetRoutes({ version: '1.2.3', files: FILES }));
  return app;
}

test('the versioned entry and its chunks beside it are cached for a year, immutable, with CORS', async () => {
  const app = widgetApp();
  for (const file of ['kasir.iife.js', 'kasir-qr.js']) {
    const res = await app.request(`/widget/1.2.3/${file}`);
    assert.equal(res.status, 200, file);
    assert.equal(res.headers.get('Cache-Control'), IMMUTABLE);
    assert.equal(IMMUTABLE, 'public, max-age=31536000, immutable');
    assert.equal(res.headers.get('Access-Control-Allow-Origin'), '*');
    assert.match(res.headers.get('Content-Type') ?? '', /^text\/javascript/);
    assert.equal(await res.text(), FILES.get(file));
  }
});

test('the unversioned path keeps a short cache', async () => {
  const res = await widgetApp().request('/widget/kasir.iife.js');
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('Cache-Control'), SHORT_CACHE);
  assert.match(SHORT_CACHE, /max-age=300$/);
});

test("another version's path is a 404, never this build's bytes under a promise of immutability", async () => {
  const res = await widgetApp().request('/widget/1.2.2/kasir.iife.js');
  assert.equal(res.status, 404);
  assert.equal(res.headers.get('Cache-Control'), null);
});

test('only the files a script tag loads are served: not the CLI, verify.js or anything else in dist/', async () => {
  const app = widgetApp();
  for (const path of ['/widget/verify.js', '/widget/1.2.3/verify.js', '/widget/cli.js', '/widget/..%2Fpackage.json', '/widget/1.2.3/kasir-nope.js']) {
    assert.equal((await app.request(path)).status, 404, path);
  }
});

test('a browser that accepts brotli or gzip gets the file compressed once at start; others get it plain', async () => {
  const { brotliDecompressSync, gunzipSync } = await import('node:zlib');
  const { compressWidgetFiles } = await import('../../../proxy/routes/widget');
  const files = new Map([['kasir.iife.js', 'window.Kasir = {}; '.repeat(200)]]);
  const { app } = createTestApp();
  app.route('/widget', createWidgetRoutes({ version: '1.2.3', files, encoded: compressWidgetFiles(files) }));
  const get = (encoding?: string) => app.request('/widget/1.2.3/kasir.iife.js', { headers: encoding ? { 'Accept-Encoding': encoding } : {} });

  const br = await get('gzip, deflate, br, zstd');
  assert.equal(br.headers.get('Content-Encoding'), 'br');
  assert.equal(br.headers.get('Vary'), 'Accept-Encoding');
  const brBody = Buffer.from(await br.arrayBuffer());
  assert.ok(brBody.length < files.get('kasir.iife.js')!.length / 10, `${brBody.length} B`);
  assert.equal(brotliDecompressSync(brBody).toString(), files.get('kasir.iife.js'));

  const gz = await get('gzip');
  assert.equal(gz.headers.get('Content-Encoding'), 'gzip');
  assert.equal(gunzipSync(Buffer.from(await gz.arrayBuffer())).toString(), files.get('kasir.iife.js'));

  for (const plain of [await get(), await get('identity'), await get('br;q=0, gzip;q=0')]) {
    assert.equal(plain.headers.get('Content-Encoding'), null);
    assert.equal(await plain.text(), files.get('kasir.iife.js'));
  }
});
