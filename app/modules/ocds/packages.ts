import { compileReleases } from "./merge.ts";
import type { OcdsPublisher, OcdsRecordPackage, OcdsRelease, OcdsReleasePackage } from "./ocds-types.ts";
import type { OcdsContext } from "./tender-releases.ts";

/**
 * Release and record packages, and the paging of the release list. Pure:
 * the .server.ts use cases read the database and call these.
 */

/**
 * Extensions whose fields we use beyond core OCDS 1.1: tender.lots and
 * items[].relatedLot (lots), tender.enquiries (enquiries). Core 1.1 allows the
 * additional fields, so the releases validate against the core schema too.
 */
export const OCDS_EXTENSIONS = [
  "https://raw.githubusercontent.com/open-contracting-extensions/ocds_lots_extension/v1.1.5/extension.json",
  "https://raw.githubusercontent.com/open-contracting-extensions/ocds_enquiry_extension/v1.1.5/extension.json",
];

export const DEFAULT_LIMIT = 100;
export const MAX_LIMIT = 1000;

export function publisherOf(ctx: OcdsContext): OcdsPublisher {
  return { name: "Shafaf", uri: ctx.baseUrl };
}

/** Where a page of the list starts: strictly after (older than) this release. */
export interface ReleaseCursor {
  /** The release date to the millisecond, ISO 8601 UTC. */
  date: string;
  id: string;
}

const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** Opaque to clients: base64url of the JSON pair [date, release id]. */
export function encodeCursor(cursor: ReleaseCursor): string {
  return Buffer.from(JSON.stringify([cursor.date, cursor.id]), "utf8").toString("base64url");
}

/** The cursor, or null when it is not one of ours. */
export function decodeCursor(text: string): ReleaseCursor | null {
  if (text.length === 0 || text.length > 800 || !/^[A-Za-z0-9_-]+$/.test(text)) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(text, "base64url").toString("utf8"));
  } catch {
    return null;
  }
  if (!Array.isArray(parsed) || parsed.length !== 2) return null;
  const [date, id] = parsed as unknown[];
  if (typeof date !== "string" || !ISO_MS.test(date) || Number.isNaN(Date.parse(date))) return null;
  if (new Date(date).toISOString() !== date) return null;
  if (typeof id !== "string" || id.length === 0 || id.length > 300 || /[\p{Cc}#]/u.test(id)) return null;
  return { date, id };
}

export type ReleaseQuery = { limit: number; cursor: ReleaseCursor | null };
export type QueryProblem = { parameter: "limit" | "cursor" };

/** `limit` (1 to 1000, default 100) and `cursor` from the query string; a problem names the bad one. */
export function parseReleaseQuery(
  params: URLSearchParams,
): { ok: true; value: ReleaseQuery } | { ok: false; problem: QueryProblem } {
  const limits = params.getAll("limit");
  const cursors = params.getAll("cursor");
  let limit = DEFAULT_LIMIT;
  if (limits.length > 1) return { ok: false, problem: { parameter: "limit" } };
  if (limits.length === 1) {
    const text = limits[0]!;
    if (!/^\d{1,4}$/.test(text)) return { ok: false, problem: { parameter: "limit" } };
    limit = Number(text);
    if (limit < 1 || limit > MAX_LIMIT) return { ok: false, problem: { parameter: "limit" } };
  }
  if (cursors.length > 1) return { ok: false, problem: { parameter: "cursor" } };
  let cursor: ReleaseCursor | null = null;
  if (cursors.length === 1) {
    cursor = decodeCursor(cursors[0]!);
    if (!cursor) return { ok: false, problem: { parameter: "cursor" } };
  }
  return { ok: true, value: { limit, cursor } };
}

/** The newest release date of the list, or now for an empty one (its contents' last change). */
function latestDate(releases: OcdsRelease[], now: Date): string {
  return (
    releases.reduce<string | null>((max, r) => (max === null || r.date > max ? r.date : max), null) ??
    now.toISOString()
  );
}

export function releasesUrl(
  ctx: OcdsContext,
  query: { limit: number; cursor?: ReleaseCursor | null },
): string {
  const params = new URLSearchParams();
  if (query.limit !== DEFAULT_LIMIT) params.set("limit", String(query.limit));
  if (query.cursor) params.set("cursor", encodeCursor(query.cursor));
  const search = params.toString();
  return `${ctx.baseUrl}/api/ocds/releases${search ? `?${search}` : ""}`;
}

export function recordUrl(ctx: OcdsContext, ocid: string): string {
  return `${ctx.baseUrl}/api/ocds/records/${encodeURIComponent(ocid)}`;
}

/** A page of the release list, newest first, with the link to the next page when there is one. */
export function releasePackage(
  input: { releases: OcdsRelease[]; query: ReleaseQuery; next: ReleaseCursor | null; now: Date },
  ctx: OcdsContext,
): OcdsReleasePackage {
  return {
    uri: releasesUrl(ctx, input.query),
    version: "1.1",
    extensions: OCDS_EXTENSIONS,
    publishedDate: latestDate(input.releases, input.now),
    publisher: publisherOf(ctx),
    releases: input.releases,
    ...(input.next
      ? { links: { next: releasesUrl(ctx, { limit: input.query.limit, cursor: input.next }) } }
      : {}),
  };
}

/** The record of one process: its releases embedded oldest first, and the compiled release. */
export function recordPackage(
  input: { ocid: string; releases: OcdsRelease[]; now: Date },
  ctx: OcdsContext,
): OcdsRecordPackage {
  const releases = [...input.releases].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  return {
    uri: recordUrl(ctx, input.ocid),
    version: "1.1",
    extensions: OCDS_EXTENSIONS,
    publishedDate: latestDate(releases, input.now),
    publisher: publisherOf(ctx),
    records: [{ ocid: input.ocid, releases, compiledRelease: compileReleases(releases) }],
  };
}
