import type { Queryable } from "#db/client.server.ts";
import { tenderIdOfOcid } from "./ids.ts";
import { loadTenderProcesses } from "./load-tender-processes.server.ts";
import type { OcdsRecordPackage } from "./ocds-types.ts";
import { recordPackage } from "./packages.ts";
import { buildReleases, type OcdsContext } from "./tender-releases.ts";

/**
 * GET /api/ocds/records/:ocid: the record of one contracting process, its
 * releases embedded oldest first and the compiled release. Null for an ocid
 * that is not ours or names no public process (a draft is no process yet).
 */
export async function ocdsRecord(
  ocid: string,
  ctx: OcdsContext,
  db: Queryable,
): Promise<OcdsRecordPackage | null> {
  const tenderId = tenderIdOfOcid(ctx.prefix, ocid);
  if (!tenderId) return null;
  const process = (await loadTenderProcesses([tenderId], db)).get(tenderId);
  if (!process) return null;
  return recordPackage({ ocid, releases: buildReleases(process, ctx), now: new Date() }, ctx);
}
