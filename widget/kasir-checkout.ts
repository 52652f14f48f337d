// The element: its attributes, its state machine (form → paying → order panel → outcome), its
// events and its memory of the pending order. What it shows is drawn by the screens in
// widget/screens/: the form is built in; the picker and summary (kasir-checkout chunk), the order
// panel (kasir-order chunk), the bank steps and the QR encoder load on demand.
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
  PublicMethod,
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
import { loadBanks, loadCheckout, loadOrder, loadQr, loadValidator } from './chunks.js';
import { emit, statusEvent, type KasirMode } from './events.js';
import { loadMessages, matchLocale, t, translateCode, type MessageKey } from './i18n/index.js';
import { styles } from './kasir-checkout.styles.js';
import type { QrDrawing } from './qr.js';
import { FIELDS, renderForm, type Field } from './screens/form.js';
import type { Cart } from './screens/cart.js';
import type { Kit, Strings, Summary } from './screens/kit.js';
import type { checkCustomer } from './validate.js';

/** Polling of a pending order: the first delay, which grows ×1.5 up to the ceiling. */
const POLL_FIRST_MS = 2000;
const POLL_MAX_MS = 30_000;
/** Same-origin channel between a return page in a payment window and the widget that opened it. */
const CHANNEL = 'kasir-checkout';
/** sessionStorage key prefix of the pending order, per endpoint. */
const MEMORY = 'kasir-order:';
/**
 * The longest the element stays empty, waiting for the config and the picker: when they come
 * sooner the form is drawn once, whole, instead of as a shell that the picker then pushes down
 * (drawing the shell first, on a slow phone, would hold up the picker).
 */
const HOLD_MS = 500;

type Phase = 'idle' | 'paying' | 'redirecting';
type Requirement = PublicConfig['providers'][number]['requires'][number];
type CheckoutUi = typeof import('./screens/checkout.js');
type OrderUi = typeof import('./screens/order.js');
type BanksUi = typeof import('./banks/banks.js');
interface Ui {
  checkout?: CheckoutUi;
  order?: OrderUi;
  banks?: BanksUi;
}

/** A proxy error about a customer field (`field: "customer.phone"`, or a code like `phone_required`). */
function fieldOf(error: KasirApiError): Field | undefined {
  return FIELDS.find((f) => error.field === `customer.${f}` || (!error.field && error.code.startsWith(`${f}_`)));
}

function isHttpUrl(url: string): boolean {
  return /^https?:$/.test(new URL(url, 'invalid:/').protocol);
}

