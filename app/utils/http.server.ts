/**
 * The client's address. Express has already applied TRUST_PROXY when it built
 * the request, and passes the result in this header (set by our server, never
 * taken from the client).
 */
export const CLIENT_IP_HEADER = "x-shafaf-client-ip";

export function clientIp(request: Request): string | null {
  const ip = request.headers.get(CLIENT_IP_HEADER);
  return ip && /^[0-9a-fA-F:.]{2,45}$/.test(ip) ? ip : null;
}

/** A path on this site to go back to after a form; anything else (other hosts, `//x`) becomes "/". */
export function safeRedirectPath(to: unknown, fallback = "/"): string {
  if (typeof to !== "string" || !to.startsWith("/") || to.startsWith("//") || to.startsWith("/\\"))
    return fallback;
  return to;
}

/** Where links in e-mails point: PUBLIC_URL when set, else the address this request came to. */
export function publicBaseUrl(request: Request, publicUrl: string | undefined): string {
  return (publicUrl ?? new URL(request.url).origin).replace(/\/+$/, "");
}
