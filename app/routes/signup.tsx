import { data, Form, Link, redirect, useSearchParams } from "react-router";
import { z } from "zod";
import { NewAccountFields } from "#app/components/new-account-fields.tsx";
import { Button, ErrorSummary } from "#app/components/ui.tsx";
import { actorContext, sessionPolicy } from "#app/modules/accounts/context.server.ts";
import { sessionCookieHeader } from "#app/modules/accounts/session-cookie.server.ts";
import { createSession } from "#app/modules/accounts/sessions.server.ts";
import { signUp } from "#app/modules/accounts/sign-up.server.ts";
import { i18nContext } from "#app/modules/i18n/context.server.ts";
import { LANGUAGES } from "#app/modules/i18n/i18n.ts";
import { useTranslation } from "#app/modules/i18n/use-translation.ts";
import { servicesContext } from "#app/server/context.ts";
import { isAppError } from "#app/utils/errors.ts";
import { formErrorsOf, parseWith } from "#app/utils/forms.server.ts";
import { clientIp, publicBaseUrl, safeRedirectPath } from "#app/utils/http.server.ts";
import type { Route } from "./+types/signup";

const SignUpForm = z.object({
  displayName: z
    .string()
    .trim()
    .min(1, { message: "errors.displayNameRequired" })
    .max(120, { message: "errors.displayNameRequired" }),
  email: z.email({ message: "errors.emailInvalid" }).max(320, { message: "errors.emailInvalid" }),
  password: z.string().min(1, { message: "errors.passwordRequired" }),
  language: z.enum(LANGUAGES).catch("ar"),
  redirectTo: z.string().optional(),
});

export async function loader({ context }: Route.LoaderArgs) {
  const { t, lang } = context.get(i18nContext);
  if (context.get(actorContext).actor.type === "user") throw redirect("/");
  return { title: `${t("signUp.title")} – ${t("meta.siteName")}`, lang };
}

export async function action({ request, context }: Route.ActionArgs) {
  const { t } = context.get(i18nContext);
  const { database, env } = context.get(servicesContext);
  const form = parseWith(SignUpForm, Object.fromEntries(await request.formData()), t);
  if (!form.ok) return data({ errors: form.errors }, { status: 400 });
  try {
    const ip = clientIp(request);
    const user = await signUp(
      { ...form.value, ip, baseUrl: publicBaseUrl(request, env.PUBLIC_URL) },
      database.db,
    );
    const { token, session } = await createSession(
      database.db,
      { userId: user.id, organisationId: null, ip, userAgent: request.headers.get("user-agent") },
      sessionPolicy(env),
    );
    const next = safeRedirectPath(form.value.redirectTo, "/");
    return redirect(`${next}${next.includes("?") ? "&" : "?"}notice=checkEmail`, {
      status: 303,
      headers: { "Set-Cookie": await sessionCookieHeader(request, token, session.absoluteExpiresAt) },
    });
  } catch (e) {
    if (!isAppError(e)) throw e;
    return data({ errors: formErrorsOf(e, t, "email") }, { status: e.status });
  }
}

export default function SignUp({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useTranslation();
  const errors: Record<string, string | undefined> = actionData?.errors ?? {};
  const [search] = useSearchParams();
  return (
    <div className="narrow">
      <title>{loaderData.title}</title>
      <h1>{t("signUp.title")}</h1>
      <p className="lead">{t("signUp.lead")}</p>
      <ErrorSummary errors={errors} />
      <Form method="post" noValidate>
        <input type="hidden" name="redirectTo" value={search.get("redirectTo") ?? "/"} />
        <NewAccountFields errors={errors} />
        <div className="field">
          <label className="field__label" htmlFor="language">
            {t("signUp.language")}
          </label>
          <select className="field__input" id="language" name="language" defaultValue={loaderData.lang}>
            <option value="ar" lang="ar">
              العربية
            </option>
            <option value="en" lang="en">
              English
            </option>
          </select>
        </div>
        <Button>{t("signUp.submit")}</Button>
      </Form>
      <p className="form-links">
        <Link to="/login">{t("signUp.haveAccount")}</Link>
      </p>
    </div>
  );
}
