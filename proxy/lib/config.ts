// Configuration from environment variables (Node's process.env or .env, Worker vars and secrets),
// validated once at start. A bad value stops the start with one line that names the variable.
import * as v from 'valibot';
import { type Catalog, CatalogSchema, createCatalog } from './catalog';
import type { ProviderId, PublicMethod } from './contract';
import { methodProblem } from './methods';
import { WEBHOOK_SECRET_PREFIX, webhookKey } from './standard-webhooks';

export type Env = Record<string, string | undefined>;

/** The credentials each provider needs, by the field name its factory reads and the variable that holds it. */
export const PROVIDER_ENV = {
  winpay: {
    fields: { key: 'WINPAY_KEY', secret: 'WINPAY_SECRET' },
    baseUrl: 'WINPAY_BASE_URL',
    defaultBaseUrl: 'https://sandbox-checkout.winpay.id',
    sandbox: { key: 'sandbox-winpay-key', secret: 'sandbox-winpay-secret' },
  },
  faspay: {
    fields: { username: 'FASPAY_USERNAME', password: 'FASPAY_PASSWORD', serviceId: 'FASPAY_SERVICE_ID' },
    baseUrl: 'FASPAY_BASE_URL',
    defaultBaseUrl: 'https://fasbill-sandbox.faspay.co.id/billingbackendapi/web/api',
    sandbox: { username: 'bot99999', password: 'sandbox-faspay-password', serviceId: '99999' },
  },
  uapay: {
    fields: { clientId: 'UAPAY_CLIENT_ID', secret: 'UAPAY_SECRET' },
    baseUrl: 'UAPAY_BASE_URL',
    defaultBaseUrl: 'https://api.demo.uapay.ua/api',
    sandbox: { clientId: '1', secret: 'sandbox-uapay-secret' },
  },
  amdigipay: {
    fields: { username: 'AMDIGIPAY_USERNAME', password: 'AMDIGIPAY_PASSWORD', paymentId: 'AMDIGIPAY_PAYMENT_ID' },
    baseUrl: 'AMDIGIPAY_BASE_URL',
    defaultBaseUrl: 'https://api-sandbox.bisabiller.com/api',
    sandbox: { username: 'sandbox-mitra', password: 'sandbox-amdigipay-password', paymentId: '33' },
  },
} as const satisfies Record<ProviderId, { fields: Record<string, string>; baseUrl: string; defaultBaseUrl: string; sandbox: Record<string, string> }>;

type Fields<P extends ProviderId> = { [F in keyof (typeof PROVIDER_ENV)[P]['fields']]: string };
/** What a provider factory receives: its credentials, where to send requests, and whether that is our simulator. */
export type ProviderSettings<P extends ProviderId> = Fields<P> & { baseUrl: string; sandbox: boolean };

export interface Config {
  port: number;
  /** No trailing slash. */
  publicUrl: string;
  allowedOrigins: string[];
  returnUrls: string[];
  catalog: Catalog;
  /** The catalog's `methods` of enabled providers; undefined → defaults per provider. */
  methods?: PublicMethod[];
  merchant?: { name: string };
  cartSecret?: string;
  webhookUrl?: string;
  webhookSecret?: string;
  store: string;
  sandbox: boolean;
  /** Which of Winpay's fee models the Winpay simulator runs (docs/providers/winpay.md). */
  winpaySandboxFee: 'customer' | 'merchant';
  providerTimeoutMs: number;
  paymentTtlMinutes: number;
  /** Checkout creates per client IP per minute; 0 turns the limit off. */
  rateLimitPerMinute: number;
  /** How often the Node process runs the sweep (reconciliation and due webhooks); Workers use their cron. */
  sweepSeconds: number;
  providers: { [P in ProviderId]?: ProviderSettings<P> };
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

const isLocalHost = (url: URL) => ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);

