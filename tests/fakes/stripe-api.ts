/**
 * An in-memory fake of the part of Stripe's HTTP API that a Checkout-based
 * payment system uses, served over node:http on 127.0.0.1 so tests drive it
 * with the real `stripe` SDK (form-encoded requests, Stripe-shaped JSON
 * responses and errors, idempotency keys, expansion, cursor pagination).
 *
 * The customer and the bank are played by test controls: `completeCheckout`,
 * `failPayment`, `expireCheckout`, `refundFromDashboard`, `failRefund`. Each
 * returns the events Stripe would send; `signedWebhook` signs one with the
 * SDK's own helper, exactly as Stripe signs a delivery.
 *
 * Not modelled: customers, prices/products as objects, subscriptions, taxes,
 * discounts, disputes, payouts, currency conversion (balance transactions are
 * in the presentment currency, exchange_rate null), automatic webhook retries.
 */
import { randomBytes } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import Stripe from "stripe";

// ---------------------------------------------------------------------------
// Public API
// ---------------------------------------------------------------------------

export const FAKE_STRIPE_SECRET_KEY = "sk_test_shafafFakeStripeKey000000000000";

export interface FakeStripeOptions {
  /** The only key the fake accepts (Authorization: Bearer <key>). */
  secretKey?: string;
  /** The fake's clock, in Unix seconds. Defaults to the real time. */
  now?: () => number;
  /** Stripe's processing fee for a successful charge, in the charge's minor units. */
  fee?: (charge: { amount: number; currency: string }) => number;
  /**
   * Called with every event the fake creates, whatever created it (a test
   * control, an API request, the hosted checkout page). Awaited before the
   * checkout page redirects; not awaited for API requests and controls.
   */
  onEvents?: (events: Stripe.Event[]) => void | Promise<void>;
}

export interface FakeStripeRequest {
  method: string;
  /** Path without the query string, e.g. /v1/checkout/sessions */
  path: string;
  /** Decoded query string (GET parameters), bracket notation expanded. */
  query: Record<string, unknown>;
  /** Decoded form body (POST parameters), bracket notation expanded. */
  body: Record<string, unknown>;
  idempotencyKey?: string;
  stripeVersion?: string;
  /** HTTP status the fake answered with. */
  status: number;
  /** True when the answer was an idempotent replay of an earlier response. */
  replayed: boolean;
  requestId: string;
}

export interface CompletedCheckout {
  /** checkout.session.completed, payment_intent.succeeded, charge.succeeded */
  events: Stripe.Event[];
  session: Stripe.Checkout.Session;
  paymentIntent: Stripe.PaymentIntent;
  charge: Stripe.Charge;
  balanceTransaction: Stripe.BalanceTransaction;
}

export interface FakeStripe {
  /** http://127.0.0.1:<port> */
  url: string;
  host: string;
  port: number;
  secretKey: string;
  /** What to pass to `new Stripe(key, config)` to reach this fake. */
  config: { host: string; port: number; protocol: "http"; maxNetworkRetries: number };
  /** A real Stripe SDK client pointed at this fake (no retries, no telemetry). */
  client(secretKey?: string, config?: Stripe.StripeConfig): Stripe;

  /** The customer pays: session complete + paid; PaymentIntent, Charge and balance transaction created. */
  completeCheckout(
    sessionId: string,
    options?: { email?: string; name?: string; last4?: string; brand?: string },
  ): CompletedCheckout;
  /** The card is declined: the session stays open (the customer may retry). */
  failPayment(
    sessionId: string,
    options?: { declineCode?: string; message?: string },
  ): { events: Stripe.Event[]; paymentIntent: Stripe.PaymentIntent; charge: Stripe.Charge };
  /** The session expires (as at expires_at, or POST /v1/checkout/sessions/:id/expire). */
  expireCheckout(sessionId: string): { events: Stripe.Event[]; session: Stripe.Checkout.Session };
  /** Someone refunds from the Stripe Dashboard, outside the application. */
  refundFromDashboard(
    paymentIntentId: string,
    amount?: number,
  ): { events: Stripe.Event[]; refund: Stripe.Refund };
  /** The bank bounces a refund that had succeeded (refund.failed; money returns to the balance). */
  failRefund(refundId: string, failureReason?: string): { events: Stripe.Event[]; refund: Stripe.Refund };

  /** Every request received, in order. */
  requests: FakeStripeRequest[];
  /** Every event created, in order of creation. */
  events: Stripe.Event[];
  /** Objects as stored (unexpanded), for assertions. */
  sessions: ReadonlyMap<string, Stripe.Checkout.Session>;
  paymentIntents: ReadonlyMap<string, Stripe.PaymentIntent>;
  charges: ReadonlyMap<string, Stripe.Charge>;
  refunds: ReadonlyMap<string, Stripe.Refund>;
  balanceTransactions: ReadonlyMap<string, Stripe.BalanceTransaction>;
  /** Forget every object, event, request and idempotency key. */
  reset(): void;
  close(): Promise<void>;
}

export async function startFakeStripe(options: FakeStripeOptions = {}): Promise<FakeStripe> {
  const fake = new FakeStripeServer(options);
  await fake.listen();
  return fake;
}

/**
 * Serialise an event and sign it as Stripe signs a webhook delivery (the
 * Stripe-Signature header), using the SDK's own helper. Stripe sends the
 * event pretty-printed, so a handler that verifies a re-serialised body
 * instead of the raw one fails here as it would in production.
 */
export function signedWebhook(
  event: Stripe.Event,
  secret: string,
  options: { timestamp?: number } = {},
): { body: string; signature: string } {
  const body = JSON.stringify(event, null, 2);
  const signature = Stripe.webhooks.generateTestHeaderString({
    payload: body,
    secret,
    timestamp: options.timestamp,
  });
  return { body, signature };
}

/** POST a signed event to a webhook endpoint, as Stripe would. */
export async function deliverWebhook(
  url: string,
  event: Stripe.Event,
  secret: string,
  options: { timestamp?: number } = {},
): Promise<Response> {
  const { body, signature } = signedWebhook(event, secret, options);
  return fetch(url, {
    method: "POST",
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      "Stripe-Signature": signature,
      "User-Agent": "Stripe/1.0 (+https://stripe.com/docs/webhooks)",
    },
    body,
  });
}

// ---------------------------------------------------------------------------
// Errors, ids, money
// ---------------------------------------------------------------------------

type Json = Record<string, unknown>;

class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
    readonly code?: string,
    readonly param?: string,
  ) {
    super(message);
  }

  toJSON(): Json {
    const error: Json = { type: this.type, message: this.message };
    if (this.code) {
      error.code = this.code;
      error.doc_url = `https://stripe.com/docs/error-codes/${this.code.replaceAll("_", "-")}`;
    }
    if (this.param) error.param = this.param;
    return { error };
  }
}

function invalid(message: string, extra: { code?: string; param?: string; status?: number } = {}): ApiError {
  return new ApiError(extra.status ?? 400, "invalid_request_error", message, extra.code, extra.param);
}

function noSuch(kind: string, id: string, param: string, status = 404): ApiError {
  return invalid(`No such ${kind}: '${id}'`, { code: "resource_missing", param, status });
}

const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

function randomId(prefix: string, length = 24): string {
  let id = prefix;
  for (const byte of randomBytes(length)) id += ALPHABET[byte % ALPHABET.length];
  return id;
}

/** https://docs.stripe.com/currencies#zero-decimal */
const ZERO_DECIMAL = new Set("bif clp djf gnf jpy kmf krw mga pyg rwf ugx vnd vuv xaf xof xpf".split(" "));
/** https://docs.stripe.com/currencies#three-decimal: amounts must end in 0. */
const THREE_DECIMAL = new Set(["bhd", "jod", "kwd", "omr", "tnd"]);

function exponent(currency: string): number {
  return ZERO_DECIMAL.has(currency) ? 0 : THREE_DECIMAL.has(currency) ? 3 : 2;
}

function formatMoney(amount: number, currency: string): string {
  const digits = exponent(currency);
  const major = (amount / 10 ** digits).toFixed(digits);
  const symbol: Record<string, string> = { usd: "$", eur: "€", gbp: "£" };
  return symbol[currency] ? `${symbol[currency]}${major}` : `${currency.toUpperCase()} ${major}`;
}

function checkThreeDecimal(amount: number, currency: string, param: string): void {
  if (THREE_DECIMAL.has(currency) && amount % 10 !== 0) {
    throw invalid(
      `Invalid amount. ${currency.toUpperCase()} is a three-decimal currency: amounts must be evenly divisible by 10 (the last digit must be 0). See https://stripe.com/docs/currencies#three-decimal for more information.`,
      { code: "invalid_charge_amount", param },
    );
  }
}

