import type { OcdsRelease } from "./ocds-types.ts";

/**
 * The compiled release of a record: the releases merged in date order by the
 * OCDS merge rules, as far as our data needs them —
 * - a later value replaces an earlier one; an explicit null removes the field;
 * - objects are merged field by field;
 * - an array whose entries are all objects with an `id` is merged entry by
 *   entry on the id (new ids appended in order of first appearance);
 * - any other array, and the wholeListMerge fields, are replaced whole;
 * - the release's own id, date and tag are not merged: the compiled release
 *   gets tag ["compiled"], the latest date and the id `${ocid}-${date}`.
 */

/** Fields the schema marks wholeListMerge: replaced whole even though their entries have ids. */
const WHOLE_LIST = new Set(["additionalIdentifiers", "additionalClassifications"]);
const OMIT_WHEN_MERGED = new Set(["id", "date", "tag"]);

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

const isObject = (v: unknown): v is JsonObject => typeof v === "object" && v !== null && !Array.isArray(v);

const identified = (list: Json[]): list is JsonObject[] =>
  list.every((e) => isObject(e) && (typeof e.id === "string" || typeof e.id === "number"));

function mergeArray(before: Json | undefined, after: Json[], key: string): Json[] {
  if (WHOLE_LIST.has(key) || !identified(after) || !Array.isArray(before) || !identified(before))
    return after.map((v) => mergeValue(undefined, v, ""));
  const merged = new Map<string, JsonObject>(before.map((e) => [String(e.id), e]));
  for (const entry of after) {
    const id = String(entry.id);
    merged.set(id, mergeObject(merged.get(id), entry));
  }
  return [...merged.values()];
}

function mergeObject(before: JsonObject | undefined, after: JsonObject): JsonObject {
  const out: JsonObject = { ...(before ?? {}) };
  for (const [key, value] of Object.entries(after)) {
    if (value === null) {
      delete out[key];
      continue;
    }
    out[key] = Array.isArray(value) ? mergeArray(out[key], value, key) : mergeValue(out[key], value, key);
  }
  return out;
}

function mergeValue(before: Json | undefined, after: Json, key: string): Json {
  if (Array.isArray(after)) return mergeArray(before, after, key);
  if (isObject(after)) return mergeObject(isObject(before) ? before : undefined, after);
  return after;
}

/** Merge the releases of one process (any order in; merged oldest to newest by date). */
export function compileReleases(releases: OcdsRelease[]): OcdsRelease {
  if (releases.length === 0) throw new Error("a compiled release needs at least one release");
  const ordered = [...releases].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  let compiled: JsonObject = {};
  for (const release of ordered) {
    const body = Object.fromEntries(
      Object.entries(release as unknown as JsonObject).filter(([k]) => !OMIT_WHEN_MERGED.has(k)),
    );
    compiled = mergeObject(compiled, body);
  }
  const latest = ordered.at(-1)!;
  return {
    ...(compiled as unknown as OcdsRelease),
    ocid: latest.ocid,
    id: `${latest.ocid}-${latest.date}`,
    date: latest.date,
    tag: ["compiled"],
  };
}