const HttpUrlSchema = v.pipe(
  v.string(),
  v.url('must be an absolute URL'),
  v.check((s) => URL.canParse(s) && ['http:', 'https:'].includes(new URL(s).protocol), 'must be http(s)'),
  v.transform((s) => s.replace(/\/+$/, '')),
);
const list = (item: v.GenericSchema<string, string>) =>
  v.pipe(
    v.string(),
    v.transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean)),
    v.array(item),
  );
const OriginSchema = v.pipe(
  v.string(),
  v.check((s) => URL.canParse(s) && new URL(s).origin === s, 'each entry must be an origin like https://shop.example'),
);
const ReturnPrefixSchema = v.pipe(
  v.string(),
  v.check((s) => URL.canParse(s), 'each entry must be an absolute URL prefix'),
  v.check((s) => {
    const url = new URL(s);
    return url.protocol === 'https:' || (url.protocol === 'http:' && isLocalHost(url));
  }, 'each entry must be https (http only for localhost)'),
);
const intIn = (min: number, max: number) =>
  v.pipe(v.string(), v.regex(/^\d+$/, 'must be a whole number'), v.transform(Number), v.minValue(min), v.maxValue(max));

const EnvSchema = v.object({
  PORT: v.optional(intIn(0, 65535), '8787'),
  KASIR_PUBLIC_URL: v.optional(HttpUrlSchema),
  KASIR_ALLOWED_ORIGINS: v.optional(list(OriginSchema), ''),
  KASIR_RETURN_URLS: v.optional(list(ReturnPrefixSchema), ''),
  KASIR_CATALOG: v.optional(v.string()),
  KASIR_CART_SECRET: v.optional(v.pipe(v.string(), v.minLength(32))),
  KASIR_WEBHOOK_URL: v.optional(HttpUrlSchema),
  KASIR_WEBHOOK_SECRET: v.optional(
    v.pipe(
      v.string(),
      v.check((s) => (s.startsWith(WEBHOOK_SECRET_PREFIX) ? webhookKey(s) !== undefined : s.length >= 32)),
    ),
  ),
  KASIR_STORE: v.optional(v.pipe(v.string(), v.regex(/^(memory|fs:.+|redis:\/\/.+|rediss:\/\/.+)$/)), 'memory'),
  KASIR_SANDBOX: v.optional(v.picklist(['0', '1']), '0'),
  WINPAY_SANDBOX_FEE: v.optional(v.picklist(['customer', 'merchant']), 'customer'),
  KASIR_PROVIDER_TIMEOUT_MS: v.optional(intIn(100, 60_000), '8000'),
  KASIR_PAYMENT_TTL_MINUTES: v.optional(intIn(5, 7 * 24 * 60), '60'),
  KASIR_RATE_LIMIT: v.optional(intIn(0, 100_000), '30'),
  KASIR_SWEEP_SECONDS: v.optional(intIn(1, 3600), '30'),
});

/**
 * What each variable expects, in words: a bad value is reported as "<NAME> must be <this>", one
 * sentence a merchant can act on. Never the value itself: it may be a secret.
 */
const EXPECTS: Record<keyof v.InferInput<typeof EnvSchema>, string> = {
  PORT: 'a port number from 1 to 65535 (0: any free port)',
  KASIR_PUBLIC_URL: "the proxy's public http(s) base URL, such as https://pay.example.com",
  KASIR_ALLOWED_ORIGINS: 'a comma-separated list of storefront origins, such as https://shop.example.com (no path)',
  KASIR_RETURN_URLS: 'a comma-separated list of URL prefixes, each https (http only for localhost)',
  KASIR_CATALOG: 'the path to your catalog JSON file',
  KASIR_CART_SECRET: 'a secret of at least 32 characters',
  KASIR_WEBHOOK_URL: 'the absolute http(s) URL of your webhook endpoint',
  KASIR_WEBHOOK_SECRET: 'whsec_<base64 of 24–64 random bytes> (an older plain secret of at least 32 characters still works)',
  KASIR_STORE: 'memory, fs:<directory> or a redis:// (rediss://) URL',
  KASIR_SANDBOX: '0 or 1',
  WINPAY_SANDBOX_FEE: 'customer or merchant (who pays the fee on the Winpay simulator)',
  KASIR_PROVIDER_TIMEOUT_MS: 'a whole number of milliseconds from 100 to 60000',
  KASIR_PAYMENT_TTL_MINUTES: 'a whole number of minutes from 5 to 10080 (7 days)',
  KASIR_RATE_LIMIT: 'a whole number of checkouts per minute from 0 (off) to 100000',
  KASIR_SWEEP_SECONDS: 'a whole number of seconds from 1 to 3600 between reconciliation sweeps',
};

