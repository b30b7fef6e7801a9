import { z } from "zod";
import { requireUser } from "#app/modules/accounts/context.server.ts";
import { serializeBidReceipt } from "#app/modules/bids/bid-receipt.ts";
import { myBidReceipt } from "#app/modules/bids/my-bid.server.ts";
import { servicesContext } from "#app/server/context.ts";
import { throwAsResponse } from "#app/utils/responses.server.ts";
import type { Route } from "./+types/tenders.$tenderId.bid.receipts.$version";

/** GET: the bidder's signed receipt for one submission, as a file to keep. */
export async function loader({ request, params, context }: Route.LoaderArgs) {
  const { actor } = requireUser(request, context);
  const tenderId = z.uuid().safeParse(params.tenderId);
  const version = z.coerce.number().int().min(1).max(10_000).safeParse(params.version);
  if (!tenderId.success || !version.success) throw new Response("Not found", { status: 404 });
  const { database, env } = context.get(servicesContext);
  const receipt = await myBidReceipt(
    actor,
    { tenderId: tenderId.data, version: version.data },
    { db: database.db, env },
  ).catch(throwAsResponse);
  return new Response(serializeBidReceipt(receipt), {
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      "Content-Disposition": `attachment; filename="bid-receipt-${receipt.tenderReference}-v${receipt.version}.json"`,
      "Cache-Control": "private, no-store",
    },
  });
}
