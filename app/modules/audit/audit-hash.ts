import { createHash } from "node:crypto";

/** The first event's predecessor. */
export const GENESIS_HASH = "0".repeat(64);

export interface ChainedContent {
  seq: bigint;
  occurredAt: Date;
  actorUserId: string | null;
  organisationId: string | null;
  action: string;
  objectType: string | null;
  objectId: string | null;
  ip: string | null;
  details: unknown;
}

/** JSON with object keys sorted at every level, so the same content always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
}

/** hash = SHA-256(prevHash ‖ canonical content). Changing any field, or the order, breaks every later link. */
export function chainHash(prevHash: string, event: ChainedContent): string {
  const content = canonicalJson({
    seq: event.seq.toString(),
    occurredAt: event.occurredAt.toISOString(),
    actorUserId: event.actorUserId,
    organisationId: event.organisationId,
    action: event.action,
    objectType: event.objectType,
    objectId: event.objectId,
    ip: event.ip,
    details: event.details,
  });
  return createHash("sha256").update(prevHash).update("\n").update(content).digest("hex");
}
