import { data, Form, redirect } from "react-router";
import { z } from "zod";
import { Button, ErrorSummary, TextField } from "#app/components/ui.tsx";
import { checkEmailToken } from "#app/modules/accounts/email-tokens.server.ts";
import { resetPassword } from "#app/modules/accounts/password-reset.server.ts";
import { clearSessionCookieHeader } from "#app/modules/accounts/session-cookie.server.ts";
import { i18nContext } from "#app/modules/i18n/context.server.ts";
import { useTranslation } from "#app/modules/i18n/use-translation.ts";
import { servicesContext } from "#app/server/context.ts";
import { isAppError } from "#app/utils/errors.ts";
import { formErrorsOf, parseWith } from "#app/utils/forms.server.ts";
import { clientIp } from "#app/utils/http.server.ts";
import type { Route } from "./+types/reset-password";

const ResetForm = z.object({ password: z.string().min(1, { message: "errors.passwordRequired" }) });

export async function loader({ params, context }: Route.LoaderArgs) {
  const { t } = context.get(i18nContext);
  const title = `${t("resetPassword.title")} – ${t("meta.siteName")}`;
  try {
    await checkEmailToken(context.get(servicesContext).database.db, params.token, "reset_password");
    return { title, linkError: null };
  } catch (e) {
    if (!isAppError(e)) throw e;
    return data({ title, linkError: String(t(e.messageKey)) }, { status: e.status });
  }
}

export async function action({ request, params, context }: Route.ActionArgs) {
  const { t } = context.get(i18nContext);
  const form = parseWith(ResetForm, Object.fromEntries(await request.formData()), t);
  if (!form.ok) return data({ errors: form.errors }, { status: 400 });
  try {
    await resetPassword(
      { token: params.token, password: form.value.password, ip: clientIp(request) },
      context.get(servicesContext).database.db,
    );
  } catch (e) {
    if (!isAppError(e)) throw e;
    return data({ errors: formErrorsOf(e, t, "password") }, { status: e.status });
  }
  return redirect("/login?notice=passwordReset", {
    status: 303,
    headers: { "Set-Cookie": await clearSessionCookieHeader(request) },
  });
}

export default function ResetPassword({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useTranslation();
  const errors: Record<string, string | undefined> = actionData?.errors ?? {};
  return (
    <div className="narrow">
      <title>{loaderData.title}</title>
      <h1>{t("resetPassword.title")}</h1>
      {loaderData.linkError ? (
        <ErrorSummary errors={{ form: loaderData.linkError }} />
      ) : (
        <>
          <ErrorSummary errors={errors} />
          <Form method="post" noValidate>
            <TextField
              name="password"
              type="password"
              label={t("changePassword.new")}
              hint={t("signUp.passwordHint")}
              autoComplete="new-password"
              error={errors.password}
              dir="ltr"
            />
            <Button>{t("resetPassword.submit")}</Button>
          </Form>
        </>
      )}
    </div>
  );
}