/** Stripe's published minimum charge amounts, for the currencies where we know them. */
const MINIMUM_AMOUNT: Record<string, number> = { usd: 50, eur: 50, gbp: 30 };

function defaultFee({ amount, currency }: { amount: number; currency: string }): number {
  const digits = exponent(currency);
  const fixed = digits === 0 ? 0 : 30 * 10 ** (digits - 2);
  const fee = Math.round(amount * 0.029) + fixed;
  return THREE_DECIMAL.has(currency) ? Math.round(fee / 10) * 10 : fee;
}

// ---------------------------------------------------------------------------
// Form decoding (what the SDK sends) and parameter validation
// ---------------------------------------------------------------------------

type Form = string | Form[] | { [key: string]: Form };
type FormObject = { [key: string]: Form };

/** `a[b][0][c]=v&expand[0]=x` → { a: { b: [{ c: "v" }] }, expand: ["x"] } */
export function parseForm(raw: string): FormObject {
  const root: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(raw)) {
    const match = /^([^[\]]+)((?:\[[^[\]]*\])*)$/.exec(key);
    const path = match ? [match[1]!, ...[...match[2]!.matchAll(/\[([^[\]]*)\]/g)].map((m) => m[1]!)] : [key];
    let node = root;
    for (let i = 0; i < path.length; i++) {
      let segment = path[i]!;
      if (segment === "__proto__") throw invalid(`Received unknown parameter: ${key}`, { param: key });
      if (segment === "") segment = String(Object.keys(node).length);
      if (i === path.length - 1) {
        node[segment] = value;
      } else {
        const child = node[segment];
        if (child === null || typeof child !== "object") node[segment] = {};
        node = node[segment] as Record<string, unknown>;
      }
    }
  }
  return compact(root) as FormObject;
}

/** Objects whose keys are all array indices become arrays. */
function compact(value: unknown): Form {
  if (typeof value === "string") return value;
  const object = value as Record<string, unknown>;
  const keys = Object.keys(object);
  if (keys.length > 0 && keys.every((k) => /^\d+$/.test(k))) {
    return keys.sort((a, b) => Number(a) - Number(b)).map((k) => compact(object[k]));
  }
  const out: FormObject = {};
  for (const k of keys) out[k] = compact(object[k]);
  return out;
}

function joinOr(values: readonly string[]): string {
  return values.length <= 2
    ? values.join(" or ")
    : `${values.slice(0, -1).join(", ")}, or ${values[values.length - 1]}`;
}

/** A view of decoded parameters that validates as Stripe does. */
class Params {
  constructor(
    readonly values: FormObject,
    readonly prefix = "",
  ) {}

  name(key: string): string {
    return this.prefix ? `${this.prefix}[${key}]` : key;
  }

  allowOnly(keys: readonly string[]): this {
    for (const key of Object.keys(this.values)) {
      if (!keys.includes(key)) {
        throw invalid(`Received unknown parameter: ${this.name(key)}`, {
          code: "parameter_unknown",
          param: this.name(key),
        });
      }
    }
    return this;
  }

  has(key: string): boolean {
    return this.values[key] !== undefined;
  }

  missing(key: string): ApiError {
    return invalid(`Missing required param: ${this.name(key)}.`, {
      code: "parameter_missing",
      param: this.name(key),
    });
  }

  string(key: string, options: { max?: number } = {}): string | undefined {
    const value = this.values[key];
    if (value === undefined || value === "") return undefined;
    if (typeof value !== "string") throw invalid("Invalid string", { param: this.name(key) });
    if (options.max !== undefined && value.length > options.max) {
      throw invalid(
        `Invalid ${this.name(key)}: must be at most ${options.max} characters long (got ${value.length}).`,
        { param: this.name(key) },
      );
    }
    return value;
  }

  requiredString(key: string): string {
    const value = this.string(key);
    if (value === undefined) throw this.missing(key);
    return value;
  }

  int(key: string, options: { min?: number; max?: number } = {}): number | undefined {
    const value = this.values[key];
    if (value === undefined || value === "") return undefined;
    if (typeof value !== "string" || !/^-?\d+$/.test(value)) {
      throw invalid(`Invalid integer: ${typeof value === "string" ? value : "[object]"}`, {
        code: "parameter_invalid_integer",
        param: this.name(key),
      });
    }
    const n = Number(value);
    if (options.min !== undefined && n < options.min) {
      throw invalid(`This value must be greater than or equal to ${options.min}.`, {
        code: "parameter_invalid_integer",
        param: this.name(key),
      });
    }
    if (options.max !== undefined && n > options.max) {
      throw invalid(`This value must be less than or equal to ${options.max}.`, {
        code: "parameter_invalid_integer",
        param: this.name(key),
      });
    }
    return n;
  }

  oneOf<T extends string>(key: string, allowed: readonly T[]): T | undefined {
    const value = this.string(key);
    if (value === undefined) return undefined;
    if (!(allowed as readonly string[]).includes(value)) {
      throw invalid(`Invalid ${this.name(key)}: must be one of ${joinOr(allowed)}`, {
        param: this.name(key),
      });
    }
    return value as T;
  }

  object(key: string): Params | undefined {
    const value = this.values[key];
    if (value === undefined || value === "") return undefined;
    if (typeof value !== "object" || Array.isArray(value)) {
      throw invalid("Invalid object", { param: this.name(key) });
    }
    return new Params(value, this.name(key));
  }

  objects(key: string): Params[] | undefined {
    const value = this.values[key];
    if (value === undefined || value === "") return undefined;
    if (!Array.isArray(value)) throw invalid("Invalid array", { param: this.name(key) });
    return value.map((item, i) => {
      const name = `${this.name(key)}[${i}]`;
      if (typeof item !== "object" || Array.isArray(item)) throw invalid("Invalid object", { param: name });
      return new Params(item, name);
    });
  }

  strings(key: string): string[] {
    const value = this.values[key];
    if (value === undefined || value === "") return [];
    if (typeof value === "string") return [value];
    if (!Array.isArray(value) || value.some((v) => typeof v !== "string")) {
      throw invalid("Invalid array", { param: this.name(key) });
    }
    return value as string[];
  }

  /** Up to 50 keys of at most 40 characters, values of at most 500; empty values are dropped. */
  metadata(key = "metadata"): Record<string, string> | undefined {
    const value = this.values[key];
    if (value === undefined || value === "") return undefined;
    if (typeof value !== "object") throw invalid("Invalid object", { param: this.name(key) });
    const entries = Array.isArray(value)
      ? value.map((v, i) => [String(i), v] as const)
      : Object.entries(value);
    const metadata: Record<string, string> = {};
    for (const [k, v] of entries) {
      const name = `${this.name(key)}[${k}]`;
      if (typeof v !== "string") throw invalid("Invalid string", { param: name });
      if (k.length > 40) {
        throw invalid(`Metadata keys can have up to 40 characters; ${name} has ${k.length}.`, {
          param: name,
        });
      }
      if (v.length > 500) {
        throw invalid(`Metadata values can have up to 500 characters; ${name} has ${v.length}.`, {
          param: name,
        });
      }
      if (v !== "") metadata[k] = v;
    }
    if (Object.keys(metadata).length > 50) {
      throw invalid("Metadata can have up to 50 keys.", { param: this.name(key) });
    }
    return metadata;
  }
}

/** Top-level parameters of POST /v1/checkout/sessions in the SDK's API version. */
const SESSION_CREATE_PARAMS = [
  "adaptive_pricing",
  "after_expiration",
  "allow_promotion_codes",
  "allowed_payment_method_types",
  "automatic_tax",
  "billing_address_collection",
  "branding_settings",
  "cancel_url",
  "client_reference_id",
  "consent_collection",
  "currency",
  "custom_fields",
  "custom_text",
  "customer",
  "customer_account",
  "customer_creation",
  "customer_email",
  "customer_update",
  "discounts",
  "excluded_payment_method_types",
  "expand",
  "expires_at",
  "integration_identifier",
  "invoice_creation",
  "line_items",
  "locale",
  "managed_payments",
  "metadata",
  "mode",
  "name_collection",
  "optional_items",
  "origin_context",
  "payment_intent_data",
  "payment_method_collection",
  "payment_method_configuration",
  "payment_method_data",
  "payment_method_options",
  "permissions",
  "phone_number_collection",
  "redirect_on_completion",
  "return_url",
  "saved_payment_method_options",
  "setup_intent_data",
  "shipping_address_collection",
  "shipping_options",
  "submit_type",
  "subscription_data",
  "success_url",
  "tax_id_collection",
  "ui_mode",
  "wallet_options",
] as const;

