/**
 * Identifiers of our open data: one Open Contracting ID (ocid) per tender,
 * `${OCDS_PREFIX}-${tender id}`, and release ids `${ocid}-${key}` where the key
 * names the event (`tender`, `amendment-2`, `opening`, ...). Both are stable:
 * the same event always has the same release id, and no two events share one.
 */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function ocidOf(prefix: string, tenderId: string): string {
  return `${prefix}-${tenderId}`;
}

/** The tender id inside an ocid of ours, or null for anything else (another prefix, not a uuid). */
export function tenderIdOfOcid(prefix: string, ocid: string): string | null {
  if (!ocid.startsWith(`${prefix}-`)) return null;
  const rest = ocid.slice(prefix.length + 1);
  return UUID.test(rest) ? rest : null;
}

export function releaseIdOf(ocid: string, key: string): string {
  return `${ocid}-${key}`;
}
