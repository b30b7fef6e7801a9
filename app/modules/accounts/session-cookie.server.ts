import { createCookie } from "react-router";

/** The session cookie: HttpOnly, SameSite=Lax, Secure whenever the request came over TLS. */
const sessionCookie = createCookie("shafaf_session", { path: "/", httpOnly: true, sameSite: "lax" });

const isSecure = (request: Request) => new URL(request.url).protocol === "https:";

export async function readSessionToken(request: Request): Promise<string | null> {
  const value = await sessionCookie.parse(request.headers.get("Cookie"));
  return typeof value === "string" ? value : null;
}

export function sessionCookieHeader(request: Request, token: string, expiresAt: Date): Promise<string> {
  return sessionCookie.serialize(token, { secure: isSecure(request), expires: expiresAt });
}

export function clearSessionCookieHeader(request: Request): Promise<string> {
  return sessionCookie.serialize("", { secure: isSecure(request), maxAge: 0 });
}
