import path from "node:path";
import { z } from "zod";

/**
 * Every setting Shafaf reads, validated once at boot. Nothing else in the code
 * reads `process.env` (DESIGN.md convention 9); `.env.example` documents each.
 */

const port = (fallback: number) =>
  z
    .string()
    .default(String(fallback))
    .refine((v) => /^\d+$/.test(v) && Number(v) >= 1 && Number(v) <= 65535, {
      message: "must be a whole number from 1 to 65535",
    })
    .transform(Number);

const positiveInt = (fallback: number) =>
  z
    .string()
    .default(String(fallback))
    .refine((v) => /^\d+$/.test(v) && Number(v) > 0, { message: "must be a positive whole number" })
    .transform(Number);

const wholeNumber = (fallback: number) =>
  z
    .string()
    .default(String(fallback))
    .refine((v) => /^\d+$/.test(v), { message: "must be a whole number (0 or more)" })
    .transform(Number);

const bool = (fallback: boolean) =>
  z
    .enum(["true", "false", "1", "0", "yes", "no"], { message: "must be true or false" })
    .default(fallback ? "true" : "false")
    .transform((v) => v === "true" || v === "1" || v === "yes");

const postgresUrl = z.string().refine(
  (v) => {
    try {
      const u = new URL(v);
      return (u.protocol === "postgres:" || u.protocol === "postgresql:") && u.hostname !== "";
    } catch {
      return false;
    }
  },
  { message: "must be a URL like postgres://user:password@host:5432/database" },
);

const optionalUrl = z
  .string()
  .optional()
  .refine(
    (v) => {
      if (v === undefined) return true;
      try {
        new URL(v);
        return true;
      } catch {
        return false;
      }
    },
    { message: "must be an absolute URL such as https://shafaf.example.gov" },
  );

const empty = (v: unknown) => (v === "" ? undefined : v);