const CHECKOUT_LOCALES = [
  "auto",
  "bg",
  "cs",
  "da",
  "de",
  "el",
  "en",
  "en-GB",
  "es",
  "es-419",
  "et",
  "fi",
  "fil",
  "fr",
  "fr-CA",
  "hi-IN",
  "hr",
  "hu",
  "id",
  "it",
  "ja",
  "ko",
  "lt",
  "lv",
  "ms",
  "mt",
  "nb",
  "nl",
  "pl",
  "pt",
  "pt-BR",
  "ro",
  "ru",
  "sk",
  "sl",
  "sv",
  "th",
  "tr",
  "vi",
  "zh",
  "zh-HK",
  "zh-TW",
] as const;

/** Which fields of which object `expand[]` may replace by the object they name. */
const EXPANDABLE: Record<string, readonly string[]> = {
  "checkout.session": [
    "payment_intent",
    "line_items",
    "customer",
    "invoice",
    "payment_link",
    "setup_intent",
    "subscription",
  ],
  payment_intent: [
    "latest_charge",
    "customer",
    "payment_method",
    "application",
    "on_behalf_of",
    "review",
    "source",
  ],
  charge: [
    "balance_transaction",
    "payment_intent",
    "refunds",
    "customer",
    "application",
    "application_fee",
    "failure_balance_transaction",
    "on_behalf_of",
    "review",
    "source_transfer",
    "transfer",
  ],
  refund: [
    "balance_transaction",
    "charge",
    "payment_intent",
    "failure_balance_transaction",
    "customer",
    "payment_method",
    "source_transfer_reversal",
    "transfer_reversal",
  ],
  balance_transaction: ["source"],
};

