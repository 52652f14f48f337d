// kasir/verify as a merchant backend gets it: the built files, in plain Node (no tsx), from both
// `require` and `import`, through the package's own exports map.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { standardWebhookHeaders, webhookKey } from '../../../proxy/lib/standard-webhooks';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const CJS = new URL('../../../dist/verify.cjs', import.meta.url);
const ESM = new URL('../../../dist/verify.js', import.meta.url);

const SECRET = `whsec_${randomBytes(32).toString('base64')}`;
const BODY = JSON.stringify({ id: 'evt_dist', type: 'order.paid', created: 1, data: { id: 'ord_1', status: 'paid' } });
const HEADERS = standardWebhookHeaders(webhookKey(SECRET)!, 'evt_dist', Math.floor(Date.now() / 1000), BODY);

/** Runs `source` in a plain `node` (CommonJS with -e, or an ES module) from the repository root; its stdout. */
function plainNode(source: string, type: 'commonjs' | 'module') {
  return execFileSync(process.execPath, ['--input-type', type, '-e', source], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, BODY, HEADERS: JSON.stringify(HEADERS), SECRET },
    encoding: 'utf8',
  }).trim();
}

const CHECK = `
  const { BODY, HEADERS, SECRET } = process.env;
  const event = v.verifyWebhook(BODY, JSON.parse(HEADERS), SECRET);
  let code = 'accepted';
  try { v.verifyWebhook(BODY.replace('paid', 'paix'), JSON.parse(HEADERS), SECRET); } catch (e) { code = e instanceof v.WebhookVerificationError ? e.code : String(e); }
  console.log(event.id + ' ' + code);
`;

test('dist/verify.cjs and dist/verify.js are built and import nothing', () => {
  assert.ok(existsSync(CJS) && existsSync(ESM), 'dist/verify.{cjs,js} are missing: run `npm run build` first');
  assert.doesNotMatch(readFileSync(CJS, 'utf8'), /\brequire\(/);
  assert.doesNotMatch(readFileSync(ESM, 'utf8'), /\bimport\s*[\s{*("']|\bfrom\s*["']/);
});

test('require() of dist/verify.cjs and of kasir/verify works in plain Node and verifies a delivery', () => {
  assert.equal(plainNode(`const v = require('./dist/verify.cjs');${CHECK}`, 'commonjs'), 'evt_dist webhook_signature_mismatch');
  assert.equal(plainNode(`const v = require('kasir/verify');${CHECK}`, 'commonjs'), 'evt_dist webhook_signature_mismatch');
});

test('import of kasir/verify works in plain Node and verifies a delivery', () => {
  assert.equal(plainNode(`import * as v from 'kasir/verify';${CHECK}`, 'module'), 'evt_dist webhook_signature_mismatch');
});
