import { expect, test } from "vitest";
import { baseUrl, openPage } from "./browser.ts";
import { signInAs } from "./helpers.ts";

test("an owner creates an API token, an integration uses it, and after revocation it is refused", async () => {
  const { page, context } = await openPage({ lang: "en" });
  await signInAs(page, "owner@alnoor.test");
  await page.goto("/organisation/tokens");
  await page.getByLabel("Name").fill("Finance ERP");
  await page.getByLabel("members:read").check();
  await page.getByLabel("organisation:read").check();
  await page.getByRole("button", { name: "Create a token" }).click();
  const token = (await page.locator("code.token").textContent())?.trim();
  expect(token).toMatch(/^shf_/);

  const members = await fetch(`${baseUrl()}/api/v1/members`, {
    headers: { Authorization: `Bearer ${token}` },
  });
  expect(members.status).toBe(200);
  const emails = ((await members.json()) as { data: Array<{ email: string }> }).data.map((m) => m.email);
  expect(emails).toEqual(expect.arrayContaining(["owner@alnoor.test", "bidder@alnoor.test"]));
  expect(emails).not.toContain("owner@gulfbuild.test");

  await page.reload();
  await page.getByRole("button", { name: "Revoke" }).first().click();
  await page.getByText("Revoked").first().waitFor();
  const refused = await fetch(`${baseUrl()}/api/v1/organisation`, {
    headers: { Authorization: `Bearer ${token}`, "Accept-Language": "ar" },
  });
  expect(refused.status).toBe(401);
  expect(refused.headers.get("content-type")).toMatch(/^application\/problem\+json/);
  expect(await refused.json()).toEqual({
    type: `${baseUrl()}/api#error-TOKEN_INVALID`,
    title: "غير مصرّح",
    status: 401,
    detail: "رمز الواجهة البرمجية مفقود أو غير صالح أو ملغى.",
    instance: "/api/v1/organisation",
    code: "TOKEN_INVALID",
  });
  await context.close();
});
