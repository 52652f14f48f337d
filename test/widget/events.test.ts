import { expect } from '@open-wc/testing';
import { KasirCheckout } from '../../widget/define.js';
import { emit, statusEvent } from '../../widget/events.js';

describe('events and registration', () => {
  it('emits bubbling, composed CustomEvents that cross a shadow root', () => {
    const host = document.createElement('div');
    const inner = document.createElement('span');
    host.attachShadow({ mode: 'open' }).append(inner);
    document.body.append(host);
    const seen: CustomEvent[] = [];
    const listener = (e: Event) => seen.push(e as CustomEvent);
    document.addEventListener('kasir-error', listener);
    emit(inner, 'kasir-error', { code: 'x', message: 'y', status: 0 });
    document.removeEventListener('kasir-error', listener);
    host.remove();
    expect(seen).to.have.length(1);
    expect(seen[0]!.detail).to.deep.equal({ code: 'x', message: 'y', status: 0 });
    expect(seen[0]!.bubbles && seen[0]!.composed).to.equal(true);
  });

  it('maps each status to its event', () => {
    const statuses = ['pending', 'paid', 'failed', 'cancelled', 'expired', 'refunded'] as const;
    expect(Object.fromEntries(statuses.map((s) => [s, statusEvent(s)]))).to.deep.equal({
      pending: 'kasir-pending',
      paid: 'kasir-paid',
      failed: 'kasir-failed',
      cancelled: 'kasir-failed',
      expired: 'kasir-expired',
      refunded: undefined,
    });
  });

  it('defines <kasir-checkout> once, and importing define again is harmless', async () => {
    expect(customElements.get('kasir-checkout') === KasirCheckout).to.equal(true);
    // A second copy of the entry module (another script tag, another bundle) finds it defined.
    const again: string = new URL('../../widget/define.ts?again', import.meta.url).href;
    const second = (await import(again)) as { KasirCheckout: unknown };
    expect(second.KasirCheckout === KasirCheckout).to.equal(true);
    expect(customElements.get('kasir-checkout') === KasirCheckout).to.equal(true);
  });
});
