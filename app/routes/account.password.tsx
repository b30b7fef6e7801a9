import { data, Form, redirect } from "react-router";
import { z } from "zod";
import { Button, ErrorSummary, TextField } from "#app/components/ui.tsx";
import { changePassword } from "#app/modules/accounts/change-password.server.ts";
import { requireUser } from "#app/modules/accounts/context.server.ts";
import { i18nContext } from "#app/modules/i18n/context.server.ts";
import { useTranslation } from "#app/modules/i18n/use-translation.ts";
import { servicesContext } from "#app/server/context.ts";
import { isAppError } from "#app/utils/errors.ts";
import { formErrorsOf, parseWith } from "#app/utils/forms.server.ts";
import { clientIp } from "#app/utils/http.server.ts";
import type { Route } from "./+types/account.password";

const ChangeForm = z.object({
  currentPassword: z.string().min(1, { message: "errors.passwordRequired" }),
  newPassword: z.string().min(1, { message: "errors.passwordRequired" }),
  endOtherSessions: z.literal("on").optional(),
});

export async function loader({ request, context }: Route.LoaderArgs) {
  const { t } = context.get(i18nContext);
  requireUser(request, context);
  return { title: `${t("changePassword.title")} – ${t("meta.siteName")}` };
}

export async function action({ request, context }: Route.ActionArgs) {
  const { t } = context.get(i18nContext);
  const { actor, session } = requireUser(request, context);
  const form = parseWith(ChangeForm, Object.fromEntries(await request.formData()), t);
  if (!form.ok) return data({ errors: form.errors }, { status: 400 });
  try {
    await changePassword(
      {
        actor,
        currentSessionId: session.id,
        currentPassword: form.value.currentPassword,
        newPassword: form.value.newPassword,
        endOtherSessions: form.value.endOtherSessions === "on",
        ip: clientIp(request),
      },
      context.get(servicesContext).database.db,
    );
  } catch (e) {
    if (!isAppError(e)) throw e;
    return data({ errors: formErrorsOf(e, t, "newPassword") }, { status: e.status });
  }
  return redirect("/account/sessions?notice=passwordChanged", 303);
}

export default function AccountPassword({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useTranslation();
  const errors: Record<string, string | undefined> = actionData?.errors ?? {};
  return (
    <div className="narrow">
      <title>{loaderData.title}</title>
      <h1>{t("changePassword.title")}</h1>
      <ErrorSummary errors={errors} />
      <Form method="post" noValidate>
        <TextField
          name="currentPassword"
          type="password"
          label={t("changePassword.current")}
          autoComplete="current-password"
          error={errors.currentPassword}
          dir="ltr"
        />
        <TextField
          name="newPassword"
          type="password"
          label={t("changePassword.new")}
          hint={t("signUp.passwordHint")}
          autoComplete="new-password"
          error={errors.newPassword}
          dir="ltr"
        />
        <div className="checkbox">
          <input type="checkbox" id="endOtherSessions" name="endOtherSessions" defaultChecked />
          <label htmlFor="endOtherSessions">{t("changePassword.endOthers")}</label>
        </div>
        <Button>{t("changePassword.submit")}</Button>
      </Form>
    </div>
  );
}