function canonical(value: unknown): string {
  if (typeof value !== "object" || value === null) return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  const object = value as Record<string, unknown>;
  return `{${Object.keys(object)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonical(object[k])}`)
    .join(",")}}`;
}

function clone<T>(value: T): T {
  return structuredClone(value);
}

function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c,
  );
}

interface RequestContext {
  requestId: string;
  idempotencyKey?: string;
}

interface Route {
  method: string;
  pattern: RegExp;
  handle: (match: string[], params: Params, context: RequestContext) => Json;
}

// ---------------------------------------------------------------------------
// The fake
// ---------------------------------------------------------------------------

class FakeStripeServer implements FakeStripe {
  readonly host = "127.0.0.1";
  port = 0;
  url = "";
  readonly secretKey: string;
  readonly requests: FakeStripeRequest[] = [];
  readonly events: Stripe.Event[] = [];
  readonly sessions = new Map<string, Stripe.Checkout.Session>();
  readonly paymentIntents = new Map<string, Stripe.PaymentIntent>();
  readonly charges = new Map<string, Stripe.Charge>();
  readonly refunds = new Map<string, Stripe.Refund>();
  readonly balanceTransactions = new Map<string, Stripe.BalanceTransaction>();
  private readonly lineItems = new Map<string, Stripe.LineItem[]>();
  private readonly eventsById = new Map<string, Stripe.Event>();
  /** What payment_intent_data asked for, applied when the customer pays. */
  private readonly intentTemplates = new Map<
    string,
    {
      metadata: Record<string, string>;
      description: string | null;
      receipt_email: string | null;
      statement_descriptor: string | null;
      statement_descriptor_suffix: string | null;
      capture_method: string;
    }
  >();
  private readonly idempotent = new Map<string, { fingerprint: string; status: number; body: string }>();
  private readonly server: http.Server;
  private readonly now: () => number;
  private readonly fee: (charge: { amount: number; currency: string }) => number;
  private readonly routes: Route[];

  constructor(private readonly options: FakeStripeOptions) {
    this.secretKey = options.secretKey ?? FAKE_STRIPE_SECRET_KEY;
    this.now = options.now ?? (() => Math.floor(Date.now() / 1000));
    this.fee = options.fee ?? defaultFee;
    this.server = http.createServer((req, res) => {
      this.onRequest(req, res).catch((error: unknown) => {
        console.error("Stripe fake: unhandled error", error);
        if (!res.headersSent) res.writeHead(500);
        res.end();
      });
    });
    this.routes = [
      {
        method: "POST",
        pattern: /^\/v1\/checkout\/sessions$/,
        handle: (_m, p, c) => this.createSession(p, c),
      },
      {
        method: "GET",
        pattern: /^\/v1\/checkout\/sessions$/,
        handle: (_m, p) => this.listSessions(p),
      },
      {
        method: "GET",
        pattern: /^\/v1\/checkout\/sessions\/([^/]+)$/,
        handle: ([id], p) => this.retrieve(this.sessionOr404(id!), p),
      },
      {
        method: "GET",
        pattern: /^\/v1\/checkout\/sessions\/([^/]+)\/line_items$/,
        handle: ([id], p) => this.listLineItems(id!, p),
      },
      {
        method: "POST",
        pattern: /^\/v1\/checkout\/sessions\/([^/]+)\/expire$/,
        handle: ([id], p, c) => {
          p.allowOnly(["expand"]);
          return this.retrieve(this.expire(id!, c).session, p);
        },
      },
      {
        method: "GET",
        pattern: /^\/v1\/payment_intents\/([^/]+)$/,
        handle: ([id], p) => {
          p.allowOnly(["expand", "client_secret"]);
          const intent = this.paymentIntents.get(id!);
          if (!intent) throw noSuch("payment_intent", id!, "intent");
          return this.retrieve(intent, p);
        },
      },
      {
        method: "GET",
        pattern: /^\/v1\/charges\/([^/]+)$/,
        handle: ([id], p) => {
          const charge = this.charges.get(id!);
          if (!charge) throw noSuch("charge", id!, "id");
          return this.retrieve(charge, p);
        },
      },
      {
        method: "GET",
        pattern: /^\/v1\/charges$/,
        handle: (_m, p) => {
          p.allowOnly(["limit", "starting_after", "ending_before", "created", "payment_intent", "expand"]);
          const intent = p.string("payment_intent");
          return this.list(
            "/v1/charges",
            [...this.charges.values()],
            p,
            (c) => !intent || c.payment_intent === intent,
          );
        },
      },
      { method: "POST", pattern: /^\/v1\/refunds$/, handle: (_m, p, c) => this.createRefund(p, c) },
      {
        method: "GET",
        pattern: /^\/v1\/refunds$/,
        handle: (_m, p) => {
          p.allowOnly([
            "limit",
            "starting_after",
            "ending_before",
            "created",
            "charge",
            "payment_intent",
            "expand",
          ]);
          const charge = p.string("charge");
          const intent = p.string("payment_intent");
          return this.list(
            "/v1/refunds",
            [...this.refunds.values()],
            p,
            (r) => (!charge || r.charge === charge) && (!intent || r.payment_intent === intent),
          );
        },
      },
      {
        method: "GET",
        pattern: /^\/v1\/refunds\/([^/]+)$/,
        handle: ([id], p) => {
          const refund = this.refunds.get(id!);
          if (!refund) throw noSuch("refund", id!, "refund");
          return this.retrieve(refund, p);
        },
      },
      {
        method: "GET",
        pattern: /^\/v1\/balance_transactions$/,
        handle: (_m, p) => {
          p.allowOnly([
            "limit",
            "starting_after",
            "ending_before",
            "created",
            "type",
            "source",
            "currency",
            "payout",
            "expand",
          ]);
          const type = p.string("type");
          const source = p.string("source");
          const currency = p.string("currency")?.toLowerCase();
          const payout = p.string("payout");
          return this.list(
            "/v1/balance_transactions",
            [...this.balanceTransactions.values()],
            p,
            (t) =>
              (!type || t.type === type) &&
              (!source || t.source === source) &&
              (!currency || t.currency === currency) &&
              // The fake makes no payouts.
              !payout,
          );
        },
      },
      {
        method: "GET",
        pattern: /^\/v1\/balance_transactions\/([^/]+)$/,
        handle: ([id], p) => {
          const transaction = this.balanceTransactions.get(id!);
          if (!transaction) throw noSuch("balance transaction", id!, "id");
          return this.retrieve(transaction, p);
        },
      },
      {
        method: "GET",
        pattern: /^\/v1\/events$/,
        handle: (_m, p) => {
          p.allowOnly([
            "limit",
            "starting_after",
            "ending_before",
            "created",
            "type",
            "types",
            "delivery_success",
          ]);
          const type = p.string("type");
          const types = p.strings("types");
          const matches = (t: string) =>
            (!type || (type.endsWith(".*") ? t.startsWith(type.slice(0, -1)) : t === type)) &&
            (types.length === 0 || types.includes(t));
          return this.list("/v1/events", this.events, p, (e) => matches(e.type));
        },
      },
      {
        method: "GET",
        pattern: /^\/v1\/events\/([^/]+)$/,
        handle: ([id], p) => {
          const event = this.eventsById.get(id!);
          if (!event) throw noSuch("event", id!, "id");
          return this.retrieve(event, p);
        },
      },
    ];
  }

  get config() {
    return { host: this.host, port: this.port, protocol: "http" as const, maxNetworkRetries: 0 };
  }

  client(secretKey: string = this.secretKey, config: Stripe.StripeConfig = {}): Stripe {
    return new Stripe(secretKey, { ...this.config, telemetry: false, ...config });
  }

  async listen(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once("error", reject);
      this.server.listen(0, this.host, () => resolve());
    });
    this.port = (this.server.address() as AddressInfo).port;
    this.url = `http://${this.host}:${this.port}`;
  }

  async close(): Promise<void> {
    const closed = new Promise<void>((resolve, reject) =>
      this.server.close((error) => (error ? reject(error) : resolve())),
    );
    this.server.closeAllConnections();
    await closed;
  }

  reset(): void {
    this.requests.length = 0;
    this.events.length = 0;
    for (const map of [
      this.sessions,
      this.paymentIntents,
      this.charges,
      this.refunds,
      this.balanceTransactions,
      this.lineItems,
      this.eventsById,
      this.idempotent,
      this.intentTemplates,
    ]) {
      map.clear();
    }
  }

  // -------------------------------------------------------------------------
  // HTTP
  // -------------------------------------------------------------------------

  private async onRequest(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString("utf8");
    const url = new URL(req.url ?? "/", this.url);
    if (url.pathname.startsWith("/c/pay/")) {
      await this.checkoutPage(req, res, url, raw);
      return;
    }

    const method = (req.method ?? "GET").toUpperCase();
    const requestId = randomId("req_", 14);
    const idempotencyKey = headerValue(req, "idempotency-key");
    const stripeVersion = headerValue(req, "stripe-version");
    const entry: FakeStripeRequest = {
      method,
      path: url.pathname,
      query: {},
      body: {},
      idempotencyKey,
      stripeVersion,
      status: 0,
      replayed: false,
      requestId,
    };
    this.requests.push(entry);

    let status = 200;
    let body: string;
    try {
      entry.query = parseForm(url.search.slice(1));
      entry.body = method === "POST" ? parseForm(raw) : {};
      this.authenticate(req);
      const params = (method === "POST" ? entry.body : entry.query) as FormObject;
      const scope = `${this.secretKey}\n${idempotencyKey}`;
      const fingerprint = `${method} ${url.pathname} ${canonical(params)}`;
      if (idempotencyKey && idempotencyKey.length > 255) {
        throw invalid("Idempotency-Key header can be at most 255 characters long.", {
          param: "idempotency_key",
        });
      }
      const stored = method === "POST" && idempotencyKey ? this.idempotent.get(scope) : undefined;
      if (stored) {
        if (stored.fingerprint !== fingerprint) {
          throw new ApiError(
            400,
            "idempotency_error",
            `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${idempotencyKey}' if you meant to execute a different request.`,
          );
        }
        entry.replayed = true;
        status = stored.status;
        body = stored.body;
      } else {
        body = JSON.stringify(
          this.route(method, url.pathname, new Params(params), { requestId, idempotencyKey }),
          null,
          2,
        );
        // Stripe saves a result once the endpoint has started executing; a
        // request that fails validation saves nothing and may be retried.
        if (method === "POST" && idempotencyKey) this.idempotent.set(scope, { fingerprint, status, body });
      }
    } catch (error) {
      if (error instanceof ApiError) {
        status = error.status;
        body = JSON.stringify(error.toJSON(), null, 2);
      } else {
        console.error("Stripe fake: bug while handling", method, url.pathname, error);
        status = 500;
        body = JSON.stringify({
          error: { type: "api_error", message: `Stripe fake crashed: ${(error as Error).message}` },
        });
      }
    }
    entry.status = status;
    const headers: Record<string, string> = {
      "Content-Type": "application/json",
      "Request-Id": requestId,
      "Stripe-Version": stripeVersion ?? Stripe.API_VERSION,
    };
    if (idempotencyKey) headers["Idempotency-Key"] = idempotencyKey;
    if (entry.replayed) headers["Idempotent-Replayed"] = "true";
    res.writeHead(status, headers);
    res.end(body);
  }

  private authenticate(req: http.IncomingMessage): void {
    const authorization = req.headers.authorization;
    let key: string | undefined;
    if (authorization?.startsWith("Bearer ")) key = authorization.slice("Bearer ".length).trim();
    else if (authorization?.startsWith("Basic ")) {
      key = Buffer.from(authorization.slice("Basic ".length), "base64").toString("utf8").split(":")[0];
    }
    if (!key) {
      throw new ApiError(
        401,
        "invalid_request_error",
        "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY'). See https://stripe.com/docs/api#authentication for details, or we can help at https://support.stripe.com/.",
      );
    }
    if (key !== this.secretKey) {
      const prefix = /^(sk|rk)_(test|live)_/.exec(key)?.[0] ?? "";
      const redacted = `${prefix}${"*".repeat(Math.max(key.length - prefix.length - 4, 0))}${key.slice(-4)}`;
      throw new ApiError(401, "invalid_request_error", `Invalid API Key provided: ${redacted}`);
    }
  }

  private route(method: string, path: string, params: Params, context: RequestContext): Json {
    for (const route of this.routes) {
      if (route.method !== method) continue;
      const match = route.pattern.exec(path);
      if (match) return route.handle(match.slice(1).map(decodeURIComponent), params, context);
    }
    throw invalid(
      `Unrecognized request URL (${method}: ${path}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/. (The Stripe fake in tests/fakes/stripe-api.ts does not implement this endpoint.)`,
      { code: "resource_missing", status: 404 },
    );
  }

  // -------------------------------------------------------------------------
  // Retrieval, expansion, lists
  // -------------------------------------------------------------------------

  private retrieve(object: object, params: Params): Json {
    return this.expand(clone(object) as unknown as Json, params.strings("expand"));
  }

  private find(id: string): object | undefined {
    return (
      this.sessions.get(id) ??
      this.paymentIntents.get(id) ??
      this.charges.get(id) ??
      this.refunds.get(id) ??
      this.balanceTransactions.get(id) ??
      this.eventsById.get(id)
    );
  }

  private expand(object: Json, paths: string[]): Json {
    for (const path of paths) {
      const segments = path.split(".");
      if (segments.length > 4 + (object.object === "list" ? 1 : 0)) {
        throw invalid(`You cannot expand more than 4 levels of a property. Property: ${path}`, {
          param: "expand",
        });
      }
      this.expandPath(object, segments, path);
    }
    return object;
  }

  private expandPath(object: Json, segments: string[], path: string): void {
    const [head, ...rest] = segments as [string, ...string[]];
    const type = object.object as string;
    if (type === "list") {
      if (head !== "data") {
        throw invalid(
          `This property cannot be expanded (${head}). You may want to try expanding 'data.${head}' instead.`,
          {
            param: "expand",
          },
        );
      }
      for (const item of object.data as Json[]) if (rest.length) this.expandPath(item, rest, path);
      return;
    }
    if (!EXPANDABLE[type]?.includes(head)) {
      throw invalid(`This property cannot be expanded (${head}).`, { param: "expand" });
    }
    let value = object[head];
    if (type === "checkout.session" && head === "line_items") {
      value = object[head] = this.lineItemList(object.id as string, 10);
    } else if (type === "charge" && head === "refunds") {
      const refunds = [...this.refunds.values()].filter((r) => r.charge === object.id).reverse();
      value = object[head] = {
        object: "list",
        data: clone(refunds),
        has_more: false,
        url: `/v1/charges/${object.id}/refunds`,
      };
    } else if (typeof value === "string") {
      const found = this.find(value);
      if (!found) {
        throw invalid(`The Stripe fake cannot expand ${head} (${value}): it does not model that object.`, {
          param: "expand",
        });
      }
      value = object[head] = clone(found);
    }
    if (rest.length && value && typeof value === "object") this.expandPath(value as Json, rest, path);
  }

  private list<T extends { id: string; created: number }>(
    url: string,
    items: readonly T[],
    params: Params,
    filter: (item: T) => boolean,
  ): Json {
    const limit = params.int("limit", { min: 1, max: 100 }) ?? 10;
    const startingAfter = params.string("starting_after");
    const endingBefore = params.string("ending_before");
    if (startingAfter && endingBefore) {
      throw invalid("You may only specify one of these parameters: starting_after, ending_before.", {
        param: "starting_after",
      });
    }
    const created = this.createdFilter(params);
    // Newest first, as Stripe lists.
    const all = items.filter((item) => filter(item) && created(item.created)).reverse();
    let page: T[];
    let hasMore: boolean;
    if (startingAfter) {
      const index = all.findIndex((item) => item.id === startingAfter);
      if (index < 0 && !items.some((item) => item.id === startingAfter)) {
        throw noSuch("object", startingAfter, "starting_after", 400);
      }
      const rest = all.slice(index + 1);
      page = rest.slice(0, limit);
      hasMore = rest.length > limit;
    } else if (endingBefore) {
      const index = all.findIndex((item) => item.id === endingBefore);
      if (index < 0 && !items.some((item) => item.id === endingBefore)) {
        throw noSuch("object", endingBefore, "ending_before", 400);
      }
      const before = all.slice(0, Math.max(index, 0));
      page = before.slice(Math.max(before.length - limit, 0));
      hasMore = before.length > limit;
    } else {
      page = all.slice(0, limit);
      hasMore = all.length > limit;
    }
    const list: Json = { object: "list", data: clone(page), has_more: hasMore, url };
    return this.expand(list, params.strings("expand"));
  }

  private createdFilter(params: Params): (created: number) => boolean {
    if (!params.has("created")) return () => true;
    const exact = params.values.created;
    if (typeof exact === "string") {
      const at = params.int("created");
      return (created) => created === at;
    }
    const range = params.object("created")!.allowOnly(["gt", "gte", "lt", "lte"]);
    const gt = range.int("gt");
    const gte = range.int("gte");
    const lt = range.int("lt");
    const lte = range.int("lte");
    return (c) =>
      (gt === undefined || c > gt) &&
      (gte === undefined || c >= gte) &&
      (lt === undefined || c < lt) &&
      (lte === undefined || c <= lte);
  }

  // -------------------------------------------------------------------------
  // Checkout Sessions
  // -------------------------------------------------------------------------

  private sessionOr404(id: string, param = "session", status = 404): Stripe.Checkout.Session {
    const session = this.sessions.get(id);
    if (!session) throw noSuch("checkout.session", id, param, status);
    return session;
  }

  private createSession(params: Params, _context: RequestContext): Json {
    params.allowOnly(SESSION_CREATE_PARAMS);
    const mode = params.oneOf("mode", ["payment", "setup", "subscription"]);
    if (!mode) throw params.missing("mode");
    if (mode !== "payment") {
      throw invalid(`The Stripe fake only models mode=payment, not mode=${mode}.`, { param: "mode" });
    }
    const now = this.now();
    const sessionId = randomId("cs_test_a1", 56);

    const items = params.objects("line_items");
    if (!items || items.length === 0) throw params.missing("line_items");
    let currency: string | undefined = params.string("currency")?.toLowerCase();
    const lineItems: Stripe.LineItem[] = items.map((item) => {
      item.allowOnly(["adjustable_quantity", "metadata", "price", "price_data", "quantity", "tax_rates"]);
      const priceId = item.string("price");
      if (priceId) throw noSuch("price", priceId, item.name("price"), 400);
      const priceData = item.object("price_data");
      if (!priceData) {
        throw invalid("You must specify either `price` or `price_data` for each line item.", {
          param: item.name("price_data"),
        });
      }
      priceData.allowOnly([
        "currency",
        "product",
        "product_data",
        "recurring",
        "tax_behavior",
        "unit_amount",
        "unit_amount_decimal",
      ]);
      const itemCurrency = priceData.requiredString("currency").toLowerCase();
      if (!/^[a-z]{3}$/.test(itemCurrency)) {
        throw invalid(`Invalid currency: ${itemCurrency}.`, { param: priceData.name("currency") });
      }
      if (currency && currency !== itemCurrency) {
        throw invalid(
          `All line items must be in the same currency: ${priceData.name("currency")} is ${itemCurrency}, the session is in ${currency}.`,
          { param: priceData.name("currency") },
        );
      }
      currency = itemCurrency;
      if (priceData.has("recurring")) {
        throw invalid("You specified `payment` mode but passed a recurring price.", {
          param: priceData.name("recurring"),
        });
      }
      if (priceData.has("unit_amount_decimal")) {
        throw invalid("The Stripe fake does not model unit_amount_decimal; pass unit_amount.", {
          param: priceData.name("unit_amount_decimal"),
        });
      }
      const unitAmount = priceData.int("unit_amount", { min: 0 });
      if (unitAmount === undefined) throw priceData.missing("unit_amount");
      checkThreeDecimal(unitAmount, itemCurrency, priceData.name("unit_amount"));
      if (priceData.has("product")) {
        throw noSuch("product", priceData.string("product") ?? "", priceData.name("product"), 400);
      }
      const productData = priceData.object("product_data");
      if (!productData) throw priceData.missing("product_data");
      productData.allowOnly([
        "description",
        "images",
        "metadata",
        "name",
        "tax_code",
        "tax_details",
        "unit_label",
      ]);
      const name = productData.requiredString("name");
      productData.metadata();
      const quantity = item.int("quantity", { min: 1 });
      if (quantity === undefined) throw item.missing("quantity");
      const amount = unitAmount * quantity;
      return {
        id: randomId("li_"),
        object: "item",
        adjustable_quantity: null,
        amount_discount: 0,
        amount_subtotal: amount,
        amount_tax: 0,
        amount_total: amount,
        currency: itemCurrency,
        description: name,
        metadata: item.metadata() ?? {},
        price: {
          id: randomId("price_"),
          object: "price",
          active: false,
          billing_scheme: "per_unit",
          created: now,
          currency: itemCurrency,
          custom_unit_amount: null,
          livemode: false,
          lookup_key: null,
          metadata: {},
          nickname: null,
          product: randomId("prod_", 14),
          recurring: null,
          tax_behavior: "unspecified",
          tiers_mode: null,
          transform_quantity: null,
          type: "one_time",
          unit_amount: unitAmount,
          unit_amount_decimal: String(unitAmount),
        },
        quantity,
      } as unknown as Stripe.LineItem;
    });
    const cur = currency!;
    const amountTotal = lineItems.reduce((sum, item) => sum + item.amount_total, 0);
    if (amountTotal > 99_999_999) {
      throw invalid(
        `The Checkout Session's total amount due must be no more than ${formatMoney(99_999_999, cur)}.`,
        {
          code: "amount_too_large",
        },
      );
    }
    const minimum = MINIMUM_AMOUNT[cur] ?? 1;
    if (amountTotal < minimum) {
      throw invalid(
        `The Checkout Session's total amount due must add up to at least ${formatMoney(minimum, cur)} ${cur}`,
        { code: "amount_too_small" },
      );
    }

    const successUrl = params.string("success_url", { max: 5000 });
    const cancelUrl = params.string("cancel_url", { max: 5000 });
    for (const [key, value] of [
      ["success_url", successUrl],
      ["cancel_url", cancelUrl],
    ] as const) {
      if (value !== undefined && !/^https?:\/\/[^\s]+$/.test(value)) {
        throw invalid("Not a valid URL", { param: key });
      }
    }
    const uiMode = params.oneOf("ui_mode", ["elements", "embedded_page", "form", "hosted_page"]);
    if (uiMode && uiMode !== "hosted_page") {
      throw invalid(`The Stripe fake only models the hosted Checkout page, not ui_mode=${uiMode}.`, {
        param: "ui_mode",
      });
    }
    const customerEmail = params.string("customer_email", { max: 800 });
    if (customerEmail !== undefined && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(customerEmail)) {
      throw invalid(`Invalid email address: ${customerEmail}`, { param: "customer_email" });
    }
    const expiresAt = params.int("expires_at") ?? now + 24 * 60 * 60;
    if (expiresAt < now + 30 * 60) {
      throw invalid(
        "The `expires_at` timestamp must be at least 30 minutes from Checkout Session creation.",
        {
          param: "expires_at",
        },
      );
    }
    if (expiresAt > now + 24 * 60 * 60) {
      throw invalid("The `expires_at` timestamp must be less than 24 hours from Checkout Session creation.", {
        param: "expires_at",
      });
    }
    const locale = params.oneOf("locale", CHECKOUT_LOCALES);
    const intentData = params.object("payment_intent_data");
    intentData?.allowOnly([
      "application_fee_amount",
      "capture_method",
      "description",
      "metadata",
      "on_behalf_of",
      "receipt_email",
      "setup_future_usage",
      "shipping",
      "statement_descriptor",
      "statement_descriptor_suffix",
      "transfer_data",
      "transfer_group",
    ]);
    const captureMethod = intentData?.oneOf("capture_method", ["automatic", "automatic_async", "manual"]);
    if (captureMethod === "manual") {
      throw invalid("The Stripe fake does not model manual capture.", {
        param: "payment_intent_data[capture_method]",
      });
    }
    const intentTemplate = {
      metadata: intentData?.metadata() ?? {},
      description: intentData?.string("description", { max: 1000 }) ?? null,
      receipt_email: intentData?.string("receipt_email") ?? null,
      statement_descriptor: intentData?.string("statement_descriptor", { max: 22 }) ?? null,
      statement_descriptor_suffix: intentData?.string("statement_descriptor_suffix", { max: 22 }) ?? null,
      capture_method: captureMethod ?? "automatic_async",
    };
    const submitType = params.oneOf("submit_type", ["auto", "book", "donate", "pay", "subscribe"]);

    const session = {
      id: sessionId,
      object: "checkout.session",
      adaptive_pricing: { enabled: false },
      after_expiration: null,
      allow_promotion_codes: null,
      allowed_payment_method_types: null,
      amount_subtotal: amountTotal,
      amount_total: amountTotal,
      automatic_tax: { enabled: false, liability: null, provider: null, status: null },
      billing_address_collection: params.oneOf("billing_address_collection", ["auto", "required"]) ?? null,
      cancel_url: cancelUrl ?? null,
      client_reference_id: params.string("client_reference_id", { max: 200 }) ?? null,
      client_secret: null,
      collected_information: null,
      consent: null,
      consent_collection: null,
      created: now,
      currency: cur,
      currency_conversion: null,
      custom_fields: [],
      custom_text: {
        after_submit: null,
        shipping_address: null,
        submit: null,
        terms_of_service_acceptance: null,
      },
      customer: null,
      customer_account: null,
      customer_creation: params.oneOf("customer_creation", ["always", "if_required"]) ?? "if_required",
      customer_details: null,
      customer_email: customerEmail ?? null,
      discounts: [],
      expires_at: expiresAt,
      integration_identifier: null,
      invoice: null,
      invoice_creation: { enabled: false, invoice_data: null },
      livemode: false,
      locale: locale ?? null,
      managed_payments: null,
      metadata: params.metadata() ?? {},
      mode,
      origin_context: null,
      payment_intent: null,
      payment_link: null,
      payment_method_collection: "if_required",
      payment_method_configuration_details: null,
      payment_method_options: { card: { request_three_d_secure: "automatic" } },
      payment_method_types: ["card"],
      payment_status: "unpaid",
      permissions: null,
      phone_number_collection: { enabled: false },
      recovered_from: null,
      saved_payment_method_options: null,
      setup_intent: null,
      shipping_address_collection: null,
      shipping_cost: null,
      shipping_options: [],
      status: "open",
      submit_type: submitType ?? null,
      subscription: null,
      success_url: successUrl ?? null,
      total_details: { amount_discount: 0, amount_shipping: 0, amount_tax: 0 },
      ui_mode: "hosted_page",
      url: `${this.url}/c/pay/${sessionId}`,
      wallet_options: null,
    } as unknown as Stripe.Checkout.Session;
    this.sessions.set(sessionId, session);
    this.lineItems.set(sessionId, lineItems);
    this.intentTemplates.set(sessionId, intentTemplate);
    return this.retrieve(session, params);
  }

  private listSessions(params: Params): Json {
    params.allowOnly([
      "limit",
      "starting_after",
      "ending_before",
      "created",
      "status",
      "payment_intent",
      "customer",
      "customer_details",
      "payment_link",
      "subscription",
      "expand",
    ]);
    const status = params.oneOf("status", ["complete", "expired", "open"]);
    const intent = params.string("payment_intent");
    return this.list(
      "/v1/checkout/sessions",
      [...this.sessions.values()],
      params,
      (s) => (!status || s.status === status) && (!intent || s.payment_intent === intent),
    );
  }

  private lineItemList(sessionId: string, limit: number): Json {
    const items = this.lineItems.get(sessionId) ?? [];
    return {
      object: "list",
      data: clone(items.slice(0, limit)),
      has_more: items.length > limit,
      url: `/v1/checkout/sessions/${sessionId}/line_items`,
    };
  }

  private listLineItems(sessionId: string, params: Params): Json {
    this.sessionOr404(sessionId);
    params.allowOnly(["limit", "starting_after", "ending_before", "expand"]);
    const items = (this.lineItems.get(sessionId) ?? []).map((item, i) => ({ ...item, created: i }));
    // Line items list in their order on the session, not newest first.
    const list = this.list(
      `/v1/checkout/sessions/${sessionId}/line_items`,
      [...items].reverse(),
      params,
      () => true,
    );
    for (const item of list.data as Json[]) delete item.created;
    return list;
  }

  private openSession(sessionId: string): Stripe.Checkout.Session {
    const session = this.sessions.get(sessionId);
    if (!session) throw new Error(`Stripe fake: no Checkout Session ${sessionId}`);
    if (session.status !== "open") {
      throw new Error(`Stripe fake: Checkout Session ${sessionId} is ${session.status}, not open`);
    }
    return session;
  }

  private intentFor(session: Stripe.Checkout.Session): Stripe.PaymentIntent {
    if (typeof session.payment_intent === "string") return this.paymentIntents.get(session.payment_intent)!;
    const template = this.intentTemplates.get(session.id)!;
    const id = randomId("pi_");
    const intent = {
      id,
      object: "payment_intent",
      allowed_payment_method_types: null,
      amount: session.amount_total!,
      amount_capturable: 0,
      amount_details: { tip: {} },
      amount_received: 0,
      application: null,
      application_fee_amount: null,
      automatic_payment_methods: null,
      canceled_at: null,
      cancellation_reason: null,
      capture_method: template.capture_method,
      client_secret: `${id}_secret_${randomId("", 25)}`,
      confirmation_method: "automatic",
      created: this.now(),
      currency: session.currency!,
      customer: null,
      customer_account: null,
      description: template.description,
      excluded_payment_method_types: null,
      last_payment_error: null,
      latest_charge: null,
      livemode: false,
      managed_payments: null,
      metadata: clone(template.metadata),
      next_action: null,
      on_behalf_of: null,
      payment_method: null,
      payment_method_configuration_details: null,
      payment_method_options: {
        card: {
          installments: null,
          mandate_options: null,
          network: null,
          request_three_d_secure: "automatic",
        },
      },
      payment_method_types: ["card"],
      payment_record: null,
      processing: null,
      receipt_email: template.receipt_email ?? session.customer_email,
      review: null,
      setup_future_usage: null,
      shipping: null,
      source: null,
      statement_descriptor: template.statement_descriptor,
      statement_descriptor_suffix: template.statement_descriptor_suffix,
      status: "requires_payment_method",
      transfer_data: null,
      transfer_group: null,
    } as unknown as Stripe.PaymentIntent;
    this.paymentIntents.set(id, intent);
    session.payment_intent = id;
    return intent;
  }

  private newCharge(
    intent: Stripe.PaymentIntent,
    card: { brand: string; last4: string; email: string | null; name: string | null },
    outcome: { paid: boolean; declineCode?: string; message?: string },
  ): Stripe.Charge {
    const id = randomId("ch_");
    const paymentMethod = randomId("pm_");
    const now = this.now();
    const charge = {
      id,
      object: "charge",
      amount: intent.amount,
      amount_captured: outcome.paid ? intent.amount : 0,
      amount_refunded: 0,
      application: null,
      application_fee: null,
      application_fee_amount: null,
      balance_transaction: null,
      billing_details: {
        address: { city: null, country: "KW", line1: null, line2: null, postal_code: null, state: null },
        email: card.email,
        name: card.name,
        phone: null,
        tax_id: null,
      },
      calculated_statement_descriptor: "SHAFAF",
      captured: outcome.paid,
      created: now,
      currency: intent.currency,
      customer: null,
      description: intent.description,
      disputed: false,
      failure_balance_transaction: null,
      failure_code: outcome.paid ? null : "card_declined",
      failure_message: outcome.paid ? null : (outcome.message ?? "Your card was declined."),
      fraud_details: {},
      livemode: false,
      metadata: clone(intent.metadata),
      on_behalf_of: null,
      outcome: outcome.paid
        ? {
            advice_code: null,
            network_advice_code: null,
            network_decline_code: null,
            network_status: "approved_by_network",
            reason: null,
            risk_level: "normal",
            risk_score: 32,
            seller_message: "Payment complete.",
            type: "authorized",
          }
        : {
            advice_code: "try_again_later",
            network_advice_code: null,
            network_decline_code: null,
            network_status: "declined_by_network",
            reason: outcome.declineCode ?? "generic_decline",
            risk_level: "normal",
            risk_score: 40,
            seller_message: "The bank did not return any further details with this decline.",
            type: "issuer_declined",
          },
      paid: outcome.paid,
      payment_intent: intent.id,
      payment_method: paymentMethod,
      payment_method_details: {
        type: "card",
        card: {
          amount_authorized: outcome.paid ? intent.amount : null,
          brand: card.brand,
          checks: { address_line1_check: null, address_postal_code_check: null, cvc_check: "pass" },
          country: "KW",
          exp_month: 12,
          exp_year: new Date(now * 1000).getUTCFullYear() + 3,
          fingerprint: randomId("", 16),
          funding: "credit",
          last4: card.last4,
          network: card.brand,
          three_d_secure: null,
          wallet: null,
        },
      },
      receipt_email: intent.receipt_email,
      receipt_number: null,
      receipt_url: outcome.paid ? `${this.url}/receipts/${id}` : null,
      refunded: false,
      review: null,
      shipping: null,
      source: null,
      source_transfer: null,
      statement_descriptor: intent.statement_descriptor,
      statement_descriptor_suffix: intent.statement_descriptor_suffix,
      status: outcome.paid ? "succeeded" : "failed",
      transfer_data: null,
      transfer_group: null,
    } as unknown as Stripe.Charge;
    this.charges.set(id, charge);
    return charge;
  }

  private newBalanceTransaction(fields: {
    amount: number;
    fee: number;
    currency: string;
    type: Stripe.BalanceTransaction.Type;
    reportingCategory: string;
    source: string;
    description: string | null;
    status: "pending" | "available";
  }): Stripe.BalanceTransaction {
    const now = this.now();
    const id = randomId("txn_");
    const transaction = {
      id,
      object: "balance_transaction",
      amount: fields.amount,
      available_on: (Math.floor(now / 86400) + 2) * 86400,
      balance_type: "payments",
      created: now,
      currency: fields.currency,
      description: fields.description,
      exchange_rate: null,
      fee: fields.fee,
      fee_details:
        fields.fee === 0
          ? []
          : [
              {
                amount: fields.fee,
                application: null,
                currency: fields.currency,
                description: "Stripe processing fees",
                type: "stripe_fee",
              },
            ],
      net: fields.amount - fields.fee,
      reporting_category: fields.reportingCategory,
      source: fields.source,
      status: fields.status,
      type: fields.type,
    } as unknown as Stripe.BalanceTransaction;
    this.balanceTransactions.set(id, transaction);
    return transaction;
  }

  completeCheckout(
    sessionId: string,
    options: { email?: string; name?: string; last4?: string; brand?: string } = {},
  ): CompletedCheckout {
    const session = this.openSession(sessionId);
    if (this.now() >= session.expires_at) {
      throw new Error(`Stripe fake: Checkout Session ${sessionId} is past expires_at; call expireCheckout`);
    }
    const intent = this.intentFor(session);
    const email = options.email ?? session.customer_email ?? "customer@example.com";
    const name = options.name ?? "Test Customer";
    const charge = this.newCharge(
      intent,
      { brand: options.brand ?? "visa", last4: options.last4 ?? "4242", email, name },
      { paid: true },
    );
    const fee = this.fee({ amount: charge.amount, currency: charge.currency });
    const transaction = this.newBalanceTransaction({
      amount: charge.amount,
      fee,
      currency: charge.currency,
      type: "charge",
      reportingCategory: "charge",
      source: charge.id,
      description: intent.description,
      status: "pending",
    });
    charge.balance_transaction = transaction.id;
    Object.assign(intent, {
      amount_received: intent.amount,
      latest_charge: charge.id,
      payment_method: charge.payment_method,
      last_payment_error: null,
      status: "succeeded",
    });
    Object.assign(session, {
      status: "complete",
      payment_status: "paid",
      url: null,
      customer_details: {
        address: { city: null, country: "KW", line1: null, line2: null, postal_code: null, state: null },
        business_name: null,
        email,
        individual_name: null,
        name,
        phone: null,
        tax_exempt: "none",
        tax_ids: [],
      },
      collected_information: { business_name: null, individual_name: null, shipping_details: null },
    });
    const events = [
      this.emit("checkout.session.completed", session),
      this.emit("payment_intent.succeeded", intent),
      this.emit("charge.succeeded", charge),
    ];
    this.notify(events);
    return {
      events,
      session: clone(session),
      paymentIntent: clone(intent),
      charge: clone(charge),
      balanceTransaction: clone(transaction),
    };
  }

  failPayment(
    sessionId: string,
    options: { declineCode?: string; message?: string } = {},
  ): { events: Stripe.Event[]; paymentIntent: Stripe.PaymentIntent; charge: Stripe.Charge } {
    const session = this.openSession(sessionId);
    const intent = this.intentFor(session);
    const message = options.message ?? "Your card was declined.";
    const charge = this.newCharge(
      intent,
      { brand: "visa", last4: "0002", email: session.customer_email, name: null },
      { paid: false, declineCode: options.declineCode, message },
    );
    Object.assign(intent, {
      latest_charge: charge.id,
      status: "requires_payment_method",
      last_payment_error: {
        advice_code: "try_again_later",
        charge: charge.id,
        code: "card_declined",
        decline_code: options.declineCode ?? "generic_decline",
        doc_url: "https://stripe.com/docs/error-codes/card-declined",
        message,
        type: "card_error",
      },
    });
    const events = [this.emit("payment_intent.payment_failed", intent), this.emit("charge.failed", charge)];
    this.notify(events);
    return { events, paymentIntent: clone(intent), charge: clone(charge) };
  }

  expireCheckout(sessionId: string): { events: Stripe.Event[]; session: Stripe.Checkout.Session } {
    this.openSession(sessionId);
    return this.expire(sessionId);
  }

  private expire(
    sessionId: string,
    context?: RequestContext,
  ): { events: Stripe.Event[]; session: Stripe.Checkout.Session } {
    const session = context ? this.sessionOr404(sessionId) : this.openSession(sessionId);
    if (session.status !== "open") {
      throw invalid(
        `Only Checkout Sessions with a status in ["open"] can be expired. This Checkout Session has a status of "${session.status}".`,
        { param: "session" },
      );
    }
    Object.assign(session, { status: "expired", url: null });
    const events = [this.emit("checkout.session.expired", session, context)];
    if (typeof session.payment_intent === "string") {
      const intent = this.paymentIntents.get(session.payment_intent)!;
      if (intent.status !== "succeeded") {
        Object.assign(intent, {
          status: "canceled",
          canceled_at: this.now(),
          cancellation_reason: "abandoned",
        });
        events.push(this.emit("payment_intent.canceled", intent, context));
      }
    }
    this.notify(events);
    return { events, session: clone(session) };
  }

  // -------------------------------------------------------------------------
  // Refunds
  // -------------------------------------------------------------------------

  private createRefund(params: Params, context: RequestContext): Json {
    params.allowOnly([
      "amount",
      "charge",
      "currency",
      "customer",
      "expand",
      "instructions_email",
      "metadata",
      "origin",
      "payment_intent",
      "reason",
      "refund_application_fee",
      "reverse_transfer",
    ]);
    const intentId = params.string("payment_intent");
    const chargeId = params.string("charge");
    let charge: Stripe.Charge | undefined;
    if (chargeId) {
      charge = this.charges.get(chargeId);
      if (!charge) throw noSuch("charge", chargeId, "charge", 400);
      if (intentId && charge.payment_intent !== intentId) {
        throw invalid(`The charge ${chargeId} does not belong to the PaymentIntent ${intentId}.`, {
          param: "payment_intent",
        });
      }
    } else if (intentId) {
      const intent = this.paymentIntents.get(intentId);
      if (!intent) throw noSuch("payment_intent", intentId, "payment_intent", 400);
      const latest =
        typeof intent.latest_charge === "string" ? this.charges.get(intent.latest_charge) : undefined;
      if (intent.status !== "succeeded" || !latest || latest.status !== "succeeded") {
        throw invalid(`This PaymentIntent (${intentId}) does not have a successful charge to refund.`, {
          param: "payment_intent",
        });
      }
      charge = latest;
    } else {
      throw invalid(
        "One of the following params should be provided for this request: payment_intent or charge.",
        {
          code: "parameter_missing",
        },
      );
    }
    const reason = params.oneOf("reason", ["duplicate", "fraudulent", "requested_by_customer"]);
    const amount = params.int("amount", { min: 1 });
    const metadata = params.metadata() ?? {};
    const { refund, events } = this.refund(charge, { amount, reason: reason ?? null, metadata, context });
    this.notify(events);
    return this.retrieve(refund, params);
  }

  private refund(
    charge: Stripe.Charge,
    fields: {
      amount?: number;
      reason: string | null;
      metadata: Record<string, string>;
      context?: RequestContext;
    },
  ): { refund: Stripe.Refund; events: Stripe.Event[] } {
    if (charge.status !== "succeeded") {
      throw invalid(`Charge ${charge.id} has not succeeded and cannot be refunded.`, { param: "charge" });
    }
    const remaining = charge.amount - charge.amount_refunded;
    if (remaining <= 0) {
      throw invalid(`Charge ${charge.id} has already been refunded.`, { code: "charge_already_refunded" });
    }
    const amount = fields.amount ?? remaining;
    if (amount > remaining) {
      // Stripe's wording; observed responses carry no `code`, only param=amount.
      throw invalid(
        charge.amount_refunded === 0
          ? `Refund amount (${formatMoney(amount, charge.currency)}) is greater than charge amount (${formatMoney(charge.amount, charge.currency)})`
          : `Refund amount (${formatMoney(amount, charge.currency)}) is greater than unrefunded amount on charge (${formatMoney(remaining, charge.currency)})`,
        { param: "amount" },
      );
    }
    checkThreeDecimal(amount, charge.currency, "amount");
    const id = randomId("re_");
    const transaction = this.newBalanceTransaction({
      amount: -amount,
      fee: 0,
      currency: charge.currency,
      type: "refund",
      reportingCategory: "refund",
      source: id,
      description: null,
      status: "available",
    });
    const refund = {
      id,
      object: "refund",
      amount,
      balance_transaction: transaction.id,
      charge: charge.id,
      created: this.now(),
      currency: charge.currency,
      destination_details: {
        card: { reference_status: "pending", reference_type: "acquirer_reference_number", type: "refund" },
        type: "card",
      },
      metadata: fields.metadata,
      payment_intent: charge.payment_intent,
      reason: fields.reason,
      receipt_number: null,
      source_transfer_reversal: null,
      status: "succeeded",
      transfer_reversal: null,
    } as unknown as Stripe.Refund;
    this.refunds.set(id, refund);
    charge.amount_refunded += amount;
    charge.refunded = charge.amount_refunded === charge.amount;
    const events = [
      this.emit("charge.refunded", charge, fields.context),
      this.emit("refund.created", refund, fields.context),
    ];
    return { refund, events };
  }

  refundFromDashboard(
    paymentIntentId: string,
    amount?: number,
  ): { events: Stripe.Event[]; refund: Stripe.Refund } {
    const intent = this.paymentIntents.get(paymentIntentId);
    const charge =
      typeof intent?.latest_charge === "string" ? this.charges.get(intent.latest_charge) : undefined;
    if (!charge) throw new Error(`Stripe fake: PaymentIntent ${paymentIntentId} has no charge to refund`);
    const { refund, events } = this.refund(charge, { amount, reason: "requested_by_customer", metadata: {} });
    this.notify(events);
    return { events, refund: clone(refund) };
  }

  failRefund(
    refundId: string,
    failureReason = "expired_or_canceled_card",
  ): { events: Stripe.Event[]; refund: Stripe.Refund } {
    const refund = this.refunds.get(refundId);
    if (!refund) throw new Error(`Stripe fake: no refund ${refundId}`);
    if (refund.status !== "succeeded" && refund.status !== "pending") {
      throw new Error(`Stripe fake: refund ${refundId} is ${refund.status}`);
    }
    const charge = this.charges.get(refund.charge as string)!;
    const transaction = this.newBalanceTransaction({
      amount: refund.amount,
      fee: 0,
      currency: refund.currency,
      type: "refund_failure",
      reportingCategory: "refund_failure",
      source: refund.id,
      description: "REFUND FOR FAILED REFUND",
      status: "available",
    });
    Object.assign(refund, {
      status: "failed",
      failure_reason: failureReason,
      failure_balance_transaction: transaction.id,
    });
    charge.amount_refunded -= refund.amount;
    charge.refunded = charge.amount_refunded === charge.amount;
    const events = [this.emit("refund.failed", refund), this.emit("charge.refund.updated", refund)];
    this.notify(events);
    return { events, refund: clone(refund) };
  }

  // -------------------------------------------------------------------------
  // Events
  // -------------------------------------------------------------------------

  private emit(type: string, object: object, context?: RequestContext): Stripe.Event {
    const event = {
      id: randomId("evt_"),
      object: "event",
      api_version: Stripe.API_VERSION,
      created: this.now(),
      data: { object: clone(object) },
      livemode: false,
      pending_webhooks: 1,
      request: { id: context?.requestId ?? null, idempotency_key: context?.idempotencyKey ?? null },
      type,
    } as unknown as Stripe.Event;
    this.events.push(event);
    this.eventsById.set(event.id, event);
    return clone(event);
  }

  /** The last onEvents call, which the checkout page awaits before redirecting. */
  private delivering: Promise<void> = Promise.resolve();

  private notify(events: Stripe.Event[]): void {
    const hook = this.options.onEvents;
    if (!hook) return;
    this.delivering = Promise.resolve()
      .then(() => hook(clone(events)))
      .catch((error: unknown) => console.error("Stripe fake: onEvents failed", error));
  }

  // -------------------------------------------------------------------------
  // The hosted payment page (for browser tests)
  // -------------------------------------------------------------------------

  private async checkoutPage(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    url: URL,
    raw: string,
  ): Promise<void> {
    const match = /^\/c\/pay\/([^/]+)(?:\/(pay|decline|cancel))?$/.exec(url.pathname);
    const session = match ? this.sessions.get(match[1]!) : undefined;
    const html = (status: number, body: string) => {
      res.writeHead(status, { "Content-Type": "text/html; charset=utf-8" });
      res.end(
        `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Stripe fake checkout</title><link rel="icon" href="data:,"></head><body>${body}</body></html>`,
      );
    };
    if (!match || !session) return html(404, "<h1>Something went wrong</h1><p>No such Checkout Session.</p>");
    const action = match[2];
    if (req.method === "POST" && action) {
      if (session.status !== "open")
        return html(409, `<h1>This Checkout Session is ${escapeHtml(String(session.status))}</h1>`);
      if (action === "cancel") {
        res.writeHead(303, { Location: session.cancel_url ?? `${this.url}/c/pay/${session.id}` });
        res.end();
        return;
      }
      if (action === "decline") {
        this.failPayment(session.id);
        await this.delivering;
        res.writeHead(303, { Location: `${this.url}/c/pay/${session.id}?declined=1` });
        res.end();
        return;
      }
      const email = new URLSearchParams(raw).get("email") || undefined;
      this.completeCheckout(session.id, { email });
      await this.delivering;
      const success = (session.success_url ?? `${this.url}/c/pay/${session.id}`).replaceAll(
        "{CHECKOUT_SESSION_ID}",
        session.id,
      );
      res.writeHead(303, { Location: success });
      res.end();
      return;
    }
    if (session.status !== "open")
      return html(200, `<h1>This Checkout Session is ${escapeHtml(String(session.status))}</h1>`);
    const items = (this.lineItems.get(session.id) ?? [])
      .map(
        (item) =>
          `<li>${escapeHtml(item.description ?? "")} × ${item.quantity}: ${formatMoney(item.amount_total, item.currency)}</li>`,
      )
      .join("");
    html(
      200,
      `<h1>Pay ${escapeHtml(formatMoney(session.amount_total ?? 0, session.currency ?? "usd"))}</h1>
<ul>${items}</ul>
${url.searchParams.has("declined") ? '<p role="alert">Your card was declined.</p>' : ""}
<form method="post" action="/c/pay/${session.id}/pay">
<label>Email <input name="email" type="email" value="${escapeHtml(session.customer_email ?? "")}"></label>
<button type="submit">Pay</button></form>
<form method="post" action="/c/pay/${session.id}/decline"><button type="submit">Pay with a declined card</button></form>
<form method="post" action="/c/pay/${session.id}/cancel"><button type="submit">Back</button></form>`,
    );
  }
}

function headerValue(req: http.IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