const EnvSchema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("production"),
    PORT: port(3000),
    HOST: z.string().min(1).default("0.0.0.0"),
    PUBLIC_URL: z.preprocess(empty, optionalUrl),
    TRUST_PROXY: bool(false),
    LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
    DATA_DIR: z.string().min(1).default(".data"),

    DATABASE_URL: z.preprocess(empty, postgresUrl.optional()),
    DATABASE_POOL_MAX: positiveInt(10),
    EMBEDDED_PG_PORT: port(54329),

    /** Bid submissions (POST /tenders/:id/bid) processed at once per process. Unset: DATABASE_POOL_MAX. */
    BID_MAX_IN_FLIGHT: z.preprocess(
      empty,
      z
        .string()
        .refine((v) => /^\d+$/.test(v) && Number(v) > 0, { message: "must be a positive whole number" })
        .transform(Number)
        .optional(),
    ),
    /** Bid submissions waiting for a turn beyond those; more are answered 503 with Retry-After at once. */
    BID_QUEUE_MAX: wholeNumber(20),
    /** How long a waiting bid submission may wait for its turn before it is answered 503. */
    BID_QUEUE_WAIT_MS: positiveInt(500),

    /** A session ends after this long without a request (the expiry slides with use)... */
    SESSION_IDLE_MINUTES: positiveInt(60),
    /** ...and in any case this long after sign-in. */
    SESSION_ABSOLUTE_HOURS: positiveInt(12),
    /** Failed sign-ins allowed per account, and per address, within SIGN_IN_WINDOW_MINUTES. */
    SIGN_IN_MAX_FAILURES_PER_ACCOUNT: positiveInt(10),
    SIGN_IN_MAX_FAILURES_PER_IP: positiveInt(50),
    SIGN_IN_WINDOW_MINUTES: positiveInt(15),

    /** SMTP server for outgoing e-mail, e.g. smtp://user:pass@mail.example.gov:587. Unset: the in-app outbox. */
    SMTP_URL: z.preprocess(
      empty,
      z
        .string()
        .regex(/^smtps?:\/\/[^\s]+$/, { message: "must be a URL like smtp://user:password@host:587" })
        .optional(),
    ),
    /** The From: of every message. */
    MAIL_FROM: z.string().min(3).default("Shafaf <no-reply@shafaf.localhost>"),

    /** The platform's Ed25519 signing key (PEM). Unset: generated once under DATA_DIR/keys. */
    PLATFORM_SIGNING_KEY: z.preprocess(
      empty,
      z.string().includes("PRIVATE KEY", { message: "must be a PEM private key" }).optional(),
    ),

    /**
     * The master key that wraps each tender's bid data key (32 random bytes, base64,
     * e.g. `openssl rand -base64 32`). Unset: generated once under DATA_DIR/keys.
     */
    BID_MASTER_KEY: z.preprocess(
      empty,
      z
        .string()
        .refine((v) => /^[A-Za-z0-9+/]{43}=$/.test(v) && Buffer.from(v, "base64").length === 32, {
          message:
            "must be 32 random bytes in base64, 44 characters (make one with `openssl rand -base64 32`)",
        })
        .optional(),
    ),

    /** Card payments by Stripe Checkout: both set, or neither (bank transfer and counter only). */
    STRIPE_SECRET_KEY: z.preprocess(
      empty,
      z
        .string()
        .regex(/^(sk|rk)_(test|live)_\w+$/, { message: "must be a Stripe secret key (sk_...)" })
        .optional(),
    ),
    STRIPE_WEBHOOK_SECRET: z.preprocess(
      empty,
      z
        .string()
        .regex(/^whsec_\w+$/, { message: "must be a webhook signing secret (whsec_...)" })
        .optional(),
    ),
    /** Where the Stripe SDK connects. Unset: Stripe itself. For a local fake or an egress proxy. */
    STRIPE_API_URL: z.preprocess(empty, optionalUrl),

    /**
     * The prefix of every Open Contracting ID we publish (ocid = prefix + "-" + tender id). Register
     * one with the Open Contracting Partnership (ocds-xxxxxx) before publishing for real.
     */
    OCDS_PREFIX: z
      .string()
      .default("ocds-shafaf")
      .refine((v) => /^[A-Za-z0-9][A-Za-z0-9-]{0,62}[A-Za-z0-9]$/.test(v), {
        message: "must be letters, digits and hyphens, e.g. ocds-a1b2c3",
      }),

    /** Tender search: seconds facet counts and autocomplete answers are kept per process (0: not kept). */
    SEARCH_CACHE_SECONDS: wholeNumber(60),
    /** Tender search: milliseconds a search asked again may spend counting the facets of its filters; past it they are counted in the background. */
    SEARCH_FACET_BUDGET_MS: positiveInt(80),

    /** An amendment published within this many days of the submission deadline moves the deadline to at least that far. */
    TENDER_AMENDMENT_MIN_DAYS: positiveInt(5),

    /** Requests one API token may make per minute (/api/v1), across every app process. */
    API_RATE_LIMIT_PER_MINUTE: positiveInt(120),

    JOBS_ENABLED: bool(true),
    /** App processes serving HTTP (node:cluster), e.g. one per core; the first process brings up the database. */
    WEB_CONCURRENCY: positiveInt(1),
    SHUTDOWN_GRACE_MS: positiveInt(10_000),

    FILE_STORE: z.enum(["local", "s3"]).default("local"),
    UPLOAD_MAX_BYTES: positiveInt(25_000_000),
    S3_ENDPOINT: z.preprocess(empty, optionalUrl),
    S3_REGION: z.string().default("us-east-1"),
    S3_BUCKET: z.preprocess(empty, z.string().optional()),
    S3_ACCESS_KEY_ID: z.preprocess(empty, z.string().optional()),
    S3_SECRET_ACCESS_KEY: z.preprocess(empty, z.string().optional()),
    S3_FORCE_PATH_STYLE: bool(true),
  })
  .superRefine((env, ctx) => {
    if (Boolean(env.STRIPE_SECRET_KEY) !== Boolean(env.STRIPE_WEBHOOK_SECRET))
      ctx.addIssue({
        code: "custom",
        path: [env.STRIPE_SECRET_KEY ? "STRIPE_WEBHOOK_SECRET" : "STRIPE_SECRET_KEY"],
        message: "card payments need both STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET",
      });
    if (env.FILE_STORE === "s3") {
      for (const key of ["S3_BUCKET", "S3_ACCESS_KEY_ID", "S3_SECRET_ACCESS_KEY"] as const) {
        if (!env[key])
          ctx.addIssue({ code: "custom", path: [key], message: "is required when FILE_STORE=s3" });
      }
    }
  });

export type Env = z.infer<typeof EnvSchema> & {
  /** Absolute path of DATA_DIR. */
  dataDir: string;
  /** True when the app is reached over TLS (PUBLIC_URL is https). */
  secureCookies: boolean;
};

export class EnvError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "EnvError";
  }
}

/** Parse and validate a set of variables; throws EnvError naming each bad variable. */
export function parseEnv(source: Record<string, string | undefined>, cwd = process.cwd()): Env {
  const result = EnvSchema.safeParse(source);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => {
      const name = issue.path.join(".") || "environment";
      const value = source[name];
      const shown = value === undefined || /SECRET|PASSWORD|KEY/.test(name) ? "" : ` (got "${value}")`;
      return `${name} ${issue.message}${shown}`;
    });
    throw new EnvError(problems);
  }
  const env = result.data;
  return {
    ...env,
    dataDir: path.resolve(cwd, env.DATA_DIR),
    secureCookies: env.PUBLIC_URL?.startsWith("https:") ?? false,
  };
}

let cached: Env | undefined;

/** The process's validated settings, read from `process.env` on first use. */
export function getEnv(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}
