// The QR: drawn from the provider's QRIS string (or its image of the payment page), with the
// merchant's name, a caption that says what the code is, a button saving it as an image (a phone
// cannot scan its own screen: save, then open it in the banking app), and on a phone a link that
// opens the provider's page or app when there is one.
import type { QrDrawing } from '../qr.js';
import type { Kit, TemplateResult } from './kit.js';
import type { OrderView } from './order-input.js';
import { ORDER_STRINGS as S } from './order-strings.js';

export function renderQr(input: OrderView, kit: Kit, appUrl: string | undefined): TemplateResult {
  const { html, nothing } = kit;
  const { qrString, qrUrl } = input.order;
  if (qrString && input.qr === 'failed') return html`<p part="error" role="alert">${kit.pick(S, 'qr_unavailable')}</p>`;
  const qr = input.qr === 'failed' ? undefined : input.qr;
  // The QR is for the eyes and the camera; the caption and the pay code say it in words.
  const image = qrString
    ? qr
      ? html`<svg part="qr-image" aria-hidden="true" viewBox="0 0 ${qr.size} ${qr.size}"><path d=${qr.d}></path></svg>`
      : html`<div part="qr-image" class="qr-loading" aria-busy="true"></div>`
    : html`<img part="qr-image" alt="" src=${qrUrl!} />`;
  return html`${input.merchant ? html`<p class="merchant">${kit.pick(S, 'payTo').replace('{merchant}', input.merchant)}</p>` : nothing}
    ${image}
    <p>${qrString ? kit.pick(S, 'scanQr') : kit.pick(S, 'scanPage')}</p>
    ${qrString && qr ? html`<button part="save-qr" type="button" @click=${() => saveQr(qr, input.order.id)}>${kit.pick(S, 'saveQr')}</button>` : nothing}
    ${input.phone && appUrl ? html`<a part="app-link" href=${appUrl}>${kit.pick(S, 'openApp')}</a>` : nothing}`;
}

/** Saves the QR as a PNG (a phone cannot scan its own screen: the shopper opens the image in their app). */
function saveQr(qr: QrDrawing, id: string): void {
  const scale = 8;
  const canvas = document.createElement('canvas');
  canvas.width = canvas.height = qr.size * scale;
  const ctx = canvas.getContext('2d')!;
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.scale(scale, scale);
  ctx.fillStyle = '#000';
  ctx.fill(new Path2D(qr.d));
  const a = document.createElement('a');
  a.href = canvas.toDataURL('image/png');
  a.download = `qris-${id}.png`;
  a.click();
}
