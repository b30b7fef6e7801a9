import type { NextFunction, Request, Response } from "express";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * CSRF protection for every state-changing request, by the browser's own
 * account of where the request came from (docs/decisions/005): the Fetch
 * Metadata header `Sec-Fetch-Site`, or failing that the `Origin` header, must
 * say the request came from this site. Requests with neither header do not
 * come from a modern browser page (curl, API clients, webhooks) and cannot
 * carry a victim's cookies; they pass, and SameSite=Lax cookies cover the
 * rest. Same algorithm as Go's net/http CrossOriginProtection.
 */
export function isCrossOriginRequest(req: {
  method: string;
  headers: Record<string, string | string[] | undefined>;
  host: string | undefined;
  trustedOrigins: readonly string[];
}): boolean {
  if (SAFE_METHODS.has(req.method)) return false;
  const site = header(req.headers["sec-fetch-site"]);
  if (site !== undefined) return !(site === "same-origin" || site === "none");
  const origin = header(req.headers.origin);
  if (origin === undefined) return false;
  if (req.trustedOrigins.includes(origin)) return false;
  try {
    return new URL(origin).host !== req.host;
  } catch {
    return true; // "null" or garbage: a sandboxed or privacy-stripped cross-site request
  }
}

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

export function crossOriginProtection(
  trustedOrigins: readonly string[],
  refuse: (req: Request, res: Response) => void,
) {
  return (req: Request, res: Response, next: NextFunction) => {
    const cross = isCrossOriginRequest({
      method: req.method,
      headers: req.headers,
      host: req.headers.host,
      trustedOrigins,
    });
    if (cross) refuse(req, res);
    else next();
  };
}
