import { randomBytes, randomUUID } from "node:crypto";
import { readdirSync } from "node:fs";
import path from "node:path";
import { createRequestHandler } from "@react-router/express";
import compression from "compression";
import express from "express";
import helmet from "helmet";
import type { Logger } from "pino";
import { pinoHttp } from "pino-http";
import type { RouterContextProvider, ServerBuild } from "react-router";
import { detectLanguage } from "#app/modules/i18n/detect-language.server.ts";
import { translatorFor } from "#app/modules/i18n/i18n.ts";
import { CLIENT_IP_HEADER } from "#app/utils/http.server.ts";
import { bidAdmission, isShedResponse } from "./admission.server.ts";
import type { AppServices, RequestInfo } from "./context.ts";
import { crossOriginProtection } from "./cross-origin-protection.server.ts";
import { checkHealth } from "./health.server.ts";

export interface HttpAppOptions {
  services: AppServices;
  logger: Logger;
  /** Loads the built app: once in production, on every request through Vite in development. */
  build: () => Promise<ServerBuild>;
  /** Directory of the built browser assets (build/client). */
  clientDir: string;
  /** Vite's dev middlewares, in development only. */
  devMiddleware?: express.RequestHandler;
}

/** What app/entry.server.tsx exports besides the document renderer. */
interface BuildEntry {
  createLoadContext(services: AppServices, request: RequestInfo): RouterContextProvider;
}

/** Paths of the files under a directory but outside assets/ (none if it is missing). */
function publicFiles(dir: string): string[] {
  try {
    return readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => path.relative(dir, path.join(e.parentPath, e.name)).split(path.sep).join("/"))
      .filter((f) => !f.startsWith("assets/"));
  } catch {
    return [];
  }
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * The HTTP front: request ids and logging, load shedding of bid submissions,
 * security headers, health, static assets, CSRF protection, then React Router
 * for every page.
 */
export function createHttpApp({ services, logger, build, clientDir, devMiddleware }: HttpAppOptions) {
  const { env } = services;
  const dev = devMiddleware !== undefined;
  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", env.TRUST_PROXY);

  app.use(
    pinoHttp({
      logger,
      // Keep the caller's id (a load balancer's) when it looks sane, so one id follows the request.
      genReqId: (req, res) => {
        const incoming = req.headers["x-request-id"];
        const id = typeof incoming === "string" && REQUEST_ID.test(incoming) ? incoming : randomUUID();
        res.setHeader("X-Request-Id", id);
        return id;
      },
      // A bid submission shed under load is the server working as meant, not an error:
      // counted once a second below rather than one error line each.
      customLogLevel: (_req, res, err) =>
        err || (res.statusCode >= 500 && !isShedResponse(res)) ? "error" : "info",
      autoLogging: { ignore: (req) => req.url?.startsWith("/assets/") ?? false },
      serializers: {
        req: (req) => ({ method: req.method, url: req.url }),
        res: (res) => ({ statusCode: res.statusCode }),
      },
    }),
  );

  // Bid submissions beyond what the database can take now: 503 + Retry-After at
  // once, before any other work (and never a time-out). See admission.server.ts.
  app.use(bidAdmission(env, (count) => logger.warn({ shed: count }, "busy: bid submissions answered 503")));

  app.use((_req, res, next) => {
    res.locals.cspNonce = randomBytes(16).toString("base64");
    next();
  });

  app.use(
    helmet({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          "default-src": ["'self'"],
          "script-src": [
            "'self'",
            (_req, res) => `'nonce-${(res as express.Response).locals.cspNonce}'`,
            ...(dev ? ["'unsafe-inline'"] : []),
          ],
          "style-src": ["'self'", ...(dev ? ["'unsafe-inline'"] : [])],
          "img-src": ["'self'", "data:"],
          "font-src": ["'self'"],
          "connect-src": ["'self'", ...(dev ? ["ws:"] : [])],
          "form-action": ["'self'"],
          "frame-ancestors": ["'none'"],
          "base-uri": ["'self'"],
          "object-src": ["'none'"],
          ...(env.secureCookies ? { "upgrade-insecure-requests": [] } : {}),
        },
      },
      strictTransportSecurity: env.secureCookies ? { maxAge: 31_536_000, includeSubDomains: true } : false,
      referrerPolicy: { policy: "strict-origin-when-cross-origin" },
      crossOriginEmbedderPolicy: false,
    }),
  );
  app.use(compression());

  app.get("/healthz", async (_req, res) => {
    const health = await checkHealth(services.database);
    res
      .status(health.db === "ok" ? 200 : 503)
      .set("Cache-Control", "no-store")
      .json(health);
  });

  if (devMiddleware) {
    app.use(devMiddleware);
  } else {
    // Hashed file names: cache for a year. Everything else in build/client briefly.
    app.use("/assets", express.static(path.join(clientDir, "assets"), { immutable: true, maxAge: "1y" }));
    // The few files beside them (favicon…), listed once at start: a static handler
    // asked about every path would look on disk for each page first.
    const files = new Set(publicFiles(clientDir).map((f) => `/${f}`));
    const serveFile = express.static(clientDir, { maxAge: "1h", index: false });
    app.use((req, res, next) => (files.has(req.path) ? serveFile(req, res, next) : next()));
  }

  const trustedOrigins = env.PUBLIC_URL ? [new URL(env.PUBLIC_URL).origin] : [];
  app.use(
    crossOriginProtection(trustedOrigins, async (req, res) => {
      const request = new Request(new URL(req.originalUrl, "http://localhost"), {
        headers: req.headers as Record<string, string>,
      });
      const t = translatorFor(await detectLanguage(request));
      req.log.warn(
        { origin: req.headers.origin, site: req.headers["sec-fetch-site"] },
        "cross-origin form post refused",
      );
      res.status(403).type("text/plain; charset=utf-8").send(t("errors.CROSS_ORIGIN_REQUEST"));
    }),
  );

  // Hand the client's address (as TRUST_PROXY says to read it) to the app in a
  // header of our own; a value the client sent under that name is discarded.
  app.use((req, _res, next) => {
    req.headers[CLIENT_IP_HEADER] = req.ip ?? "";
    next();
  });

  const reactRouter = (serverBuild: ServerBuild | (() => Promise<ServerBuild>)) =>
    createRequestHandler({
      build: serverBuild,
      mode: dev ? "development" : "production",
      getLoadContext: async (req, res) => {
        const { createLoadContext } = (await build()).entry.module as unknown as BuildEntry;
        return createLoadContext(services, {
          requestId: String(req.id),
          cspNonce: res.locals.cspNonce as string,
          log: req.log,
        });
      },
    });
  // Given a function, React Router rebuilds its route tables on every request
  // (for development, where the build changes); in production it gets the
  // build itself, once, and derives them once.
  let production: Promise<express.RequestHandler> | undefined;
  app.all(
    "/{*splat}",
    dev
      ? reactRouter(build)
      : (req, res, next) => {
          production ??= build().then(reactRouter);
          production.then((handle) => handle(req, res, next), next);
        },
  );

  return app;
}
