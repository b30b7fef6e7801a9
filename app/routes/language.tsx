import { redirect } from "react-router";
import { z } from "zod";
import { serializeLanguageCookie } from "#app/modules/i18n/detect-language.server.ts";
import { LANGUAGES } from "#app/modules/i18n/i18n.ts";
import { safeRedirectPath } from "#app/utils/http.server.ts";
import type { Route } from "./+types/language";

const ChangeLanguage = z.object({ lang: z.enum(LANGUAGES), redirectTo: z.string().optional() });

/** POST /language: remember the reader's language and go back where they were. */
export async function action({ request }: Route.ActionArgs) {
  const form = ChangeLanguage.safeParse(Object.fromEntries(await request.formData()));
  const lang = form.success ? form.data.lang : "ar";
  const to = safeRedirectPath(form.success ? form.data.redirectTo : undefined);
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
