import { redirect } from "react-router";
import { z } from "zod";
import { serializeLanguageCookie } from "#app/modules/i18n/detect-language.server.ts";
import { LANGUAGES } from "#app/modules/i18n/i18n.ts";
import type { Route } from "./+types/language";

const ChangeLanguage = z.object({
  lang: z.enum(LANGUAGES),
  // Only a path on this site: never an open redirect.
  redirectTo: z
    .string()
    .regex(/^\/(?![/\\])/)
    .catch("/"),
});

/** POST /language: remember the reader's language and go back where they were. */
export async function action({ request }: Route.ActionArgs) {
  const form = ChangeLanguage.safeParse(Object.fromEntries(await request.formData()));
  const lang = form.success ? form.data.lang : "ar";
  const to = form.success ? form.data.redirectTo : "/";
  const secure = new URL(request.url).protocol === "https:";
  return redirect(to, {
    status: 303,
    headers: { "Set-Cookie": await serializeLanguageCookie(lang, { secure }) },
  });
}

/** A GET here changes nothing: send the reader home. */
export function loader() {
  return redirect("/");
}
