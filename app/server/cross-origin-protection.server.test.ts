import { describe, expect, test } from "vitest";
import { isCrossOriginRequest } from "./cross-origin-protection.server.ts";

const check = (method: string, headers: Record<string, string>, trusted: string[] = []) =>
  isCrossOriginRequest({ method, headers, host: "shafaf.example.gov", trustedOrigins: trusted });

describe("CSRF protection by origin", () => {
  test("reads are never refused", () => {
    expect(check("GET", { "sec-fetch-site": "cross-site" })).toBe(false);
    expect(check("HEAD", { origin: "https://evil.example" })).toBe(false);
  });

  test("a form posted from this site passes", () => {
    expect(check("POST", { "sec-fetch-site": "same-origin", origin: "https://shafaf.example.gov" })).toBe(
      false,
    );
    expect(check("POST", { "sec-fetch-site": "none" })).toBe(false); // typed or bookmarked by the user
  });

  test("a form posted from another site is refused", () => {
    expect(check("POST", { "sec-fetch-site": "cross-site", origin: "https://evil.example" })).toBe(true);
    expect(check("POST", { "sec-fetch-site": "same-site", origin: "https://sub.example.gov" })).toBe(true);
  });

  test("without Fetch Metadata, the Origin header decides", () => {
    expect(check("POST", { origin: "https://shafaf.example.gov" })).toBe(false);
    expect(check("POST", { origin: "https://evil.example" })).toBe(true);
    expect(check("DELETE", { origin: "null" })).toBe(true);
  });

  test("an origin configured as trusted (the public URL behind a proxy) passes", () => {
    expect(check("POST", { origin: "https://portal.gov.example" }, ["https://portal.gov.example"])).toBe(
      false,
    );
  });

  test("non-browser clients (curl, API integrators, webhooks) send neither header and pass", () => {
    expect(check("POST", {})).toBe(false);
  });
});
