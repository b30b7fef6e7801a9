import fs from "node:fs";
import type { Locator, Page } from "playwright-core";
import { expect, test } from "vitest";
import { openPage } from "./browser.ts";
import { signInAs } from "./helpers.ts";

/** Screenshots of the journey, for people to look at (not compared by the test). */
const SHOTS = process.env.SHAFAF_SCREENSHOTS_DIR;
async function shot(page: Page, name: string) {
  if (!SHOTS) return;
  fs.mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
}

/** The page as it is now, in English and in Arabic (chosen as the language switcher does), then back in `lang`. */
async function bothLanguages(page: Page, name: string, lang: "ar" | "en") {
  const choose = (l: "ar" | "en") => page.request.post("/language", { form: { lang: l }, maxRedirects: 0 });
  for (const other of ["en", "ar"] as const) {
    await choose(other);
    await page.reload();
    await expect(page.locator("html").getAttribute("lang")).resolves.toBe(other);
    await shot(page, `${name}-${other}`);
  }
  await choose(lang);
  await page.reload();
}

/** Submit a form by one of its buttons and wait for the redirect that says it was done. */
async function submit(page: Page, button: Locator, done: RegExp) {
  await button.click();
  await page.waitForURL(done);
}

/** A form of the page holding the hidden field intent=`intent`. */
const formOf = (page: Page, intent: string) =>
  page.locator("form", { has: page.locator(`input[name=intent][value=${intent}]`) });

/** A date `days` from today as the date field wants it. */
const dayIn = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

