import { data, Form, redirect } from "react-router";
import { Button, ErrorSummary } from "#app/components/ui.tsx";
import { checkEmailToken } from "#app/modules/accounts/email-tokens.server.ts";
import { verifyEmail } from "#app/modules/accounts/verify-email.server.ts";
import { i18nContext } from "#app/modules/i18n/context.server.ts";
import { useTranslation } from "#app/modules/i18n/use-translation.ts";
import { servicesContext } from "#app/server/context.ts";
import { isAppError } from "#app/utils/errors.ts";
import { clientIp } from "#app/utils/http.server.ts";
import type { Route } from "./+types/verify-email";

/** The link from the e-mail opens this page; confirming is a POST (a GET never changes anything). */
export async function loader({ params, context }: Route.LoaderArgs) {
  const { t } = context.get(i18nContext);
  const title = `${t("verifyEmail.title")} – ${t("meta.siteName")}`;
  try {
    await checkEmailToken(context.get(servicesContext).database.db, params.token, "verify_email");
    return { title, error: null };
  } catch (e) {
    if (!isAppError(e)) throw e;
    return data({ title, error: String(t(e.messageKey)) }, { status: e.status });
  }
}

export async function action({ request, params, context }: Route.ActionArgs) {
  const { t } = context.get(i18nContext);
  try {
    await verifyEmail(params.token, clientIp(request), context.get(servicesContext).database.db);
  } catch (e) {
    if (!isAppError(e)) throw e;
    return data({ error: String(t(e.messageKey)) }, { status: e.status });
  }
  return redirect("/?notice=emailVerified", 303);
}

export default function VerifyEmail({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useTranslation();
  const error = actionData?.error ?? loaderData.error;
  return (
    <div className="narrow">
      <title>{loaderData.title}</title>
      <h1>{t("verifyEmail.title")}</h1>
      {error ? (
        <ErrorSummary errors={{ form: error }} />
      ) : (
        <>
          <p>{t("verifyEmail.body")}</p>
          <Form method="post">
            <Button>{t("verifyEmail.submit")}</Button>
          </Form>
        </>
      )}
    </div>
  );
}
