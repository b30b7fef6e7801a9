import { data, Form } from "react-router";
import { z } from "zod";
import { Button, ErrorSummary, TextField } from "#app/components/ui.tsx";
import { requestPasswordReset } from "#app/modules/accounts/password-reset.server.ts";
import { i18nContext } from "#app/modules/i18n/context.server.ts";
import { useTranslation } from "#app/modules/i18n/use-translation.ts";
import { servicesContext } from "#app/server/context.ts";
import { parseWith } from "#app/utils/forms.server.ts";
import { clientIp, publicBaseUrl } from "#app/utils/http.server.ts";
import type { Route } from "./+types/forgot-password";

const ForgotForm = z.object({
  email: z.email({ message: "errors.emailInvalid" }).max(320, { message: "errors.emailInvalid" }),
});

export async function loader({ context }: Route.LoaderArgs) {
  const { t } = context.get(i18nContext);
  return { title: `${t("forgotPassword.title")} – ${t("meta.siteName")}` };
}

export async function action({ request, context }: Route.ActionArgs) {
  const { t } = context.get(i18nContext);
  const { database, env } = context.get(servicesContext);
  const form = parseWith(ForgotForm, Object.fromEntries(await request.formData()), t);
  if (!form.ok) return data({ errors: form.errors, sentTo: null }, { status: 400 });
  await requestPasswordReset(
    { email: form.value.email, ip: clientIp(request), baseUrl: publicBaseUrl(request, env.PUBLIC_URL) },
    database.db,
  );
  // The same answer whether or not the address has an account.
  return { errors: {}, sentTo: form.value.email };
}

export default function ForgotPassword({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useTranslation();
  const errors: Record<string, string | undefined> = actionData?.errors ?? {};
  return (
    <div className="narrow">
      <title>{loaderData.title}</title>
      <h1>{t("forgotPassword.title")}</h1>
      {actionData?.sentTo ? (
        <div className="notice" role="status">
          {t("forgotPassword.sent", { email: actionData.sentTo })}
        </div>
      ) : (
        <>
          <p className="lead">{t("forgotPassword.lead")}</p>
          <ErrorSummary errors={errors} />
          <Form method="post" noValidate>
            <TextField
              name="email"
              type="email"
              label={t("signIn.email")}
              autoComplete="email"
              error={errors.email}
              dir="ltr"
            />
            <Button>{t("forgotPassword.submit")}</Button>
          </Form>
        </>
      )}
    </div>
  );
}
