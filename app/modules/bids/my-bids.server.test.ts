import { describe, expect, test } from "vitest";
import { testSealingKeys } from "#tests/factories/keys.ts";
import { agencyWithStaff, bidderBusiness, publishedTender } from "#tests/factories/tenders.ts";
import { testDatabase } from "#tests/setup/db.ts";
import { myBids } from "./my-bids.server.ts";
import { submitBid, withdrawBid } from "./submit-bid.server.ts";

const { db } = testDatabase();
const PRICE_ONLY = [{ nameAr: "السعر", nameEn: "Price", kind: "financial" as const, weight: 100 }];
const keys = testSealingKeys();

describe("a business's own bids", () => {
  test("its bids with the version that counts, never another business's; agencies have none to list", async () => {
    const staff = await agencyWithStaff(db, { evaluators: 0, approvers: 0 });
    const first = await publishedTender(db, keys, staff, { criteria: PRICE_ONLY });
    const second = await publishedTender(db, keys, staff, { criteria: PRICE_ONLY });
    const a = await bidderBusiness(db);
    const b = await bidderBusiness(db);
    const bid = (tender: typeof first, actor: typeof a.actor, price: string) =>
      submitBid(
        {
          actor,
          tenderId: tender.tender.id,
          content: { lots: [{ lotId: tender.lots[0]!.id, price }], responses: {} },
        },
        { db, keys },
      );
    await bid(first, a.actor, "100");
    await bid(first, a.actor, "90");
    await bid(second, a.actor, "80");
    await withdrawBid({ actor: a.actor, tenderId: second.tender.id }, db);
    await bid(first, b.actor, "95");

    const mine = await myBids(a.actor, db);
    expect(mine.map((m) => [m.tender.id, m.status, m.currentVersion])).toEqual([
      [second.tender.id, "withdrawn", null],
      [first.tender.id, "submitted", 2],
    ]);
    expect((await myBids(b.actor, db)).map((m) => m.tender.id)).toEqual([first.tender.id]);
    await expect(myBids(staff.officer, db)).rejects.toMatchObject({ code: "FORBIDDEN" });
  });
});
