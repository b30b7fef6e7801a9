import { checkpointContents } from "#app/modules/ledger/checkpoint-contents.server.ts";
import { loadPlatformKey } from "#app/modules/ledger/platform-key.server.ts";
import { servicesContext } from "#app/server/context.ts";
import type { Route } from "./+types/transparency.checkpoints.$checkpointId";

/**
 * GET /transparency/checkpoints/:id (or :id.json): a signed checkpoint with
 * the content hashes it closes and the platform's public key, as JSON, so
 * anyone can recompute it. Public; a checkpoint never changes once written.
 */
export async function loader({ params, context }: Route.LoaderArgs) {
  const match = /^([1-9][0-9]{0,17})(?:\.json)?$/.exec(params.checkpointId);
  const notFound = () =>
    Response.json({ error: "NOT_FOUND" }, { status: 404, headers: { "Cache-Control": "no-store" } });
  if (!match) return notFound();
  const { database, env } = context.get(servicesContext);
  const contents = await checkpointContents(BigInt(match[1]!), database.db, await loadPlatformKey(env));
  if (!contents) return notFound();
  return Response.json(contents, {
    headers: {
      "Cache-Control": "public, max-age=3600",
      "Access-Control-Allow-Origin": "*",
      "Content-Disposition": `inline; filename="checkpoint-${contents.id}.json"`,
    },
  });
}
