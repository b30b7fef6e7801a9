import { data, Form, Link, redirect, useSearchParams } from "react-router";
import { z } from "zod";
import { Button, ErrorSummary, TextField } from "#app/components/ui.tsx";
import { actorContext, sessionPolicy } from "#app/modules/accounts/context.server.ts";
import { readSessionToken, sessionCookieHeader } from "#app/modules/accounts/session-cookie.server.ts";
import { invalidateSession, sessionIdOf } from "#app/modules/accounts/sessions.server.ts";
import { signIn } from "#app/modules/accounts/sign-in.server.ts";
import { i18nContext } from "#app/modules/i18n/context.server.ts";
import { useTranslation } from "#app/modules/i18n/use-translation.ts";
import { servicesContext } from "#app/server/context.ts";
import { isAppError } from "#app/utils/errors.ts";
import { parseWith } from "#app/utils/forms.server.ts";
import { clientIp, safeRedirectPath } from "#app/utils/http.server.ts";
import type { Route } from "./+types/login";

const SignInForm = z.object({
  email: z
    .string()
    .trim()
    .min(1, { message: "errors.emailRequired" })
    .max(320, { message: "errors.emailInvalid" }),
  password: z
    .string()
    .min(1, { message: "errors.passwordRequired" })
    .max(4096, { message: "errors.passwordRequired" }),
  redirectTo: z.string().optional(),
});

export async function loader({ context }: Route.LoaderArgs) {
  const { t } = context.get(i18nContext);
  if (context.get(actorContext).actor.type === "user") throw redirect("/");
  return { title: `${t("signIn.title")} – ${t("meta.siteName")}` };
}

/** POST /login: also usable from scripts and curl (form fields `email` and `password`). */
export async function action({ request, context }: Route.ActionArgs) {
  const { t } = context.get(i18nContext);
  const { database, env } = context.get(servicesContext);
  const form = parseWith(SignInForm, Object.fromEntries(await request.formData()), t);
  if (!form.ok) return data({ errors: form.errors }, { status: 400 });
  try {
    const { token, session } = await signIn(
      {
        email: form.value.email,
        password: form.value.password,
        ip: clientIp(request),
        userAgent: request.headers.get("user-agent"),
      },
      database.db,
      {
        sessions: sessionPolicy(env),
        throttle: {
          maxFailuresPerAccount: env.SIGN_IN_MAX_FAILURES_PER_ACCOUNT,
          maxFailuresPerIp: env.SIGN_IN_MAX_FAILURES_PER_IP,
          windowMinutes: env.SIGN_IN_WINDOW_MINUTES,
        },
      },
    );
    // A new token at every sign-in: any session this browser had before ends here.
    const previous = await readSessionToken(request);
    if (previous) await invalidateSession(database.db, sessionIdOf(previous));
    const next = safeRedirectPath(form.value.redirectTo);
    const to = session.secondFactorPending
      ? `/login/two-factor?redirectTo=${encodeURIComponent(next)}`
      : next;
    return redirect(to, {
      status: 303,
      headers: { "Set-Cookie": await sessionCookieHeader(request, token, session.absoluteExpiresAt) },
    });
  } catch (e) {
    if (!isAppError(e)) throw e;
    return data({ errors: { email: String(t(e.messageKey, e.params)) } }, { status: e.status });
  }
}

export default function Login({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useTranslation();
  const [search] = useSearchParams();
  const errors: Record<string, string | undefined> = actionData?.errors ?? {};
  return (
    <div className="narrow">
      <title>{loaderData.title}</title>
      <h1>{t("signIn.title")}</h1>
      <ErrorSummary errors={errors} />
      <Form method="post" noValidate>
        <input type="hidden" name="redirectTo" value={search.get("redirectTo") ?? "/"} />
        <TextField
          name="email"
          type="email"
          label={t("signIn.email")}
          autoComplete="username"
          error={errors.email}
          dir="ltr"
        />
        <TextField
          name="password"
          type="password"
          label={t("signIn.password")}
          autoComplete="current-password"
          error={errors.password}
          dir="ltr"
        />
        <Button>{t("signIn.submit")}</Button>
      </Form>
      <p className="form-links">
        <Link to="/forgot-password">{t("forgotPassword.link")}</Link>
        {" · "}
        <Link to="/signup">{t("signUp.title")}</Link>
      </p>
    </div>
  );
}
