import { expect, test } from "vitest";
import { openPage } from "./browser.ts";
import { signInAs } from "./helpers.ts";

test("a member of one business cannot read or change another's data by page or form post, even with real ids", async () => {
  const alnoor = await openPage({ lang: "en" });
  await signInAs(alnoor.page, "owner@alnoor.test");
  await alnoor.page.goto("/organisation/members");
  const bidderRow = alnoor.page.locator("tr", { hasText: "bidder@alnoor.test" });
  const membershipId = await bidderRow.locator('input[name="membershipId"]').first().getAttribute("value");
  expect(membershipId).toMatch(/^[0-9a-f-]{36}$/);

  const gulf = await openPage({ lang: "en" });
  await signInAs(gulf.page, "owner@gulfbuild.test");
  // A form post with Al Noor's membership id, from Gulf Build's own session and page.
  await gulf.page.goto("/organisation/members");
  const response = await gulf.page.request.post("/organisation/members", {
    form: { intent: "remove", membershipId: membershipId! },
    headers: { Origin: new URL(gulf.page.url()).origin },
    maxRedirects: 0,
  });
  expect(response.status()).toBe(404);
  await alnoor.page.reload();
  // Counted once the page shows it (a client-side navigation renders after the URL changes).
  await alnoor.page.locator("tr", { hasText: "bidder@alnoor.test" }).first().waitFor();
  expect(await alnoor.page.locator("tr", { hasText: "bidder@alnoor.test" }).count()).toBe(1);

  // Admin-only pages are closed to a business, with a translated 403.
  for (const path of ["/admin/businesses", "/admin/outbox", "/audit", "/admin/agencies"]) {
    const res = await gulf.page.goto(path);
    expect(res?.status(), path).toBe(403);
  }
  await expect(gulf.page.locator("h1").textContent()).resolves.toBe("You cannot see this page");
  await alnoor.context.close();
  await gulf.context.close();
});