test("from opened bids to a signed contract: committee, conflicts, qualification, scores, closing, recommendation, approval with its notice, contract accepted and signed, all public", async () => {
  // 1. The officer finds the opened tender, forms the committee, names the chair and sets no standstill.
  const officer = await openPage({ lang: "en" });
  const o = officer.page;
  await signInAs(o, "officer1@capital.gov.test");
  await o.goto("/tenders/manage");
  await o
    .locator("tbody tr", { hasText: "Street lighting upgrade in Al Olaya" })
    .locator("a")
    .first()
    .click();
  await o.locator("h1", { hasText: "Street lighting" }).waitFor();
  const tenderId = new URL(o.url()).pathname.split("/").at(-1)!;
  const evaluationUrl = `/tenders/manage/${tenderId}/evaluation`;
  await o.locator("main a", { hasText: /^Evaluation$/ }).click();
  await o.waitForURL(`**${evaluationUrl}`);
  for (const email of ["evaluator1@capital.gov.test", "evaluator2@capital.gov.test"]) {
    await o.goto(evaluationUrl); // a URL without ?done=, so the redirect below is seen
    const assign = formOf(o, "assign");
    const value = await assign.locator("option", { hasText: email }).getAttribute("value");
    await assign.locator("select[name=userId]").selectOption(value!);
    await submit(o, assign.locator("button"), /done=saved/);
  }
  const chair = formOf(o, "chair");
  const chairId = await chair.locator("option", { hasText: "هيفاء العمري" }).getAttribute("value");
  await o.goto(evaluationUrl);
  await chair.locator("select[name=userId]").selectOption(chairId!);
  await submit(o, chair.locator("button"), /done=saved/);
  await o.goto(evaluationUrl);
  await o.locator("input[name=standstillDays]").fill("0");
  await submit(o, formOf(o, "standstill").locator("button"), /done=saved/);
  await expect(o.locator("input[name=standstillDays]").inputValue()).resolves.toBe("0");
  await expect(o.locator("main table").first().textContent()).resolves.toContain("Rami Khalil");
  await bothLanguages(o, "award-01-committee", "en");

  // 2. Each member declares no conflict with any bidder; the chair then qualifies both bids.
  const chairMember = await openPage({ lang: "ar" });
  const c = chairMember.page;
  await signInAs(c, "evaluator1@capital.gov.test");
  const member = await openPage({ lang: "en" });
  const m = member.page;
  await signInAs(m, "evaluator2@capital.gov.test");
  const scoringUrl = `/evaluations/${tenderId}`;
  for (const p of [c, m]) {
    await p.goto(scoringUrl);
    const radios = p.locator("input[type=radio][value=none]");
    expect(await radios.count()).toBe(2);
    for (const radio of await radios.all()) await radio.check();
    await submit(p, formOf(p, "declare").locator("button"), /done=declared/);
  }
  await c.goto(evaluationUrl);
  const qualifyForms = formOf(c, "qualify");
  expect(await qualifyForms.count()).toBe(2);
  for (let i = 0; i < 2; i++) {
    await c.goto(evaluationUrl);
    await qualifyForms.nth(i).locator("input[type=radio][value=pass]").check();
    await submit(c, qualifyForms.nth(i).locator("button"), /done=saved/);
  }
  // The URL changes before the page has re-rendered with the new data: wait for the second tag.
  const qualified = c.locator("#qualification ~ section h3 .tag--success");
  await qualified.nth(1).waitFor();
  expect(await qualified.count()).toBe(2);

  // 3. Both score the technical criterion the same; the price decides. Each submits.
  for (const [p, points] of [
    [c, "82"],
    [m, "82.50"],
  ] as const) {
    await p.goto(scoringUrl);
    const fields = p.locator("input[name^=score-]");
    expect(await fields.count()).toBe(2);
    for (const field of await fields.all()) await field.fill(points);
    if (p === m) await shot(p, "award-02-scoring-en");
    await submit(p, p.locator("button[name=intent][value=submit]"), /done=submitted/);
  }
  await bothLanguages(m, "award-03-scores-submitted", "en");

  // 4. The chair sees the result as it stands and closes the evaluation; its result is stored with its digest.
  await c.goto(evaluationUrl);
  await expect(c.locator("#preview ~ section table").first().textContent()).resolves.toContain(
    "الخليج للبناء",
  );
  await bothLanguages(c, "award-04-chair-before-closing", "ar");
  await submit(c, formOf(c, "close").locator("button"), /done=closed/);
  await expect(c.locator("code.digest").textContent()).resolves.toMatch(/SHA-256 [0-9a-f]{64}/);

  // 5. The officer recommends the first-ranked bid.
  await o.goto(evaluationUrl);
  const recommend = formOf(o, "recommend");
  await expect(recommend.locator("select[name=bidId] option:checked").textContent()).resolves.toContain(
    "Gulf Build",
  );
  await submit(o, recommend.locator("button"), /done=recommended/);
  await expect(o.locator("#awards ~ section").first().textContent()).resolves.toContain("Gulf Build");
  await bothLanguages(o, "award-05-recommended", "en");

  // 6. An approver who did not recommend it approves: the notice is public, the standstill (0 days) over.
  const approver = await openPage({ lang: "ar" });
  const a = approver.page;
  await signInAs(a, "approver@capital.gov.test");
  await a.goto("/approvals");
  await a.locator("main a", { hasText: "تحديث إنارة الشوارع في حي العليا" }).first().click();
  await a.waitForURL(/\/approvals\/awards\//);
  const decisionUrl = new URL(a.url()).pathname;
  await bothLanguages(a, "award-06-approval", "ar");
  await expect(formOf(a, "approve").textContent()).resolves.toContain("لا فترة توقف");
  await submit(a, formOf(a, "approve").locator("button"), /done=approved/);
  await shot(a, "award-06-approved-ar");
  await expect(a.locator("main").textContent()).resolves.toContain("الخليج للبناء");

  const visitor = await openPage({ lang: "en" });
  const v = visitor.page;
  await v.goto(`/tenders/${tenderId}`);
  await expect(v.locator("#awards + ul").textContent()).resolves.toContain("Gulf Build");

  // 7. The officer makes the contract: its period and two milestones adding up to the awarded price.
  const contractUrl = `/tenders/manage/${tenderId}/contract`;
  await o.goto(`/tenders/manage/${tenderId}`);
  await o.locator("main a", { hasText: /^Contracts$/ }).click();
  await o.waitForURL(`**${contractUrl}`);
  const create = formOf(o, "create");
  await create.locator("input[name=startsOn]").fill(dayIn(7));
  await create.locator("input[name=endsOn]").fill(dayIn(190));
  for (const [i, ar, en, due, amount] of [
    [0, "توريد أعمدة الإنارة وتركيبها", "Supply and installation of the lighting poles", 90, "1965300.00"],
    [1, "التشغيل والاختبار والتسليم", "Commissioning, testing and handover", 180, "1310200.00"],
  ] as const) {
    await create.locator(`input[name='milestones.${i}.titleAr']`).fill(ar);
    await create.locator(`input[name='milestones.${i}.titleEn']`).fill(en);
    await create.locator(`input[name='milestones.${i}.dueOn']`).fill(dayIn(due));
    await create.locator(`input[name='milestones.${i}.amount']`).fill(amount);
  }
  await shot(o, "award-07-contract-form-en");
  await submit(o, create.locator("button"), /done=created/);

  // 8. The winner's owner accepts it; an approver of the agency (not its maker) signs it.
  const supplier = await openPage({ lang: "en" });
  const s = supplier.page;
  await signInAs(s, "owner@gulfbuild.test");
  await s.goto("/contracts");
  await s.locator("main tbody tr", { hasText: "Street lighting" }).locator("a").first().click();
  await s.waitForURL(/\/contracts\/[0-9a-f-]{36}/);
  await bothLanguages(s, "award-08-supplier-accepts", "en");
  await submit(s, formOf(s, "accept").locator("button"), /done=accepted/);

  await a.goto(contractUrl);
  await submit(a, formOf(a, "sign").locator("button"), /done=signed/);
  await bothLanguages(a, "award-09-contract-signed", "ar");
  await expect(a.locator("main").textContent()).resolves.toContain("بدر السبيعي");

  // 9. Anyone reads the award and the signed contract on the public tender page.
  await v.goto(`/tenders/${tenderId}`);
  await v.locator("#contracts").waitFor();
  const main = (await v.locator("main").textContent()) ?? "";
  expect(main).toContain("Gulf Build");
  expect(main).toContain("3,275,500.00");
  await bothLanguages(v, "award-10-public-tender", "en");

  // The approval page still reads as decided; nobody saw a console error.
  await a.goto(decisionUrl);
  await expect(a.locator("form input[name=intent][value=approve]").count()).resolves.toBe(0);
  for (const page of [officer, chairMember, member, approver, visitor, supplier])
    expect(page.consoleErrors).toEqual([]);
  for (const page of [officer, chairMember, member, approver, visitor, supplier]) await page.context.close();
}, 300_000);
