import { LitElement, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { safeParse } from 'valibot';
import {
  CustomerSchema,
  type CartItemInput,
  type CheckoutRequestInput,
  type CheckoutView,
  type CustomerInput,
  type CustomerOutput,
  type Locale,
  type ProviderId,
  type PublicConfig,
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
import { STATUS_EVENTS, emit, type KasirMode } from './events.js';
import { formatAmount, matchLocale, t, translateCode } from './i18n/index.js';
import { styles } from './kasir-checkout.styles.js';

type Field = 'name' | 'email' | 'phone';
const FIELDS: readonly Field[] = ['name', 'email', 'phone'];
const INPUT_TYPE: Readonly<Record<Field, string>> = { name: 'text', email: 'email', phone: 'tel' };
const AUTOCOMPLETE: Readonly<Record<Field, string>> = { name: 'name', email: 'email', phone: 'tel' };
const RETRY_STATUSES = new Set(['failed', 'cancelled', 'expired']);

type Phase = 'idle' | 'paying' | 'redirecting';

/** A proxy error about a customer field (`field: "customer.phone"`, or a code like `phone_required`). */
function fieldOf(error: KasirApiError): Field | undefined {
  return FIELDS.find((f) => error.field === `customer.${f}` || (!error.field && error.code.startsWith(`${f}_`)));
}

const itemsConverter = {
  fromAttribute(value: string | null): CartItemInput[] | undefined {
    try {
      const parsed: unknown = JSON.parse(value ?? '');
      return Array.isArray(parsed) ? (parsed as CartItemInput[]) : undefined;
    } catch {
      return undefined;
    }
  },
};

/**
 * A drop-in checkout: collects the customer's details, asks the Kasir proxy for a payment and
 * sends the customer to the provider's payment page; on the return page (`?kasir_order=<id>`) it
 * asks the proxy for the outcome and shows it. It never sends or trusts a price.
 *
 * @tag kasir-checkout
 *
 * @attr endpoint - Base URL of the Kasir proxy (empty: same origin).
 * @attr provider - Provider id (`winpay`, `faspay`, `uapay`, `amdigipay`); absent → a picker of the enabled ones.
 * @attr items - JSON array of `{sku, qty}`; the property takes the array.
 * @attr cart - A signed cart token minted by the merchant's backend; sent instead of `items`.
 * @attr return-url - Where the provider sends the customer back (default: this page without `kasir_order`).
 * @attr locale - `en` | `id` | `uk` (default: from `navigator.language`, else `en`).
 * @attr mode - `redirect` (default) | `popup` | `tab`; popup and tab currently redirect too.
 *
 * @fires {CustomEvent<CheckoutView>} kasir-created - The proxy created the checkout (201); detail is the CheckoutView.
 * @fires {CustomEvent<KasirOpenDetail>} kasir-open - The payment page is about to open; detail
 *   `{id, paymentUrl, mode}`.
 *   Cancelable: `preventDefault()` stops the widget from navigating (the storefront opens `paymentUrl` itself).
 * @fires {CustomEvent<CheckoutView>} kasir-pending - The returned-to order is still pending.
 * @fires {CustomEvent<CheckoutView>} kasir-paid - The returned-to order is paid (as confirmed by the proxy).
 * @fires {CustomEvent<CheckoutView>} kasir-failed - The returned-to order failed or was cancelled.
 * @fires {CustomEvent<CheckoutView>} kasir-expired - The returned-to order expired unpaid.
 * @fires {CustomEvent<KasirCloseDetail>} kasir-close - The payment popup / tab was closed (popup and tab modes; not
 *   fired in redirect mode).
 * @fires {CustomEvent<KasirErrorDetail>} kasir-error - A request failed; detail `{code, message, status, field?}`, `code`
 *   being the proxy's `error.code` or `network_error` (no response), `status` the HTTP status (0: none).
 *
 * @csspart form - The checkout form.
 * @csspart picker - The provider picker (a fieldset of radios), or its loading note.
 * @csspart field - The wrapper of one label + input + message.
 * @csspart label - A field's label.
 * @csspart input - A field's input (`name` = `name` | `email` | `phone`).
 * @csspart field-error - A field's validation message.
 * @csspart button - The pay button.
 * @csspart error - The alert showing a failed request.
 * @csspart status - The outcome panel on the return page (`data-status` = the order's status).
 * @csspart action - The secondary button of the outcome panel (check again / try again).
 *
 * @cssprop [--kasir-font=system-ui, sans-serif] - Font family.
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
 */
export class KasirCheckout extends LitElement {
  static override styles = styles;

  // Declared with `static properties` rather than decorators: the decorator helpers cost ~0.4 kB gzip.
  static override properties = {
    endpoint: {},
    provider: {},
    items: { converter: itemsConverter },
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
    _configLoading: { state: true },
    _orderId: { state: true },
    _order: { state: true },
    _orderLoading: { state: true },
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
  private _selected?: ProviderId;
  private _configLoading = false;
  private _orderId?: string;
  private _order?: CheckoutView;
  private _orderLoading = false;

  /** Key and body of the last attempt, kept only when it may have reached the provider. */
  #retry?: { key: string; body: string };
  #dirty = new Set<Field>();
  /** What the GETs were last started for, so a re-render does not refetch. */
  #requested?: string;
  #loadCtrl?: AbortController;
  #payCtrl?: AbortController;

  /** Opens the payment page; override (or replace on the instance) to intercept navigation. */
  navigate(url: string): void {
    location.assign(url);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // Only the first connection reads the URL: a moved element keeps what the customer did since.
    if (!this.hasUpdated) this._orderId = readOrderParam(location.href);
    addEventListener('pageshow', this.#onPageShow);
    this.requestUpdate();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    removeEventListener('pageshow', this.#onPageShow);
    this.#loadCtrl?.abort();
    this.#payCtrl?.abort();
    this.#requested = undefined;
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
    // The return page needs the order; the form needs the config only when there is no provider.
    const wanted = this._orderId
      ? `order ${this.endpoint} ${this._orderId}`
      : this.provider
        ? undefined
        : `config ${this.endpoint}`;
    if (wanted && wanted !== this.#requested) {
      this.#requested = wanted;
      void (this._orderId ? this.#loadOrder() : this.#loadConfig());
    }
  }

  get #lang(): Locale {
    return matchLocale(this.locale) ?? matchLocale(navigator.language) ?? 'en';
  }

  #newLoad(): AbortSignal {
    this.#loadCtrl?.abort();
    this.#loadCtrl = new AbortController();
    return this.#loadCtrl.signal;
  }

  async #loadConfig(): Promise<void> {
    const signal = this.#newLoad();
    this._configLoading = true;
    this._error = undefined;
    try {
      const { providers } = await getConfig(this.endpoint, signal);
      this._providers = providers;
      if (!providers.some((p) => p.id === this._selected)) this._selected = providers[0]?.id;
      if (!providers.length) this.#fail(new KasirApiError('no_providers', 'No provider is enabled', 200));
    } catch (err) {
      this.#fail(err);
    } finally {
      if (!signal.aborted) this._configLoading = false;
    }
  }

  async #loadOrder(): Promise<void> {
    const id = this._orderId;
    if (!id) return;
    const signal = this.#newLoad();
    this._orderLoading = true;
    this._order = undefined;
    this._error = undefined;
    try {
      const order = await getCheckout(this.endpoint, id, signal);
      this._order = order;
      const name = STATUS_EVENTS[order.status];
      if (name) emit(this, name, order);
    } catch (err) {
      this.#fail(err);
    } finally {
      if (!signal.aborted) this._orderLoading = false;
    }
  }

  #fail(err: unknown): void {
    const error = toApiError(err);
    if (error.code === ABORTED) return;
    this._error = error;
    const field = fieldOf(error);
    if (field) {
      this._fieldErrors = { ...this._fieldErrors, [field]: error.code };
      void this.updateComplete.then(() => this.#focusInvalid());
    }
    const { code, message, status } = error;
    emit(this, 'kasir-error', error.field ? { code, message, status, field: error.field } : { code, message, status });
  }

  /** Validates `fields` against CustomerSchema (the proxy's own schema); returns the customer if all is valid. */
  #validate(fields: readonly Field[]): CustomerOutput | undefined {
    const input: Record<string, string> = {};
    for (const f of FIELDS) {
      const value = this._values[f].trim();
      if (value || f === 'name') input[f] = value;
    }
    const result = safeParse(CustomerSchema, input);
    const errors = { ...this._fieldErrors };
    for (const f of fields) delete errors[f];
    for (const issue of result.issues ?? []) {
      const f = issue.path?.[0]?.key as Field;
      if (fields.includes(f)) errors[f] ??= issue.message;
    }
    this._fieldErrors = errors;
    return result.success ? result.output : undefined;
  }

  #focusInvalid(): void {
    this.renderRoot.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }

  #onInput(e: Event): void {
    const { name, value } = e.target as HTMLInputElement;
    const f = FIELDS.find((x) => x === name);
    if (!f) return;
    this._values = { ...this._values, [f]: value };
    this.#dirty.add(f);
    if (this._fieldErrors[f]) this.#validate([f]);
  }

  #onBlur(e: Event): void {
    const f = FIELDS.find((x) => x === (e.target as HTMLInputElement).name);
    if (f && this.#dirty.has(f)) this.#validate([f]);
  }

  async #onSubmit(e: Event): Promise<void> {
    e.preventDefault();
    if (this._phase !== 'idle') return; // a second click while in flight: one request only
    const customer = this.#validate(FIELDS);
    if (!customer) {
      await this.updateComplete;
      this.#focusInvalid();
      return;
    }
    const provider = this.provider || this._selected;
    if (!provider) {
      if (!this._configLoading) void this.#loadConfig();
      return;
    }
    if (!this.cart && !this.items?.length) {
      this.#fail(new KasirApiError('items_or_cart', 'Neither items nor cart is set'));
      return;
    }
    const body: CheckoutRequestInput = {
      provider: provider as ProviderId,
      ...(this.cart ? { cart: this.cart } : { items: this.items?.map(({ sku, qty }) => ({ sku, qty })) }),
      customer,
      returnUrl: this.returnUrl || defaultReturnUrl(location.href),
      locale: this.#lang,
    };
    const json = JSON.stringify(body);
    // Reusing the key after a failure that may have reached the provider makes the retry idempotent.
    const key = this.#retry?.body === json ? this.#retry.key : newIdempotencyKey();
    this.#retry = undefined;
    this._phase = 'paying';
    this._error = undefined;
    this.#payCtrl = new AbortController();
    try {
      const view = await createCheckout(this.endpoint, body, key, this.#payCtrl.signal);
      emit(this, 'kasir-created', view);
      this.#open(view);
    } catch (err) {
      const error = toApiError(err);
      if (error.retryable) this.#retry = { key, body: json };
      this._phase = 'idle';
      this.#fail(error);
    }
  }

  #open(view: CheckoutView): void {
    const { protocol } = new URL(view.paymentUrl, 'invalid:/');
    if (protocol !== 'https:' && protocol !== 'http:') {
      throw new KasirApiError('invalid_response', 'paymentUrl is not an http(s) URL', 201);
    }
    this._phase = 'redirecting';
    if (emit(this, 'kasir-open', { id: view.id, paymentUrl: view.paymentUrl, mode: this.mode }, true)) {
      this.navigate(view.paymentUrl);
    } else {
      this._phase = 'idle';
    }
  }

  /** Back/forward cache: the page comes back as it was left, mid-redirect. */
  #onPageShow = (e: PageTransitionEvent): void => {
    if (e.persisted) this._phase = 'idle';
  };

  #retryForm(): void {
    this._orderId = undefined;
    this._order = undefined;
    this._error = undefined;
  }

  override render(): TemplateResult {
    const lang = this.#lang;
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
      @submit=${this.#onSubmit}
      @input=${this.#onInput}
      @focusout=${this.#onBlur}
    >
      ${this.#renderPicker(lang)} ${FIELDS.map((f) => this.#renderField(f, lang))} ${this.#renderError(lang)}
      <button part="button" type="submit" ?disabled=${busy || this._configLoading} aria-busy=${busy ? 'true' : 'false'}>
        ${t(lang, label)}
      </button>
    </form>`;
  }

  #renderPicker(lang: Locale): TemplateResult | typeof nothing {
    if (this.provider) return nothing;
    if (this._configLoading) return html`<p part="picker" aria-busy="true">${t(lang, 'methodsLoading')}</p>`;
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
          ${p.name} (${p.currency})
        </label>`,
      )}
    </fieldset>`;
  }

  #renderField(f: Field, lang: Locale): TemplateResult {
    const code = this._fieldErrors[f];
    const id = `kasir-${f}`;
    return html`<div part="field">
      <label part="label" for=${id}>${t(lang, f)}</label>
      <input
        part="input"
        id=${id}
        name=${f}
        type=${INPUT_TYPE[f]}
        autocomplete=${AUTOCOMPLETE[f]}
        ?required=${f === 'name'}
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
    const loading = this._orderLoading;
    const status = order?.status === 'cancelled' ? 'failed' : order?.status;
    const title = status ? (translateCode(lang, status) ?? t(lang, 'pending')) : loading ? t(lang, 'checking') : '';
    let action: TemplateResult | typeof nothing = nothing;
    if (!loading && (!order || order.status === 'pending')) {
      action = html`<button part="action" type="button" @click=${this.#loadOrder}>${t(lang, 'checkAgain')}</button>`;
    } else if (order && RETRY_STATUSES.has(order.status)) {
      action = html`<button part="action" type="button" @click=${this.#retryForm}>${t(lang, 'tryAgain')}</button>`;
    }
    return html`<div
        part="status"
        role="status"
        data-status=${order?.status ?? nothing}
        aria-busy=${loading ? 'true' : 'false'}
      >
        <p class="title">${title}</p>
        ${order ? html`<p>${t(lang, 'amount')}: ${formatAmount(order.amount, order.currency, lang)}</p>` : nothing}
      </div>
      ${this.#renderError(lang)} ${action}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'kasir-checkout': KasirCheckout;
  }
}
