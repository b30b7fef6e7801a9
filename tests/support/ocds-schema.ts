import fs from "node:fs";
import path from "node:path";
import AjvDraft04, { type ValidateFunction } from "ajv-draft-04";
import { parse } from "csv-parse/sync";

/**
 * Validation of our open data against the OFFICIAL OCDS 1.1.5 schemas and
 * codelists in tests/support/ocds-1.1.5 (from open-contracting/standard, tag
 * 1__1__5), for every test that emits OCDS (tender, award, contract and
 * implementation releases, their packages and records).
 *
 * - The schemas are JSON Schema draft 4 (ajv-draft-04). The package schemas
 *   $ref the release schema by its remote id; it is added under that id, so
 *   nothing is fetched. The versioned-release schema is not in the set: it is
 *   registered as a schema nothing satisfies, so a record that carried a
 *   versionedRelease would fail rather than pass unchecked.
 * - `date-time` and `uri` are checked by our own format functions (ajv-formats
 *   is not installed): RFC 3339 date-times, absolute URIs.
 * - Open codelists are not enforced by the schema (only closed ones are
 *   enums), so `codelistProblems` walks the release schema's `codelist`
 *   annotations and checks every such value against the codelist's CSV.
 */

const OCDS_DIR = path.resolve(import.meta.dirname, "ocds-1.1.5");
const BASE = "https://standard.open-contracting.org/schema/1__1__5";

type SchemaNode = {
  $ref?: string;
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
  codelist?: string;
  definitions?: Record<string, SchemaNode>;
};

const readJson = (name: string) => JSON.parse(fs.readFileSync(path.join(OCDS_DIR, name), "utf8"));

const RFC3339 =
  /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)(\.\d+)?(Z|[+-]([01]\d|2[0-3]):[0-5]\d)$/i;

function isAbsoluteUri(value: string): boolean {
  if (!/^[a-z][a-z0-9+.-]*:/i.test(value) || /\s/.test(value)) return false;
  try {
    new URL(value);
    return true;
  } catch {
    return false;
  }
}

export interface OcdsValidators {
  release: ValidateFunction;
  releasePackage: ValidateFunction;
  recordPackage: ValidateFunction;
  /** The release schema, for walking its codelist annotations. */
  releaseSchema: SchemaNode;
}

let cached: OcdsValidators | undefined;

/** Compiled validators of the official schemas (built once per test file). */
export function ocdsValidators(): OcdsValidators {
  if (cached) return cached;
  // strict: false — the OCDS schemas carry their own keywords (codelist, openCodelist,
  // omitWhenMerged, versionId, wholeListMerge, deprecated) and draft-4 idioms ajv's strict mode rejects.
  const ajv = new AjvDraft04({ allErrors: true, strict: false });
  ajv.addFormat("date-time", (v: string) => RFC3339.test(v) && !Number.isNaN(Date.parse(v)));
  ajv.addFormat("uri", isAbsoluteUri);
  const releaseSchema = readJson("release-schema.json");
  ajv.addSchema(releaseSchema);
  ajv.addSchema({ id: `${BASE}/versioned-release-validation-schema.json`, not: {} });
  cached = {
    release: ajv.getSchema(`${BASE}/release-schema.json`)!,
    releasePackage: ajv.compile(readJson("release-package-schema.json")),
    recordPackage: ajv.compile(readJson("record-package-schema.json")),
    releaseSchema,
  };
  return cached;
}

/** The schema errors of `data`, one readable line each ([] when valid). */
export function schemaErrors(validate: ValidateFunction, data: unknown): string[] {
  // Validate what a client receives: the JSON text, parsed (no undefined, no Dates).
  const json = JSON.parse(JSON.stringify(data));
  if (validate(json)) return [];
  return (validate.errors ?? []).map(
    (e) => `${e.instancePath || "/"} ${e.message ?? e.keyword} ${JSON.stringify(e.params)}`,
  );
}

const codelists = new Map<string, Set<string>>();

/** The codes of one codelist CSV of the set (its Code column). */
export function codelist(file: string): Set<string> {
  let codes = codelists.get(file);
  if (!codes) {
    const rows = parse(fs.readFileSync(path.join(OCDS_DIR, "codelists", file), "utf8"), {
      columns: true,
      skip_empty_lines: true,
    }) as Array<{ Code: string }>;
    codes = new Set(rows.map((r) => r.Code));
    codelists.set(file, codes);
  }
  return codes;
}

/**
 * Every value of a codelist-backed field (open or closed) in a release that is
 * not in its codelist, as "path: value (codelist.csv)". Fields the release
 * schema does not know (extension fields) are not walked.
 */
export function codelistProblems(release: unknown): string[] {
  const { releaseSchema } = ocdsValidators();
  const definitions = releaseSchema.definitions ?? {};
  const problems: string[] = [];
  const resolve = (node: SchemaNode): SchemaNode => {
    let current = node;
    while (current.$ref?.startsWith("#/definitions/"))
      current = definitions[current.$ref.slice("#/definitions/".length)] ?? {};
    return current;
  };
  const walk = (node: SchemaNode, value: unknown, at: string) => {
    if (value === null || value === undefined) return;
    const schema = resolve(node);
    if (schema.codelist) {
      const codes = codelist(schema.codelist);
      for (const v of Array.isArray(value) ? value : [value])
        if (typeof v !== "string" || !codes.has(v)) problems.push(`${at}: ${String(v)} (${schema.codelist})`);
      return;
    }
    if (Array.isArray(value)) {
      const items = schema.items;
      if (items) for (const [i, v] of value.entries()) walk(items, v, `${at}/${i}`);
      return;
    }
    if (typeof value === "object" && schema.properties)
      for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
        const property = schema.properties[key];
        if (property) walk(property, v, `${at}/${key}`);
      }
  };
  walk(releaseSchema, JSON.parse(JSON.stringify(release)), "");
  return problems;
}

/** Schema errors and codelist problems of a release package, and of each of its releases ([] when valid). */
export function releasePackageProblems(pkg: { releases: unknown[] }): string[] {
  const { releasePackage } = ocdsValidators();
  return [
    ...schemaErrors(releasePackage, pkg),
    ...pkg.releases.flatMap((r, i) => codelistProblems(r).map((p) => `/releases/${i}${p}`)),
  ];
}

/** Schema errors and codelist problems of a record package, its releases and compiled releases ([] when valid). */
export function recordPackageProblems(pkg: {
  records: Array<{ releases: unknown[]; compiledRelease?: unknown }>;
}): string[] {
  const { recordPackage } = ocdsValidators();
  return [
    ...schemaErrors(recordPackage, pkg),
    ...pkg.records.flatMap((record, i) => [
      ...record.releases.flatMap((r, j) => codelistProblems(r).map((p) => `/records/${i}/releases/${j}${p}`)),
      ...(record.compiledRelease
        ? codelistProblems(record.compiledRelease).map((p) => `/records/${i}/compiledRelease${p}`)
        : []),
    ]),
  ];
}
