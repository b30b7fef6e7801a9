import type { NextFunction, Request, RequestHandler, Response } from "express";
import type { Env } from "#app/utils/env.server.ts";

/**
 * Load shedding for bid submissions. At most `maxInFlight` matching requests
 * are handled at once; up to `queueMax` more wait their turn, first come first
 * served, for at most `queueWaitMs`. Anything beyond that is answered at once
 * with 503 and `Retry-After: 1`, before the request reaches React Router, so a
 * shed request never touches the database and a bid is either handled or
 * plainly refused, never left to time out. A slot is freed when the response
 * has been sent or the client has gone away, whichever comes first.
 */

export interface AdmissionOptions {
  maxInFlight: number;
  queueMax: number;
  queueWaitMs: number;
  /** Which requests are counted; others pass straight through. */
  matches: (req: Request) => boolean;
  /** The answer to a shed request. Default: 503, Retry-After: 1, a short plain-text body. */
  refuse?: (req: Request, res: Response) => void;
  /** Told, at most once a second, how many requests were shed since it was last told. */
  onShed?: (count: number) => void;
}

export interface AdmissionController extends RequestHandler {
  /** Requests being handled now, and waiting now (for tests and metrics). */
  stats(): { inFlight: number; queued: number; shed: number };
  readonly limits: Pick<AdmissionOptions, "maxInFlight" | "queueMax" | "queueWaitMs">;
}

/** POST /tenders/:id/bid, as a document request or React Router's `.data` request. */
const BID_PATH = /^\/tenders\/[^/]+\/bid(?:\.data)?\/?$/;

export const isBidSubmission = (req: Pick<Request, "method" | "path">) =>
  req.method === "POST" && BID_PATH.test(req.path);

export const BUSY_MESSAGE = "الخادم مشغول، أعد المحاولة بعد ثانية. — Busy, try again in a second.";

const shedResponses = new WeakSet<object>();

/** This response is a deliberate 503 of the admission controller (not a failure: log it as such). */
export const isShedResponse = (res: object) => shedResponses.has(res);

function busy(_req: Request, res: Response) {
  res
    .status(503)
    .set("Retry-After", "1")
    .set("Cache-Control", "no-store")
    .set("X-Content-Type-Options", "nosniff")
    .type("text/plain; charset=utf-8")
    .send(BUSY_MESSAGE);
}

interface Waiter {
  admit: () => void;
  timer: NodeJS.Timeout;
  /** False once the client has gone (the close event may not have been handled yet). */
  alive: () => boolean;
}

export function admissionControl(options: AdmissionOptions): AdmissionController {
  const { maxInFlight, queueMax, queueWaitMs, matches } = options;
  const refuse = options.refuse ?? busy;
  let inFlight = 0;
  let shed = 0;
  // FIFO; a waiter that leaves (timeout, client gone) is removed from it.
  const queue: Waiter[] = [];

  const release = () => {
    inFlight--;
    // Hand the slot to the oldest waiter still there.
    while (queue.length > 0) {
      const next = queue.shift()!;
      clearTimeout(next.timer);
      if (next.alive()) return next.admit();
    }
  };

  const run = (res: Response, next: NextFunction) => {
    inFlight++;
    let done = false;
    const free = () => {
      if (done) return;
      done = true;
      res.off("finish", free);
      res.off("close", free);
      release();
    };
    res.once("finish", free);
    res.once("close", free);
    next();
  };

  let unreported = 0;
  const report = () => {
    options.onShed?.(unreported);
    unreported = 0;
  };
  const refuseNow = (req: Request, res: Response) => {
    shed++;
    shedResponses.add(res);
    if (options.onShed && unreported++ === 0) setTimeout(report, 1_000).unref();
    refuse(req, res);
  };

  const middleware = ((req: Request, res: Response, next: NextFunction) => {
    if (!matches(req)) return next();
    if (inFlight < maxInFlight && queue.length === 0) return run(res, next);
    if (queue.length >= queueMax) return refuseNow(req, res);
    const leave = () => {
      const i = queue.indexOf(waiter);
      if (i >= 0) queue.splice(i, 1);
      clearTimeout(waiter.timer);
      res.off("close", gone);
    };
    // The client gave up while waiting: forget it, nothing to answer.
    const gone = () => leave();
    const waiter: Waiter = {
      admit: () => {
        res.off("close", gone);
        run(res, next);
      },
      timer: setTimeout(() => {
        leave();
        refuseNow(req, res);
      }, queueWaitMs),
      alive: () => !res.destroyed && !req.socket.destroyed,
    };
    queue.push(waiter);
    res.once("close", gone);
  }) as AdmissionController;
  middleware.stats = () => ({ inFlight, queued: queue.length, shed });
  Object.assign(middleware, { limits: { maxInFlight, queueMax, queueWaitMs } });
  return middleware;
}

/** The controller for bid submissions, as configured (BID_MAX_IN_FLIGHT, BID_QUEUE_MAX, BID_QUEUE_WAIT_MS). */
export function bidAdmission(
  env: Pick<Env, "BID_MAX_IN_FLIGHT" | "BID_QUEUE_MAX" | "BID_QUEUE_WAIT_MS" | "DATABASE_POOL_MAX">,
  onShed?: (count: number) => void,
): AdmissionController {
  return admissionControl({
    maxInFlight: env.BID_MAX_IN_FLIGHT ?? env.DATABASE_POOL_MAX,
    queueMax: env.BID_QUEUE_MAX,
    queueWaitMs: env.BID_QUEUE_WAIT_MS,
    matches: isBidSubmission,
    onShed,
  });
}