/** The variables that enable each provider, as a sentence fragment: "WINPAY_KEY and WINPAY_SECRET". */
export function providerVariables(id: ProviderId): string {
  const names: string[] = Object.values(PROVIDER_ENV[id].fields);
  return `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

/**
 * Validates the environment. `readCatalog` turns the KASIR_CATALOG value into the catalog's JSON
 * text (a file read on Node, a bundled asset or variable on Workers).
 */
export function loadConfig(env: Env, readCatalog: (location: string) => string): Config {
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const parsed = v.safeParse(EnvSchema, present, { abortPipeEarly: true });
  if (!parsed.success) {
    const name = String(parsed.issues[0].path?.[0]?.key) as keyof typeof EXPECTS;
    throw new ConfigError(`${name} must be ${EXPECTS[name] ?? 'set correctly'}`);
  }
  const e = parsed.output;
  if (e.KASIR_CATALOG === undefined) throw new ConfigError(`KASIR_CATALOG must be set to ${EXPECTS.KASIR_CATALOG}`);
  if (!!e.KASIR_WEBHOOK_URL !== !!e.KASIR_WEBHOOK_SECRET) {
    throw new ConfigError(`${e.KASIR_WEBHOOK_URL ? 'KASIR_WEBHOOK_SECRET' : 'KASIR_WEBHOOK_URL'} is required when the other is set`);
  }
  const sandbox = e.KASIR_SANDBOX === '1';
  // The simulators sign notices with public sandbox secrets and anyone may press Pay: next to a
  // real provider, one proxy would mix play money with real orders (and sign webhooks for both).
  const realCredentials = Object.values(PROVIDER_ENV).flatMap((spec) => Object.values(spec.fields).filter((name) => present[name] !== undefined));
  if (sandbox && realCredentials.length > 0) {
    throw new ConfigError(`KASIR_SANDBOX=1 refuses to run with real provider credentials (${realCredentials.join(', ')}): unset them, or set KASIR_SANDBOX=0`);
  }
  const publicUrl = e.KASIR_PUBLIC_URL ?? `http://127.0.0.1:${e.PORT}`;

  const providers: Config['providers'] = {};
  for (const [id, spec] of Object.entries(PROVIDER_ENV) as [ProviderId, (typeof PROVIDER_ENV)[ProviderId]][]) {
    const entries = Object.entries(spec.fields).map(([field, name]) => [field, name, present[name]] as const);
    const given = entries.filter(([, , value]) => value !== undefined);
    if (given.length > 0 && given.length < entries.length) {
      const missing = entries.find(([, , value]) => value === undefined)!;
      throw new ConfigError(`${missing[1]} is required when ${given[0]![1]} is set`);
    }
    const baseUrl = present[spec.baseUrl];
    if (baseUrl !== undefined && !v.is(HttpUrlSchema, baseUrl)) throw new ConfigError(`${spec.baseUrl} must be an absolute http(s) URL`);
    if (given.length === entries.length) {
      const fields = Object.fromEntries(entries.map(([field, , value]) => [field, value]));
      providers[id] = { ...fields, baseUrl: (baseUrl ?? spec.defaultBaseUrl).replace(/\/+$/, ''), sandbox: false } as never;
    } else if (sandbox) {
      providers[id] = { ...spec.sandbox, baseUrl: `${publicUrl}/sandbox/${id}`, sandbox: true } as never;
    }
  }

  let catalogJson: unknown;
  try {
    catalogJson = JSON.parse(readCatalog(e.KASIR_CATALOG));
  } catch (err) {
    throw new ConfigError(
      err instanceof SyntaxError
        ? 'KASIR_CATALOG must name a file of valid JSON (this one does not parse)'
        : `KASIR_CATALOG must be ${EXPECTS.KASIR_CATALOG} (this file cannot be read)`,
    );
  }
  const catalog = v.safeParse(CatalogSchema, catalogJson);
  if (!catalog.success) {
    const issue = catalog.issues[0];
    const path = issue.path?.map((p) => p.key).join('.') || 'the top level';
    const problem =
      issue.type === 'check'
        ? issue.message
        : issue.input === undefined
          ? 'a required field is missing'
          : path.includes('.price')
            ? "a price must be a whole number in the currency's minor unit"
            : `expected ${issue.expected ?? 'another value'}`;
    throw new ConfigError(`KASIR_CATALOG must name a valid catalog (see README, "Catalog"): at ${path}, ${problem}`);
  }
  for (const [index, method] of (catalog.output.methods ?? []).entries()) {
    const problem = methodProblem(method);
    if (problem) throw new ConfigError(`KASIR_CATALOG must name a valid catalog (see README, "Catalog"): at methods.${index} ("${method.id}"), ${problem}`);
  }
  // Methods of providers that are not enabled here are left out, so one catalog serves the sandbox
  // and production; a list that leaves nothing to offer is a mistake.
  const methods = catalog.output.methods?.filter((m) => providers[m.provider] !== undefined);
  if (methods?.length === 0 && Object.keys(providers).length > 0) {
    throw new ConfigError(`KASIR_CATALOG must name a valid catalog (see README, "Catalog"): at methods, none of its providers is enabled (${[...new Set(catalog.output.methods!.map((m) => m.provider))].join(', ')})`);
  }

  return {
    port: e.PORT,
    publicUrl,
    allowedOrigins: e.KASIR_ALLOWED_ORIGINS,
    returnUrls: e.KASIR_RETURN_URLS,
    catalog: createCatalog(catalog.output),
    methods: methods?.length ? methods : undefined,
    merchant: catalog.output.merchant,
    cartSecret: e.KASIR_CART_SECRET,
    webhookUrl: e.KASIR_WEBHOOK_URL,
    webhookSecret: e.KASIR_WEBHOOK_SECRET,
    store: e.KASIR_STORE,
    sandbox,
    winpaySandboxFee: e.WINPAY_SANDBOX_FEE,
    providerTimeoutMs: e.KASIR_PROVIDER_TIMEOUT_MS,
    paymentTtlMinutes: e.KASIR_PAYMENT_TTL_MINUTES,
    rateLimitPerMinute: e.KASIR_RATE_LIMIT,
    sweepSeconds: e.KASIR_SWEEP_SECONDS,
    providers,
  };
}

