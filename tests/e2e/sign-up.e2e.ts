import { expect, test } from "vitest";
import { openPage } from "./browser.ts";

test("a person signs up, the admin finds the e-mail in the outbox, and the link confirms the address", async () => {
  const email = `investor-${Date.now()}@example.test`;
  const person = await openPage({ lang: "ar" });
  await person.page.goto("/signup");
  await person.page.getByLabel("اسمك").fill("ريم المستثمرة");
  await person.page.getByLabel("البريد الإلكتروني").fill(email);
  await person.page.getByLabel("كلمة المرور").fill("password");
  await person.page.getByRole("button", { name: "أنشئ الحساب" }).click();
  await person.page.locator("#password-error").waitFor();
  await expect(person.page.locator("#password-error").textContent()).resolves.toBe(
    "استخدم 15 حرفًا على الأقل.",
  );

  await person.page.getByLabel("كلمة المرور").fill("amber lantern over quiet dunes");
  await person.page.getByRole("button", { name: "أنشئ الحساب" }).click();
  await person.page.locator(".notice").waitFor();
  await expect(person.page.locator(".notice").textContent()).resolves.toContain("أرسلنا رابطًا");

  const admin = await openPage({ lang: "en" });
  await admin.page.goto("/login");
  await admin.page.getByLabel("E-mail address").fill("admin@shafaf.test");
  await admin.page.getByLabel("Password").fill("shafaf-demo-2026");
  await admin.page.getByRole("button", { name: "Sign in" }).click();
  await admin.page.locator(".site-header__user").waitFor();
  await admin.page.goto("/admin/outbox");
  const message = admin.page.locator(".outbox__message", { hasText: email }).first();
  await expect(message.locator(".outbox__subject").textContent()).resolves.toBe(
    "أكّد بريدك الإلكتروني في شفاف",
  );
  const link = (await message.locator(".outbox__body").textContent())?.match(
    /https?:\/\/\S+\/verify-email\/[a-z2-7]{32}/,
  )?.[0];
  expect(link).toBeDefined();

  await person.page.goto(link!);
  await person.page.getByRole("button", { name: "أكّد بريدي الإلكتروني" }).click();
  await person.page.locator(".notice").waitFor();
  await expect(person.page.locator(".notice").textContent()).resolves.toBe("تم تأكيد بريدك الإلكتروني.");

  // The link is used up now.
  const again = await person.page.goto(link!);
  expect(again?.status()).toBe(410);

  // Someone without the role cannot read the outbox.
  const forbidden = await person.page.goto("/admin/outbox");
  expect(forbidden?.status()).toBe(403);
  await expect(person.page.locator("h1").textContent()).resolves.toBe("لا يمكنك عرض هذه الصفحة");
  expect([...person.consoleErrors, ...admin.consoleErrors].filter((e) => !e.includes("status of 4"))).toEqual(
    [],
  );
  await person.context.close();
  await admin.context.close();
});