/** One CSSStyleSheet per css text (the element's own and each chunk's), shared by every element. */
const SHEETS = new Map<string, CSSStyleSheet>();

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
 * A drop-in checkout: shows the order summary and total, lets the shopper choose a payment method
 * (grouped: virtual account, QRIS, e-wallet, retail outlet, card), collects their details, asks the
 * Kasir proxy for a payment, and lets them pay — on the provider's page (redirect, popup or new
 * tab), or on a QR code or pay code shown in place when the proxy returns `qrString` or `payCode`
 * (with the bank's steps, a copy button, a countdown and the deadline) — then shows the outcome the
 * proxy confirms: a receipt when paid; cancelled, failed and expired each with a way back to the
 * form, the details kept. On a return page (`?kasir_order=<id>`) it asks the proxy for the outcome;
 * it never trusts the URL for it, and it never sends or trusts a price.
 *
 * The pending order is remembered for the tab's session (sessionStorage, per endpoint): back, reload
 * or the shop's URL typed again show that order's state, not an empty form, until the shopper starts
 * again. While an order is pending and shown it polls `GET /v1/checkouts/:id`: after 2 s, then ×1.5
 * up to 30 s; it stops when the order is final, while the page is hidden (and looks again when it is
 * shown), and after `expiresAt`.
 *
 * The picker, the summary, the order panel, the bank steps, the QR encoder and the id/uk tables load
 * on demand from beside the script (`data-kasir-base` on the script tag, or `setBasePath()`, moves
 * them); until a language's table arrives the widget speaks English. A part that cannot load says so
 * where it was needed and fires `kasir-error` (`chunk_unavailable`). The form is drawn when its
 * config and picker are in, or after 500 ms with a loading note, whichever is first: it appears
 * whole rather than as a shell that the picker then pushes down.
 *
 * @tag kasir-checkout
 *
 * @attr endpoint - Base URL of the Kasir proxy (empty: same origin).
 * @attr provider - Provider id (`winpay`, `faspay`, `uapay`, `amdigipay`): only its methods are offered; absent → every method the proxy lists.
 * @attr items - JSON array of `{sku, qty}`; the property takes the array.
 * @attr cart - A signed cart token minted by the merchant's backend; sent instead of `items`.
 * @attr return-url - Where the provider sends the customer back (default: this page without `kasir_order`).
 * @attr locale - `en` | `id` | `uk` (default: the browser's first supported language, else `en`).
 * @attr locale-switch - Boolean: shows a language menu, so the shopper can switch language.
 * @attr mode - `redirect` (default): this page goes to the payment page. `popup`: a popup window,
 *   opened inside the click so blockers allow it (blocked anyway → redirect). `tab`: a new tab.
 *   In popup and tab modes the widget stays and shows the outcome in place.
 *
 * @fires {CustomEvent<CheckoutView>} kasir-created - The proxy created the checkout (201); detail is the CheckoutView.
 * @fires {CustomEvent<KasirOpenDetail>} kasir-open - The payment page is about to open; detail
 *   `{id, paymentUrl, mode}` (`mode` is `redirect` when a blocked popup fell back to it). Not fired
 *   for a QR or pay code, which is shown in place. Cancelable: `preventDefault()` stops the widget
 *   from opening anything (the storefront opens `paymentUrl` itself).
 * @fires {CustomEvent<CheckoutView>} kasir-pending - The order was seen pending (return page, a remembered order, or a change back to it).
 * @fires {CustomEvent<CheckoutView>} kasir-paid - The order is paid, as the proxy confirms it.
 * @fires {CustomEvent<CheckoutView>} kasir-failed - The order failed or was cancelled.
 * @fires {CustomEvent<CheckoutView>} kasir-expired - The order expired unpaid.
 * @fires {CustomEvent<KasirCloseDetail>} kasir-close - The payment popup or tab closed after its
 *   return page told the widget it was back; detail `{id}`. A window closed earlier is not reported:
 *   a provider page that sends `Cross-Origin-Opener-Policy` makes an open window look closed, so the
 *   widget cannot tell; it keeps following the order and offers to open the payment page again.
 * @fires {CustomEvent<KasirErrorDetail>} kasir-error - Something failed; detail `{code, message, status, field?}`:
 *   `code` is the proxy's `error.code` or the widget's own (`network_error`, `server_error`,
 *   `request_failed`, `invalid_response`, `items_or_cart`, `no_providers`, `qr_unavailable`,
 *   `chunk_unavailable`), `status` the HTTP status (0: none), `field` the request field at fault.
 *
 * @csspart form - The checkout form.
 * @csspart summary - The order summary (lines and total) above the form.
 * @csspart picker - The method picker (a fieldset of radios grouped by kind), or its loading note.
 * @csspart method - One method's label (icon or logo, name, amount) in the picker.
 * @csspart field - The wrapper of one label + input + message.
 * @csspart label - A field's label.
 * @csspart input - A field's input (`name` = `name` | `email` | `phone`).
 * @csspart field-error - A field's validation message.
 * @csspart button - The pay button (it says the amount when the cart's total is known).
 * @csspart error - The alert showing a failed request.
 * @csspart locale-switch - The language menu (`locale-switch` attribute).
 * @csspart status - The order panel (`data-status` = the order's status).
 * @csspart action - A secondary button under the order panel (open the payment page, check again, try again, choose another method, continue shopping, print).
 * @csspart qr - The QR / pay code panel, with the countdown and the deadline.
 * @csspart qr-image - The QR code (an SVG drawn from `qrString`, or an image from `qrUrl`).
 * @csspart save-qr - The button saving the QR as a PNG.
 * @csspart app-link - On a phone, the link opening the provider's page or app.
 * @csspart pay-code - The pay code (virtual account or store code), in groups of four.
 * @csspart copy - The button copying the pay code.
 * @csspart steps - How to pay at the bank (ATM, mobile, internet banking).
 * @csspart countdown - The time left until `expiresAt`.
 * @csspart deadline - `expiresAt` as a time in the shopper's zone ("Pay before 17:14 WIB").
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
  // Declared with `static properties` rather than decorators: the decorator helpers cost ~0.4 kB gzip.
  static override properties = {
    endpoint: {},
    provider: {},
    // Lit's Array converter: JSON.parse, null when the attribute is not JSON.
    items: { type: Array },
    cart: {},
    returnUrl: { attribute: 'return-url' },
    locale: {},
    localeSwitch: { type: Boolean, attribute: 'locale-switch' },
    mode: {},
    customer: { attribute: false },
    _values: { state: true },
    _fieldErrors: { state: true },
    _phase: { state: true },
    _error: { state: true },
    _config: { state: true },
    _selected: { state: true },
    _loading: { state: true },
    _orderId: { state: true },
    _order: { state: true },
    _lang: { state: true },
    _qr: { state: true },
    _now: { state: true },
    _copied: { state: true },
    _win: { state: true },
    _ui: { state: true },
    _failed: { state: true },
  };

  endpoint = '';
  provider?: string;
  items?: CartItemInput[];
  cart?: string;
  returnUrl?: string;
  locale?: string;
  localeSwitch = false;
  mode: KasirMode = 'redirect';
  /** Prefill of the form: `{name?, email?, phone?}`. */
  customer?: Partial<CustomerInput>;

  private _values: Record<Field, string> = { name: '', email: '', phone: '' };
  private _fieldErrors: Partial<Record<Field, string>> = {};
  private _phase: Phase = 'idle';
  private _error?: KasirApiError;
  private _config?: PublicConfig;
  /** The chosen method's id. */
  private _selected?: string;
  /** A GET is in flight: the config for the form, the order for its panel. */
  private _loading = false;
  private _orderId?: string;
  private _order?: CheckoutView;
  /** The language shown: the wanted one once its table has loaded (English until then). */
  private _lang?: Locale;
  private _qr?: QrDrawing | 'failed';
  /** The clock of the countdown, advanced every second while an order is pending. */
  private _now = 0;
  private _copied = false;
  /** The payment popup or tab this widget opened, until it knows the window is closed. */
  private _win?: Window;
  /** The screens loaded on demand so far. */
  private _ui: Ui = {};
  /** Chunks that could not load. */
  private _failed: readonly string[] = [];

  /** Key and body of the last attempt, kept only when it may have reached the provider. */
  #retry?: { key: string; body: string };
  #dirty = new Set<Field>();
  /** What the GETs were last started for, so a re-render does not refetch. */
  #requested?: string;
  #loadCtrl?: AbortController;
  #payCtrl?: AbortController;
  /** What the view loads on demand, awaited by updateComplete. */
  #loads = new Set<Promise<unknown>>();
  #check?: typeof checkCustomer;
  #validating?: boolean;
  /** This page is a return page (it had `kasir_order` when the element first connected). */
  #returned = false;
  /** The order shown was found again (return page, remembered order): bring it into view when it arrives. */
  #reveal = false;
  #qrFor?: string;
  #poll?: ReturnType<typeof setTimeout>;
  #tick?: ReturnType<typeof setInterval>;
  #channel?: BroadcastChannel;
  /** Our payment window's return page said it is back (so its closing is the one we expect). */
  #winBack = false;
  /** Nothing is drawn until the form's config has arrived, HOLD_MS at most; updateComplete waits for the drawing. */
  #holding = true;

  /** Opens the payment page in redirect mode; override (or replace on the instance) to intercept navigation. */
  navigate(url: string): void {
    location.assign(url);
  }

  protected override createRenderRoot(): ShadowRoot {
    const root = super.createRenderRoot() as ShadowRoot;
    this.#adopt(styles, root);
    return root;
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
      this._orderId ??= this.#memory();
      this.#reveal = !!this._orderId;
    }
    // The order panel shows at once; only the form waits for its picker.
    if (this._orderId) this.#holding = false;
    addEventListener('pageshow', this.#onPageShow);
    document.addEventListener('visibilitychange', this.#onVisibility);
    this.requestUpdate();
  }

  #unhold = (): void => {
    // Only a hold that ran out needs an update (the config's arrival made one); a removed element
    // is not woken (it would fetch its config again).
    if (this.#holding && this.isConnected) this.requestUpdate();
    this.#holding = false;
  };

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

  protected override shouldUpdate(changed: PropertyValues<this>): boolean {
    // The checkout chunk alone changes nothing while the config is on its way: #loadConfig waits
    // for both, and the form is drawn once, with its picker.
    return !(changed.size === 1 && changed.has('_ui' as keyof KasirCheckout) && this._loading && !this._orderId);
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
      if (loading) this.#wait(loading.then(() => this.#locale === lang && (this._lang = lang)));
      else this._lang = lang;
    }
    // The checkout chunk holds the cart and the money format: the order panel shows amounts too.
    this.#need('checkout', loadCheckout);
    if (this._orderId) this.#need('order', loadOrder);
    // The order panel needs the order; the form needs the config (the picker, required fields).
    const wanted = this._orderId ? `order ${this.endpoint} ${this._orderId}` : `config ${this.endpoint}`;
    if (wanted !== this.#requested) {
      this.#requested = wanted;
      const load = this._orderId ? this.#loadOrder() : this.#loadConfig();
      // The form is drawn when its config is in, or after HOLD_MS; updateComplete waits for that.
      if (this.#holding) this.#wait(Promise.race([load, new Promise((r) => setTimeout(r, HOLD_MS))]).then(this.#unhold));
    }
    if (!this._loading) this.#holding = false;
  }

  protected override updated(): void {
    // The validator matters once the shopper types: it is asked for once the config request has
    // settled (after this render's DOM changes have been seen), so that its request, and its
    // evaluation when it arrives, do not come before a usable form. Until then the proxy's answer
    // places the field errors.
    if (!this._orderId && !this._loading && !this.#validating) {
      this.#validating = true;
      this.#wait(Promise.resolve().then(loadValidator).then((m) => (this.#check = m.checkCustomer), () => {}));
    }
    // One clock for the countdown and for noticing that the payment window was closed.
    const ticking = this._order?.status === 'pending' || !!this._win;
    if (ticking && !this.#tick) this.#tick = setInterval(this.#onTick, 1000);
    if (!ticking) {
      clearInterval(this.#tick);
      this.#tick = undefined;
    }
  }

  /** Also waits for what the view loads on demand (its language's table, the screens, the validator). */
  protected override async getUpdateComplete(): Promise<boolean> {
    await super.getUpdateComplete();
    while (this.#loads.size) await Promise.all(this.#loads);
    return super.getUpdateComplete();
  }

  #wait(load: Promise<unknown>): void {
    const settled = load.finally(() => this.#loads.delete(settled));
    this.#loads.add(settled);
  }

  /** Loads a screen chunk once; if it cannot load, says so where it was needed and fires kasir-error. */
  #need<K extends keyof Ui>(name: K, load: () => Promise<NonNullable<Ui[K]>>): void {
    if (this._ui[name] || this._failed.includes(name) || this.#needed.has(name)) return;
    this.#needed.add(name);
    this.#wait(
      load().then(
        (ui) => {
          // Its styles join the element's as it arrives, not in the render that first needs them.
          if ('css' in ui) this.#adopt(ui.css);
          this._ui = { ...this._ui, [name]: ui };
        },
        () => {
          this._failed = [...this._failed, name];
          this.#fail(new KasirApiError('chunk_unavailable', `kasir-${name}.js could not be loaded`));
        },
      ),
    );
  }
  #needed = new Set<string>();

  #adopt(css: string, root = this.renderRoot as ShadowRoot): void {
    let sheet = SHEETS.get(css);
    if (!sheet) SHEETS.set(css, (sheet = new CSSStyleSheet())).get(css)!.replaceSync(css);
    if (!root.adoptedStyleSheets.includes(sheet)) root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
  }

  get #locale(): Locale {
    return matchLocale(this.locale) ?? navigator.languages.map(matchLocale).find(Boolean) ?? 'en';
  }

  get #memoryKey(): string {
    return MEMORY + (this.endpoint || location.origin);
  }

  /**
   * The order this tab is paying through this endpoint: read it (no argument), remember an id, or
   * forget it (`null`). Storage refused (privacy settings): nothing is remembered.
   */
  #memory(id?: string | null): string | undefined {
    try {
      if (id) sessionStorage.setItem(this.#memoryKey, id);
      else if (id === null) sessionStorage.removeItem(this.#memoryKey);
      else return sessionStorage.getItem(this.#memoryKey) ?? undefined;
    } catch {}
    return undefined;
  }

  /** What the checkout chunk needs to know of the cart. */
  get #cart(): Cart {
    return { config: this._config, provider: this.provider, items: this.items, cart: this.cart };
  }

  /** The methods offered (none until the checkout chunk has loaded). */
  get #methods(): PublicMethod[] {
    return this._ui.checkout?.methodsOf(this.#cart) ?? [];
  }

  get #method(): PublicMethod | undefined {
    const methods = this.#methods;
    return methods.find((m) => m.id === this._selected) ?? methods[0];
  }

  /** The provider to pay with: the attribute's, the method's, or (without the checkout chunk) the first enabled. */
  get #provider(): ProviderId | undefined {
    return (this.provider || this.#method?.provider || this._config?.providers[0]?.id) as ProviderId | undefined;
  }

  get #requires(): readonly Requirement[] {
    return this._config?.providers.find((p) => p.id === this.#provider)?.requires ?? [];
  }

  /** The cart's lines and total in `currency` (default: the chosen provider's), for display only. */
  #summary(currency?: string): Summary | undefined {
    const ui = this._ui.checkout;
    return ui?.summaryOf(this.#cart, currency ?? ui.currencyOf(this._config, this.#provider));
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
      // With the checkout chunk too (or its failure): the config alone would draw a form without
      // its picker and amount, only to draw it again when the chunk arrives.
      const [config] = await Promise.all([getConfig(this.endpoint, signal), loadCheckout().catch(() => {})]);
      if (signal.aborted) return; // a prefetched answer does not see the signal
      this._config = config;
      if (!config.providers.length) this.#fail(new KasirApiError('no_providers', 'No provider enabled', 200));
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
    // A reloaded or returning page has no config yet: fetched beside the order, for the method's
    // label and the merchant's name on the receipt and the QR; the order shows without it.
    if (!this._config) getConfig(this.endpoint).then((c) => (this._config = c), () => {});
    try {
      this.#show(await getCheckout(this.endpoint, id, signal), next);
    } catch (err) {
      // A remembered order the proxy no longer knows: forget it and show the form.
      if (!this.#returned && toApiError(err).code === 'order_not_found') return this.#restart();
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
      this.#wait(
        loadQr().then(
          ({ drawQr }) => this.#qrFor === text && (this._qr = drawQr(text)),
          () => {
            this._qr = 'failed';
            this.#fail(new KasirApiError('qr_unavailable', 'QR encoder not loaded'), false);
          },
        ),
      );
    }
    if (this.#reveal) {
      // Back from a payment page, or found again: the outcome comes into view and takes the focus.
      this.#reveal = false;
      void this.updateComplete.then(() => {
        const panel = this.renderRoot.querySelector<HTMLElement>('[part="status"]');
        panel?.scrollIntoView({ block: 'center' });
        panel?.focus({ preventScroll: true });
      });
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

  /** Reports an error (kasir-error), shown in the form's or the panel's alert unless `alert` is false. */
  #fail(err: unknown, alert = true): void {
    const error = toApiError(err);
    if (error.code === ABORTED) return;
    if (alert) this._error = error;
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

  #onInput = (e: Event): void => {
    const { name: f, value } = e.target as HTMLInputElement & { name: Field };
    if (!FIELDS.includes(f)) return;
    this._values = { ...this._values, [f]: value };
    this.#dirty.add(f);
    if (this._fieldErrors[f]) this.#validate([f]);
  };

  #onBlur = (e: Event): void => {
    const f = (e.target as HTMLInputElement).name as Field;
    if (this.#dirty.has(f)) this.#validate([f]);
  };

  #onSubmit = async (e: Event): Promise<void> => {
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
    // `method` only when the proxy lists methods (a proxy that lists none does not know the field).
    const method = this._config?.methods ? this.#method?.id : undefined;
    const body: CheckoutRequestInput & { method?: string } = {
      provider,
      ...(method && { method }),
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
    // The order panel loads beside the POST, so it is there when the answer is.
    this.#need('order', loadOrder);
    try {
      const view = await createCheckout(this.endpoint, body, key, this.#payCtrl.signal);
      this.#memory(view.id);
      emit(this, 'kasir-created', view);
      this.#open(view, win);
    } catch (err) {
      win?.close();
      const error = toApiError(err);
      if (error.retryable) this.#retry = { key, body: json };
      this._phase = 'idle';
      this.#fail(error);
    }
  };

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
      this.#follow(win);
      this.#showHere(view);
    } else {
      this.navigate(view.paymentUrl);
    }
  }

  #follow(win: Window): void {
    this._win = win;
    this.#winBack = false;
    this.#listen();
  }

  /** Swaps the form for the order panel (the creation already announced the order) and focuses it. */
  #showHere(view: CheckoutView): void {
    this._phase = 'idle';
    this.#requested = `order ${this.endpoint} ${view.id}`;
    this.#show(view, POLL_FIRST_MS, false);
    void this.updateComplete.then(() => this.#focus('[part="status"]'));
  }

  #reopen = (): void => {
    const win = this._win;
    if (win && !win.closed) return win.focus();
    const url = this._order!.paymentUrl;
    const next = this.mode === 'popup' || this.mode === 'tab' ? openPaymentWindow(this.mode, url) : null;
    if (!next) return this.navigate(url);
    this.#follow(next);
  };

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
      this.#winBack = true;
      this.#channel?.postMessage({ ack: id });
      void this.#loadOrder();
    } else if (data?.ack === id && this.#returned) {
      close();
    }
  };

  #onTick = (): void => {
    this._now = Date.now();
    if (!this._win?.closed) return;
    // `closed` also reads true, at once, when the provider's page sends Cross-Origin-Opener-Policy:
    // the window is open but hidden from us. So it proves nothing while the order is pending; it
    // means "closed" once our return page in that window said it was back (it then closes itself).
    if (this.#winBack) {
      this._win = undefined;
      emit(this, 'kasir-close', { id: this._orderId! });
      void this.#loadOrder(); // look now rather than at the next poll
    } else if (this._order?.status !== 'pending') this._win = undefined;
  };

  #onVisibility = (): void => {
    if (document.hidden) clearTimeout(this.#poll);
    else if (this._order?.status === 'pending') void this.#loadOrder();
  };

  /** Back/forward cache: the page comes back as it was left, mid-redirect: show the order it left for. */
  #onPageShow = (e: PageTransitionEvent): void => {
    if (!e.persisted) return;
    this._phase = 'idle';
    const id = this.#memory();
    if (id && !this._orderId) {
      this._orderId = id;
      this.#reveal = true;
    } else if (this._order?.status === 'pending') void this.#loadOrder();
  };

  /** Back to the form, the shopper's details kept; the order is forgotten (and the return URL's parameter dropped). */
  #restart = (): void => {
    clearTimeout(this.#poll);
    this.#memory(null);
    if (readOrderParam(location.href)) history.replaceState(history.state, '', defaultReturnUrl(location.href));
    this.#returned = false;
    this._orderId = this._order = this._error = this._qr = this._win = this.#qrFor = undefined;
    this._copied = false;
    this._phase = 'idle';
  };

  #kit(lang: Locale): Kit {
    return {
      html,
      nothing,
      lang,
      t: (key: MessageKey) => t(lang, key),
      // Called only by what the checkout chunk has loaded for (summary, picker, order panel).
      money: (amount, currency) => this._ui.checkout!.formatAmount(amount, currency, lang),
      pick: <K extends string>(table: Strings<K>, key: K) => table[lang]?.[key] || table.en[key],
    };
  }

  override render(): TemplateResult | typeof nothing {
    // Never blank: English (built in) until the wanted language's table has arrived.
    const lang = this._lang ?? 'en';
    // Nothing while the config is on its way (HOLD_MS at most): the form is drawn once, whole.
    if (this.#holding) return nothing;
    const kit = this.#kit(lang);
    return html`<div class="view" lang=${lang}>
      ${this._orderId ? this.#renderOrder(kit) : this.#renderForm(kit)}
    </div>`;
  }

  #renderForm(kit: Kit): TemplateResult {
    const ui = this._ui.checkout;
    const summary = this.#summary();
    const methods = this.#methods;
    let picker: TemplateResult | typeof nothing = nothing;
    if (!this.provider && this._loading) {
      picker = html`<p part="picker" aria-busy="true">${kit.t('methodsLoading')}</p>`;
    } else if (ui && methods.length > 1) {
      picker = ui.renderPicker(
        {
          cart: this.#cart,
          methods,
          selected: this.#method?.id,
          select: (id) => (this._selected = id),
        },
        kit,
      );
    }
    return renderForm(
      {
        busy: this._phase === 'idle' ? false : this._phase,
        waiting: this._loading && !this.provider,
        loading: this._loading,
        values: this._values,
        errors: this._fieldErrors,
        required: (f) => f === 'name' || this.#requires.includes(f as Requirement),
        total: summary && kit.money(summary.total, summary.currency),
        summary: ui
          ? html`${this.localeSwitch ? ui.renderLocaleSwitch(this.#locale, (l) => (this.locale = l), kit) : nothing}
            ${summary ? ui.renderSummary(summary, kit) : nothing}`
          : nothing,
        picker,
        error: this.#renderError(kit),
        on: { submit: this.#onSubmit, input: this.#onInput, blur: this.#onBlur },
      },
      kit,
    );
  }

  #renderError(kit: Kit): TemplateResult | typeof nothing {
    const error = this._error;
    if (!error) return nothing;
    // A code without a translation gets a generic message: the proxy's English text is for developers.
    const generic = error.status && error.status < 500 ? 'request_failed' : 'server_error';
    const text = translateCode(kit.lang, error.code) ?? kit.t(generic);
    return html`<p part="error" role="alert">${text}</p>`;
  }

  #renderOrder(kit: Kit): TemplateResult {
    const order = this._order;
    const ui = this._ui.order;
    const error = this.#renderError(kit);
    if (order && ui && this._ui.checkout) {
      return ui.renderOrder(
        {
          order,
          loading: this._loading,
          error,
          config: this._config,
          now: this._now,
          qr: this._qr,
          copied: this._copied,
          windowOpen: !!this._win,
          summary: this.#summary(order.currency),
          banks: this._ui.banks,
          on: {
            copied: () => (this._copied = true),
            reopen: this.#reopen,
            check: () => void this.#loadOrder(),
            restart: this.#restart,
            needBanks: () => this.#need('banks', loadBanks),
          },
        },
        kit,
      );
    }
    // No order yet, or its panel's chunk is loading (or cannot load): say so, and offer a way on.
    return html`<div part="status" tabindex="-1" aria-busy=${this._loading ? 'true' : 'false'}>
        <p class="title" role="status">${kit.t('checking')}</p>
        ${this._failed.some((chunk) => chunk !== 'banks') ? html`<p part="error" role="alert">${kit.t('chunk_unavailable')}</p>` : nothing}
      </div>
      ${error}
      <button part="action" type="button" @click=${() => this.#loadOrder()}>${kit.t('checkAgain')}</button>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'kasir-checkout': KasirCheckout;
  }
}