/**
 * What is legal but probably not meant, on Node: printed at start and by `kasir check`, one
 * sentence each, naming the variables to set. Sandbox mode is for trying things, so only the
 * missing provider is worth saying there.
 */
export function configWarnings(config: Config): string[] {
  const warnings: string[] = [];
  const ids = Object.keys(PROVIDER_ENV) as ProviderId[];
  if (!ids.some((id) => config.providers[id])) {
    warnings.push(
      `no payment provider is enabled: set ${ids.map(providerVariables).join('; or ')} (or KASIR_SANDBOX=1 to try the simulators)`,
    );
  }
  if (config.sandbox) return warnings;
  if (config.store === 'memory') {
    warnings.push('KASIR_STORE is memory: a restart loses every order, idempotency key and pending webhook; set KASIR_STORE=fs:<directory> or redis://… for a shop');
  }
  if (isLocalHost(new URL(config.publicUrl))) {
    warnings.push(`KASIR_PUBLIC_URL is ${config.publicUrl}: providers cannot reach notice URLs there; set it to the proxy's public https URL`);
  }
  if (config.allowedOrigins.length === 0) {
    warnings.push('KASIR_ALLOWED_ORIGINS is empty: no storefront on another origin can call this proxy; set it to your shop origin(s)');
  }
  return warnings;
}
