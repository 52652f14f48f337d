import { LitElement, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import type {
  CartItemInput,
  CheckoutRequestInput,
  CheckoutView,
  CustomerInput,
  CustomerOutput,
  Locale,
  ProviderId,
  PublicConfig,
} from '../proxy/lib/contract.js';
import {
  ABORTED,
  KasirApiError,
  createCheckout,
  defaultReturnUrl,
  getCheckout,
  getConfig,
  newIdempotencyKey,
  readOrderParam,
  toApiError,
} from './api.js';
import { loadQr, loadValidator } from './chunks.js';
import { emit, statusEvent, type KasirMode } from './events.js';
import { formatAmount, formatCountdown, loadMessages, matchLocale, t, translateCode } from './i18n/index.js';
import { styles } from './kasir-checkout.styles.js';
import type { QrDrawing } from './qr.js';
import type { checkCustomer } from './validate.js';

type Field = 'name' | 'email' | 'phone';
const FIELDS: readonly Field[] = ['name', 'email', 'phone'];
const RETRY_STATUSES = new Set(['failed', 'cancelled', 'expired']);
/** Polling of a pending order: the first delay, which grows ×1.5 up to the ceiling. */
const POLL_FIRST_MS = 2000;
const POLL_MAX_MS = 30_000;
/** Same-origin channel between a return page in a payment window and the widget that opened it. */
const CHANNEL = 'kasir-checkout';

type Phase = 'idle' | 'paying' | 'redirecting';
type Requirement = PublicConfig['providers'][number]['requires'][number];

/** A proxy error about a customer field (`field: "customer.phone"`, or a code like `phone_required`). */
function fieldOf(error: KasirApiError): Field | undefined {
  return FIELDS.find((f) => error.field === `customer.${f}` || (!error.field && error.code.startsWith(`${f}_`)));
}

function isHttpUrl(url: string): boolean {
  return /^https?:$/.test(new URL(url, 'invalid:/').protocol);
}

/**
 * Opens the payment window while the click is still being handled — the only moment a popup
 * blocker allows it — blank until the proxy answers; null when the browser blocked it. The opener
 * is cut, so the provider's page cannot reach back into the shop.
 */
function openPaymentWindow(mode: 'popup' | 'tab', url = ''): Window | null {
  const win = open(url, mode === 'popup' ? 'kasir-payment' : '_blank', mode === 'popup' ? 'popup,width=480,height=720' : '');
  if (!win || win.closed) return null;
  try {
    win.opener = null;
  } catch {
    // a reused popup already on the provider's origin
  }
  return win;
}

/**
 * A drop-in checkout: collects the customer's details, asks the Kasir proxy for a payment, and
 * lets the customer pay — on the provider's page (redirect, popup or new tab), or on a QR code or
 * pay code shown in place when the proxy returns `qrString` or `payCode` — then shows the outcome
 * the proxy confirms. On a return page
 * (`?kasir_order=<id>`) it asks the proxy for the outcome; it never trusts the URL for it, and it
 * never sends or trusts a price.
 *
 * While an order is pending and shown in place (popup and tab modes, QR / pay code, return page)
 * it polls `GET /v1/checkouts/:id`: after 2 s, then ×1.5 up to 30 s; it stops when the order is
 * final, while the page is hidden (and looks again when it is shown), and after `expiresAt`.
 *
 * @tag kasir-checkout
 *
 * @attr endpoint - Base URL of the Kasir proxy (empty: same origin).
 * @attr provider - Provider id (`winpay`, `faspay`, `uapay`, `amdigipay`); absent → a picker of the enabled ones.
 * @attr items - JSON array of `{sku, qty}`; the property takes the array.
 * @attr cart - A signed cart token minted by the merchant's backend; sent instead of `items`.
 * @attr return-url - Where the provider sends the customer back (default: this page without `kasir_order`).
 * @attr locale - `en` | `id` | `uk` (default: the browser's first supported language, else `en`).
 * @attr mode - `redirect` (default): this page goes to the payment page. `popup`: a popup window,
 *   opened inside the click so blockers allow it (blocked anyway → redirect). `tab`: a new tab.
 *   In popup and tab modes the widget stays and shows the outcome in place.
 *
 * @fires {CustomEvent<CheckoutView>} kasir-created - The proxy created the checkout (201); detail is the CheckoutView.
 * @fires {CustomEvent<KasirOpenDetail>} kasir-open - The payment page is about to open; detail
 *   `{id, paymentUrl, mode}` (`mode` is `redirect` when a blocked popup fell back to it). Not fired
 *   for a QR or pay code, which is shown in place. Cancelable: `preventDefault()` stops the widget
 *   from opening anything (the storefront opens `paymentUrl` itself).
 * @fires {CustomEvent<CheckoutView>} kasir-pending - The order was seen pending (return page, or a change back to it).
 * @fires {CustomEvent<CheckoutView>} kasir-paid - The order is paid, as the proxy confirms it.
 * @fires {CustomEvent<CheckoutView>} kasir-failed - The order failed or was cancelled.
 * @fires {CustomEvent<CheckoutView>} kasir-expired - The order expired unpaid.
 * @fires {CustomEvent<KasirCloseDetail>} kasir-close - The payment popup or tab was closed; detail `{id}` (not
 *   fired in redirect mode).
 * @fires {CustomEvent<KasirErrorDetail>} kasir-error - Something failed; detail `{code, message, status, field?}`:
 *   `code` is the proxy's `error.code` or the widget's own (`network_error`, `server_error`,
 *   `request_failed`, `invalid_response`, `items_or_cart`, `no_providers`, `qr_unavailable`),
 *   `status` the HTTP status (0: none), `field` the request field at fault.
 *
 * @csspart form - The checkout form.
 * @csspart picker - The provider picker (a fieldset of radios), or its loading note.
 * @csspart field - The wrapper of one label + input + message.
 * @csspart label - A field's label.
 * @csspart input - A field's input (`name` = `name` | `email` | `phone`).
 * @csspart field-error - A field's validation message.
 * @csspart button - The pay button.
 * @csspart error - The alert showing a failed request.
 * @csspart status - The order panel (`data-status` = the order's status).
 * @csspart action - A secondary button under the order panel (open the payment page, check again, try again).
 * @csspart qr - The QR / pay code panel, with the countdown.
 * @csspart qr-image - The QR code (an SVG drawn from `qrString`, or an image from `qrUrl`).
 * @csspart pay-code - The pay code (virtual account or store code).
 * @csspart copy - The button copying the pay code.
 * @csspart countdown - The time left until `expiresAt`.
 *
 * @cssprop [--kasir-font=system-ui, sans-serif] - Font family (`inherit` takes the page's).
 * @cssprop [--kasir-font-size=1rem] - Base font size.
 * @cssprop [--kasir-spacing=1rem] - Gap between blocks; fields use a quarter of it.
 * @cssprop [--kasir-radius=6px] - Corner radius of inputs, buttons and panels.
 * @cssprop [--kasir-color-text=#1f2328] - Text colour.
 * @cssprop [--kasir-color-background=#fff] - Input background.
 * @cssprop [--kasir-color-border=#6e7781] - Input, picker and panel border.
 * @cssprop [--kasir-color-primary=#0a58ca] - Button and focus colour.
 * @cssprop [--kasir-color-on-primary=#fff] - Text on the pay button.
 * @cssprop [--kasir-color-error=#b3261e] - Error text and invalid borders.
 * @cssprop [--kasir-color-error-background=#fdeceb] - Background of the error alert.
 * @cssprop [--kasir-color-success=#1a7f37] - Accent of a paid outcome.
 * @cssprop [--kasir-qr-size=240px] - Largest side of the QR code.
 */
export class KasirCheckout extends LitElement {
  static override styles = styles;

  // Declared with `static properties` rather than decorators: the decorator helpers cost ~0.4 kB gzip.
  static override properties = {
    endpoint: {},
    provider: {},
    // Lit's Array converter: JSON.parse, null when the attribute is not JSON.
    items: { type: Array },
    cart: {},
    returnUrl: { attribute: 'return-url' },
    locale: {},
    mode: {},
    customer: { attribute: false },
    _values: { state: true },
    _fieldErrors: { state: true },
    _phase: { state: true },
    _error: { state: true },
    _providers: { state: true },
    _selected: { state: true },
    _loading: { state: true },
    _orderId: { state: true },
    _order: { state: true },
    _lang: { state: true },
    _qr: { state: true },
    _now: { state: true },
    _copied: { state: true },
    _win: { state: true },
  };

  endpoint = '';
  provider?: string;
  items?: CartItemInput[];
  cart?: string;
  returnUrl?: string;
  locale?: string;
  mode: KasirMode = 'redirect';
  /** Prefill of the form: `{name?, email?, phone?}`. */
  customer?: Partial<CustomerInput>;

  private _values: Record<Field, string> = { name: '', email: '', phone: '' };
  private _fieldErrors: Partial<Record<Field, string>> = {};
  private _phase: Phase = 'idle';
  private _error?: KasirApiError;
  private _providers?: PublicConfig['providers'];
  private _catalog?: PublicConfig['catalog'];
  private _selected?: ProviderId;
  /** A GET is in flight: the config for the form, the order for its panel. */
  private _loading = false;
  private _orderId?: string;
  private _order?: CheckoutView;
  /** The language shown: the wanted one once its table has loaded. */
  private _lang?: Locale;
  private _qr?: QrDrawing;
  /** The clock of the countdown, advanced every second while an order is pending. */
  private _now = 0;
  private _copied = false;
  /** The payment popup or tab, while it is open. */
  private _win?: Window;

  /** Key and body of the last attempt, kept only when it may have reached the provider. */
  #retry?: { key: string; body: string };
  #dirty = new Set<Field>();
  /** What the GETs were last started for, so a re-render does not refetch. */
  #requested?: string;
  #loadCtrl?: AbortController;
  #payCtrl?: AbortController;
  #langLoad?: Promise<unknown>;
  #check?: typeof checkCustomer;
  #checkLoad?: Promise<unknown>;
  /** This page is a return page (it had `kasir_order` when the element first connected). */
  #returned = false;
  #qrFor?: string;
  #poll?: ReturnType<typeof setTimeout>;
  #tick?: ReturnType<typeof setInterval>;
  #channel?: BroadcastChannel;

  /** Opens the payment page in redirect mode; override (or replace on the instance) to intercept navigation. */
  navigate(url: string): void {
    location.assign(url);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // Only the first connection reads the URL: a moved element keeps what the customer did since.
    if (!this.hasUpdated) {
      this._orderId = readOrderParam(location.href);
      // If a widget opened this window for that order, it answers and this window closes. Only the
      // id is said: the opener asks the proxy for the outcome, as this page does.
      this.#returned = !!this._orderId;
      if (this._orderId) this.#listen().postMessage({ returned: this._orderId });
    }
    addEventListener('pageshow', this.#onPageShow);
    document.addEventListener('visibilitychange', this.#onVisibility);
    this.requestUpdate();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    removeEventListener('pageshow', this.#onPageShow);
    document.removeEventListener('visibilitychange', this.#onVisibility);
    this.#loadCtrl?.abort();
    this.#payCtrl?.abort();
    this.#requested = undefined;
    clearTimeout(this.#poll);
    clearInterval(this.#tick);
    this.#tick = undefined;
    this.#channel?.close();
    this.#channel = undefined;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('customer') && this.customer) {
      const values = { ...this._values };
      for (const f of FIELDS) {
        const value = this.customer[f];
        if (typeof value === 'string') values[f] = value;
      }
      this._values = values;
    }
    const lang = this.#locale;
    if (lang !== this._lang) {
      const loading = loadMessages(lang);
      if (loading) this.#langLoad = loading.then(() => this.requestUpdate());
      else this._lang = lang;
    }
    if (!this._orderId) {
      this.#checkLoad ??= loadValidator().then(
        (m) => (this.#check = m.checkCustomer),
        () => {},
      );
    }
    // The order panel needs the order; the form needs the config (the picker, required fields).
    const wanted = this._orderId ? `order ${this.endpoint} ${this._orderId}` : `config ${this.endpoint}`;
    if (wanted !== this.#requested) {
      this.#requested = wanted;
      void (this._orderId ? this.#loadOrder() : this.#loadConfig());
    }
  }

  protected override updated(): void {
    // One clock for the countdown and for noticing that the payment window was closed.
    const ticking = this._order?.status === 'pending' || !!this._win;
    if (ticking && !this.#tick) this.#tick = setInterval(this.#onTick, 1000);
    if (!ticking) {
      clearInterval(this.#tick);
      this.#tick = undefined;
    }
  }

  /** Also waits for what the view loads on demand (its language's table, the validator). */
  protected override async getUpdateComplete(): Promise<boolean> {
    await super.getUpdateComplete();
    await Promise.all([this.#langLoad, this.#checkLoad]);
    return super.getUpdateComplete();
  }

  get #locale(): Locale {
    return matchLocale(this.locale) ?? navigator.languages.map(matchLocale).find(Boolean) ?? 'en';
  }

  get #provider(): ProviderId | undefined {
    return (this.provider || this._selected) as ProviderId | undefined;
  }

  get #requires(): readonly Requirement[] {
    return this._providers?.find((p) => p.id === this.#provider)?.requires ?? [];
  }

  #newLoad(): AbortSignal {
    this.#loadCtrl?.abort();
    this.#loadCtrl = new AbortController();
    return this.#loadCtrl.signal;
  }

  async #loadConfig(): Promise<void> {
    const signal = this.#newLoad();
    this._loading = true;
    this._error = undefined;
    try {
      const { providers, catalog } = await getConfig(this.endpoint, signal);
      this._catalog = catalog;
      this._providers = providers;
      if (!providers.some((p) => p.id === this._selected)) this._selected = providers[0]?.id;
      if (!providers.length) this.#fail(new KasirApiError('no_providers', 'No provider enabled', 200));
    } catch (err) {
      this.#fail(err);
    } finally {
      if (!signal.aborted) this._loading = false;
    }
  }

  /** Asks the proxy for the order; while it stays pending, asks again `next` ms later. */
  async #loadOrder(next = POLL_FIRST_MS): Promise<void> {
    const id = this._orderId;
    if (!id) return;
    clearTimeout(this.#poll);
    const signal = this.#newLoad();
    this._loading = true;
    this._error = undefined;
    try {
      this.#show(await getCheckout(this.endpoint, id, signal), next);
    } catch (err) {
      this.#fail(err);
      this.#watch(next);
    } finally {
      if (!signal.aborted) this._loading = false;
    }
  }

  /** Shows the order in place, announcing each status it changes to, and keeps watching it. */
  #show(view: CheckoutView, next = POLL_FIRST_MS, announce = true): void {
    const before = this._order?.id === view.id ? this._order.status : undefined;
    this._orderId = view.id;
    this._order = view;
    this._now = Date.now();
    const name = statusEvent(view.status);
    if (announce && name && view.status !== before) emit(this, name, view);
    const text = view.qrString;
    if (text && text !== this.#qrFor) {
      this.#qrFor = text;
      loadQr().then(
        ({ drawQr }) => this.#qrFor === text && (this._qr = drawQr(text)),
        () => this.#fail(new KasirApiError('qr_unavailable', 'QR encoder not loaded')),
      );
    }
    this.#watch(next);
  }

  #watch(delay: number): void {
    clearTimeout(this.#poll);
    const order = this._order;
    if (order?.status !== 'pending' || document.hidden || !this.isConnected) return;
    const left = Date.parse(order.expiresAt) - Date.now();
    // One more look just after the deadline tells the outcome; after that, only "Check again" asks.
    if (left < 0) return;
    this.#poll = setTimeout(() => void this.#loadOrder(Math.min(delay * 1.5, POLL_MAX_MS)), Math.min(delay, left + 1000));
  }

  #fail(err: unknown): void {
    const error = toApiError(err);
    if (error.code === ABORTED) return;
    this._error = error;
    const field = fieldOf(error);
    if (field) {
      this._fieldErrors = { ...this._fieldErrors, [field]: error.code };
      void this.updateComplete.then(() => this.#focus('[aria-invalid="true"]'));
    }
    const { code, message, status, field: at } = error;
    emit(this, 'kasir-error', { code, message, status, ...(at && { field: at }) });
  }

  /**
   * Validates the customer with the proxy's own CustomerSchema and the chosen provider's required
   * fields (from the proxy's config, as the proxy checks them), shows the messages of `fields`,
   * and returns the customer if every field is valid.
   */
  #validate(fields: readonly Field[]): CustomerOutput | undefined {
    const input: Record<string, string> = {};
    for (const f of FIELDS) {
      const value = this._values[f].trim();
      if (value || f === 'name') input[f] = value;
    }
    // Until the validator has loaded (or if it cannot), the proxy's answer places the errors.
    const { customer, errors: found } = this.#check?.(input) ?? { customer: input as CustomerOutput, errors: {} };
    for (const f of this.#requires) if (!input[f]) found[f] = `${f}_required`;
    const errors = { ...this._fieldErrors };
    for (const f of fields) {
      errors[f] = found[f];
      if (!found[f]) delete errors[f];
    }
    this._fieldErrors = errors;
    return Object.keys(found).length ? undefined : customer;
  }

  #focus(selector: string): void {
    this.renderRoot.querySelector<HTMLElement>(selector)?.focus();
  }

  #onInput(e: Event): void {
    const { name: f, value } = e.target as HTMLInputElement & { name: Field };
    if (!FIELDS.includes(f)) return;
    this._values = { ...this._values, [f]: value };
    this.#dirty.add(f);
    if (this._fieldErrors[f]) this.#validate([f]);
  }

  #onBlur(e: Event): void {
    const f = (e.target as HTMLInputElement).name as Field;
    if (this.#dirty.has(f)) this.#validate([f]);
  }

  async #onSubmit(e: Event): Promise<void> {
    e.preventDefault();
    if (this._phase !== 'idle') return; // a second click while in flight: one request only
    const customer = this.#validate(FIELDS);
    if (!customer) {
      await this.updateComplete;
      this.#focus('[aria-invalid="true"]');
      return;
    }
    const provider = this.#provider;
    if (!provider) {
      if (!this._loading) void this.#loadConfig();
      return;
    }
    if (!this.cart && !(Array.isArray(this.items) && this.items.length)) {
      this.#fail(new KasirApiError('items_or_cart', 'No items or cart'));
      return;
    }
    const body: CheckoutRequestInput = {
      provider,
      ...(this.cart ? { cart: this.cart } : { items: this.items?.map(({ sku, qty }) => ({ sku, qty })) }),
      customer,
      returnUrl: this.returnUrl || defaultReturnUrl(location.href),
      locale: this.#locale,
    };
    const json = JSON.stringify(body);
    // Reusing the key after a failure that may have reached the provider makes the retry idempotent.
    const key = this.#retry?.body === json ? this.#retry.key : newIdempotencyKey();
    this.#retry = undefined;
    // Now, inside the click: a window opened after the proxy answers would be blocked.
    const win = this.mode === 'popup' || this.mode === 'tab' ? openPaymentWindow(this.mode) : null;
    this._phase = 'paying';
    this._error = undefined;
    this.#payCtrl = new AbortController();
    try {
      const view = await createCheckout(this.endpoint, body, key, this.#payCtrl.signal);
      emit(this, 'kasir-created', view);
      this.#open(view, win);
    } catch (err) {
      win?.close();
      const error = toApiError(err);
      if (error.retryable) this.#retry = { key, body: json };
      this._phase = 'idle';
      this.#fail(error);
    }
  }

  #open(view: CheckoutView, win: Window | null): void {
    // A QR string or a pay code is paid from this screen (a scan, a transfer), as is a QR image
    // without a page to open; the provider's page stays one click away ("Open the payment page").
    if (view.qrString || view.payCode || (view.qrUrl && !isHttpUrl(view.paymentUrl))) {
      win?.close();
      return this.#showHere(view);
    }
    if (!isHttpUrl(view.paymentUrl)) throw new KasirApiError('invalid_response', 'paymentUrl is not http(s)', 201);
    const mode = win ? this.mode : 'redirect';
    this._phase = 'redirecting';
    if (!emit(this, 'kasir-open', { id: view.id, paymentUrl: view.paymentUrl, mode }, true)) {
      win?.close();
      this._phase = 'idle';
    } else if (win) {
      win.location.replace(view.paymentUrl);
      this._win = win;
      this.#listen();
      this.#showHere(view);
    } else {
      this.navigate(view.paymentUrl);
    }
  }

  /** Swaps the form for the order panel (the creation already announced the order) and focuses it. */
  #showHere(view: CheckoutView): void {
    this._phase = 'idle';
    this.#requested = `order ${this.endpoint} ${view.id}`;
    this.#show(view, POLL_FIRST_MS, false);
    void this.updateComplete.then(() => this.#focus('[part="status"]'));
  }

  #reopen(): void {
    const win = this._win;
    if (win && !win.closed) return win.focus();
    const url = this._order!.paymentUrl;
    const next = this.mode === 'popup' || this.mode === 'tab' ? openPaymentWindow(this.mode, url) : null;
    if (!next) return this.navigate(url);
    this._win = next;
    this.#listen();
  }

  #listen(): BroadcastChannel {
    if (!this.#channel) {
      this.#channel = new BroadcastChannel(CHANNEL);
      this.#channel.onmessage = this.#onMessage;
    }
    return this.#channel;
  }

  #onMessage = ({ data }: MessageEvent<{ returned?: string; ack?: string } | null>): void => {
    const id = this._orderId;
    if (!id) return;
    if (data?.returned === id && this._win) {
      // Our payment window is back on the shop. The message proves nothing: ask the proxy now.
      this.#channel?.postMessage({ ack: id });
      void this.#loadOrder();
    } else if (data?.ack === id && this.#returned) {
      close();
    }
  };

  #onTick = (): void => {
    this._now = Date.now();
    if (this._win?.closed) {
      this._win = undefined;
      emit(this, 'kasir-close', { id: this._orderId! });
      void this.#loadOrder(); // the customer is back: look now rather than at the next poll
    }
  };

  #onVisibility = (): void => {
    if (document.hidden) clearTimeout(this.#poll);
    else if (this._order?.status === 'pending') void this.#loadOrder();
  };

  /** Back/forward cache: the page comes back as it was left, mid-redirect. */
  #onPageShow = (e: PageTransitionEvent): void => {
    if (e.persisted) this._phase = 'idle';
  };

  async #copy(): Promise<void> {
    try {
      await navigator.clipboard.writeText(this._order!.payCode!);
      this._copied = true;
    } catch {
      // No clipboard access: select the code, so the customer can copy it by hand.
      getSelection()?.selectAllChildren(this.renderRoot.querySelector('[part="pay-code"]')!);
    }
  }

  #retryForm(): void {
    clearTimeout(this.#poll);
    this._orderId = this._order = this._error = this._qr = this._win = this.#qrFor = undefined;
    this._copied = false;
  }

  override render(): TemplateResult | typeof nothing {
    const lang = this._lang;
    if (!lang) return nothing;
    return html`<div class="view" lang=${lang}>
      ${this._orderId ? this.#renderStatus(lang) : this.#renderForm(lang)}
    </div>`;
  }

  #renderForm(lang: Locale): TemplateResult {
    const busy = this._phase !== 'idle';
    const label = this._phase === 'redirecting' ? 'redirecting' : busy ? 'paying' : 'pay';
    return html`<form
      part="form"
      novalidate
      aria-busy=${this._loading ? 'true' : 'false'}
      @submit=${this.#onSubmit}
      @input=${this.#onInput}
      @focusout=${this.#onBlur}
    >
      ${this.#renderPicker(lang)} ${FIELDS.map((f) => this.#renderField(f, lang))} ${this.#renderError(lang)}
      <button part="button" type="submit" ?disabled=${busy || (this._loading && !this.provider)} aria-busy=${busy ? 'true' : 'false'}>
        ${t(lang, label)}
      </button>
    </form>`;
  }

  #renderPicker(lang: Locale): TemplateResult | typeof nothing {
    if (this.provider) return nothing;
    if (this._loading) return html`<p part="picker" aria-busy="true">${t(lang, 'methodsLoading')}</p>`;
    const providers = this._providers ?? [];
    if (providers.length < 2) return nothing;
    return html`<fieldset part="picker">
      <legend>${t(lang, 'method')}</legend>
      ${providers.map(
        (p) => html`<label>
          <input
            type="radio"
            name="provider"
            .value=${p.id}
            .checked=${p.id === this._selected}
            @change=${() => (this._selected = p.id)}
          />
          ${p.name} (${this.#estimate(p.currency, lang)})
        </label>`,
      )}
    </fieldset>`;
  }

  /** The cart's amount in a provider's currency, from the public catalog, for display only (the proxy prices the order); the bare currency when unknown. */
  #estimate(currency: string, lang: Locale): string {
    if (this.cart) return currency;
    let total = 0;
    for (const { sku, qty } of this.items ?? []) {
      const price = this._catalog?.find((i) => i.sku === sku)?.price[currency];
      if (price === undefined) return currency;
      total += price * qty;
    }
    return total ? formatAmount(total, currency, lang) : currency;
  }

  #renderField(f: Field, lang: Locale): TemplateResult {
    const code = this._fieldErrors[f];
    const id = `kasir-${f}`;
    const auto = f === 'phone' ? 'tel' : f;
    // A live region: a message that appears under the field is announced.
    return html`<div part="field" aria-live="polite">
      <label part="label" for=${id}>${t(lang, f)}</label>
      <input
        part="input"
        id=${id}
        name=${f}
        type=${f === 'name' ? 'text' : auto}
        autocomplete=${auto}
        ?required=${f === 'name' || this.#requires.includes(f as Requirement)}
        .value=${this._values[f]}
        aria-invalid=${code ? 'true' : 'false'}
        aria-describedby=${code ? `${id}-error` : nothing}
      />
      ${code
        ? html`<p part="field-error" id="${id}-error">
            ${translateCode(lang, code) ?? t(lang, f === 'name' ? 'name_required' : (`${f}_invalid` as const))}
          </p>`
        : nothing}
    </div>`;
  }

  #renderError(lang: Locale): TemplateResult | typeof nothing {
    const error = this._error;
    if (!error) return nothing;
    // A code without a translation gets a generic message: the proxy's English text is for developers.
    const generic = error.status && error.status < 500 ? 'request_failed' : 'server_error';
    const text = translateCode(lang, error.code) ?? t(lang, generic);
    return html`<p part="error" role="alert">${text}</p>`;
  }

  #renderStatus(lang: Locale): TemplateResult {
    const order = this._order;
    const status = order?.status === 'cancelled' ? 'failed' : order?.status;
    const title = status ? (translateCode(lang, status) ?? t(lang, 'pending')) : t(lang, 'checking');
    const pending = order?.status === 'pending';
    const code = pending && (order.qrString || order.qrUrl || order.payCode);
    const button = (key: 'reopen' | 'checkAgain' | 'tryAgain', onClick: () => void) =>
      html`<button part="action" type="button" @click=${onClick}>${t(lang, key)}</button>`;
    return html`<div
        part="status"
        tabindex="-1"
        data-status=${order?.status ?? nothing}
        aria-busy=${this._loading ? 'true' : 'false'}
      >
        <p class="title" role="status">${title}</p>
        ${order ? html`<p>${t(lang, 'amount')}: ${formatAmount(order.amount, order.currency, lang)}</p>` : nothing}
        ${pending && this._win ? html`<p>${t(lang, 'windowOpen')}</p>` : nothing}
        ${code ? this.#renderCode(order, lang) : nothing}
      </div>
      ${this.#renderError(lang)}
      ${pending && isHttpUrl(order.paymentUrl) ? button('reopen', this.#reopen) : nothing}
      ${order && RETRY_STATUSES.has(order.status)
        ? button('tryAgain', this.#retryForm)
        : !order || pending
          ? button('checkAgain', () => this.#loadOrder())
          : nothing}`;
  }

  #renderCode(order: CheckoutView, lang: Locale): TemplateResult {
    const { qrString, qrUrl, payCode } = order;
    const qr = this._qr;
    // The QR is for the eyes and the camera; the caption and the pay code say it in words.
    return html`<div part="qr">
      ${qrString
        ? qr &&
          html`<svg part="qr-image" aria-hidden="true" viewBox="0 0 ${qr.size} ${qr.size}"><path d=${qr.d}></path></svg>`
        : qrUrl && html`<img part="qr-image" alt="" src=${qrUrl} />`}
      ${qrString || qrUrl ? html`<p>${t(lang, 'scanQr')}</p>` : nothing}
      ${payCode
        ? html`<p>${t(lang, 'payCode')}: <code part="pay-code">${payCode}</code></p>
            <button part="copy" type="button" @click=${this.#copy}>${t(lang, 'copy')}</button>
            <p role="status">${this._copied ? t(lang, 'copied') : ''}</p>`
        : nothing}
      <p part="countdown" role="timer">
        ${t(lang, 'expiresIn')}: ${formatCountdown(Date.parse(order.expiresAt) - this._now)}
      </p>
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'kasir-checkout': KasirCheckout;
  }
}
