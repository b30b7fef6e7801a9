import { expect, test } from "vitest";
import { pdfBytes } from "#tests/factories/files.ts";
import { openPage } from "./browser.ts";
import { linkFromOutbox, signInAs } from "./helpers.ts";

test("a business registers with its documents, confirms its e-mail from the outbox, and the admin verifies it", async () => {
  const tag = Date.now().toString(36);
  const email = `owner-${tag}@falcon.test`;
  const owner = await openPage({ lang: "en" });
  await owner.page.goto("/register");
  await owner.page.getByLabel("Your name").fill("Faisal Al-Falcon");
  await owner.page.getByLabel("E-mail address").fill(email);
  await owner.page.getByLabel("Password").fill("amber lantern over quiet dunes");
  await owner.page.getByLabel("Legal name in Arabic").fill("الصقر للخدمات");
  await owner.page.getByLabel("Legal name in English").fill(`Falcon Services ${tag}`);
  await owner.page.getByLabel("Commercial registration number").fill(`CR-${tag}`);
  await owner.page.getByLabel("Tax number").fill("310-55");
  await owner.page.getByLabel("Registered address").fill("Kuwait City");
  await owner.page.getByLabel("Contact e-mail").fill("info@falcon.test");
  await owner.page.getByLabel("Contact phone").fill("+965 2200 1100");
  await owner.page
    .getByLabel("Commercial registration certificate")
    .setInputFiles({ name: "cr.pdf", mimeType: "application/pdf", buffer: pdfBytes(2000) });
  await owner.page.getByRole("button", { name: "Register the business" }).click();
  await owner.page.locator(".notice").waitFor();
  await expect(owner.page.locator(".notice").textContent()).resolves.toBe(
    "The business is registered and waiting for verification.",
  );

  const admin = await openPage({ lang: "en" });
  await signInAs(admin.page, "admin@shafaf.test");
  await admin.page.goto("/admin/outbox");
  const body = await admin.page
    .locator(".outbox__message", { hasText: email })
    .first()
    .locator(".outbox__body")
    .textContent();
  const link = body?.match(/https?:\/\/\S+\/verify-email\/[a-z2-7]{32}/)?.[0];
  expect(link).toBeDefined();
  await owner.page.goto(link!);
  await owner.page.getByRole("button", { name: "Confirm my e-mail address" }).click();
  await owner.page.locator(".notice", { hasText: "confirmed" }).waitFor();

  await admin.page.goto("/admin/businesses");
  await admin.page.getByRole("link", { name: `Falcon Services ${tag}` }).click();
  await admin.page.getByText("cr.pdf").waitFor();
  const download = await admin.page.request.get(
    await admin.page
      .getByRole("link", { name: "cr.pdf" })
      .getAttribute("href")
      .then((h) => h!),
  );
  expect(download.status()).toBe(200);
  expect(download.headers()["content-type"]).toBe("application/pdf");
  // The owner's own browser may fetch it too; a stranger's may not.
  const stranger = await openPage({ lang: "en" });
  await signInAs(stranger.page, "owner@gulfbuild.test");
  const refused = await stranger.page.request.get(
    await admin.page
      .getByRole("link", { name: "cr.pdf" })
      .getAttribute("href")
      .then((h) => h!),
  );
  expect(refused.status()).toBe(404);

  await admin.page.getByRole("button", { name: "Verify the business" }).click();
  await admin.page.locator(".notice", { hasText: "Decision recorded." }).waitFor();
  await admin.page.goto("/admin/businesses?status=verified");
  await admin.page.getByRole("link", { name: `Falcon Services ${tag}` }).waitFor();

  // The owner (signed in since registering) invites a member, who accepts and signs in.
  const memberEmail = `bidder-${tag}@falcon.test`;
  await owner.page.goto("/organisation/members");
  await owner.page
    .locator("form", { hasText: "Send the invitation" })
    .getByLabel("E-mail address")
    .fill(memberEmail);
  await owner.page.locator("#invite-bidder").check();
  await owner.page.getByRole("button", { name: "Send the invitation" }).click();
  await owner.page.locator(".pending-list", { hasText: memberEmail }).waitFor();

  const member = await openPage({ lang: "en" });
  await member.page.goto(await linkFromOutbox(admin.page, memberEmail, "invitations"));
  await member.page.getByRole("link", { name: "Create an account" }).click();
  await member.page.getByLabel("Your name").fill("Bidder Falcon");
  await member.page.getByLabel("E-mail address").fill(memberEmail);
  await member.page.getByLabel("Password").fill("copper kettle by the night market");
  await member.page.getByRole("button", { name: "Create account" }).click();
  await member.page.getByRole("button", { name: "Accept the invitation" }).click();
  await member.page.locator(".notice", { hasText: "You have joined" }).waitFor();
  // A bidder: a member of the business, without its administration.
  await expect(member.page.locator(".site-header__user").textContent()).resolves.toBe("Bidder Falcon");
  await expect(member.page.locator(".site-nav").textContent()).resolves.not.toContain("Members");

  await member.page.getByRole("button", { name: "Sign out" }).click();
  await member.page.locator(".site-header__signin").waitFor();
  await signInAs(member.page, memberEmail, "copper kettle by the night market");
  await expect(member.page.locator(".site-header__user").textContent()).resolves.toBe("Bidder Falcon");

  for (const p of [owner, admin, stranger, member]) await p.context.close();
});
