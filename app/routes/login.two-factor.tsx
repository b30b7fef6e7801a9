import { data, Form, redirect, useSearchParams } from "react-router";
import { z } from "zod";
import { Button, ErrorSummary, TextField } from "#app/components/ui.tsx";
import { actorContext } from "#app/modules/accounts/context.server.ts";
import { verifySecondFactor } from "#app/modules/accounts/totp.server.ts";
import { i18nContext } from "#app/modules/i18n/context.server.ts";
import { useTranslation } from "#app/modules/i18n/use-translation.ts";
import { servicesContext } from "#app/server/context.ts";
import { isAppError } from "#app/utils/errors.ts";
import { formErrorsOf } from "#app/utils/forms.server.ts";
import { clientIp, safeRedirectPath } from "#app/utils/http.server.ts";
import type { Route } from "./+types/login.two-factor";

const CodeForm = z.object({ code: z.string().max(20), redirectTo: z.string().optional() });

function pendingSession(context: Readonly<import("react-router").RouterContextProvider>) {
  const { session } = context.get(actorContext);
  if (!session?.secondFactorPending) throw redirect("/login");
  return session;
}

export async function loader({ context }: Route.LoaderArgs) {
  const { t } = context.get(i18nContext);
  pendingSession(context);
  return { title: `${t("twoFactor.signInTitle")} – ${t("meta.siteName")}` };
}

export async function action({ request, context }: Route.ActionArgs) {
  const { t } = context.get(i18nContext);
  const session = pendingSession(context);
  const form = CodeForm.safeParse(Object.fromEntries(await request.formData()));
  if (!form.success) return data({ errors: { code: t("errors.WRONG_CODE") } }, { status: 400 });
  try {
    await verifySecondFactor(
      { sessionId: session.id, code: form.data.code, ip: clientIp(request) },
      context.get(servicesContext).database.db,
    );
  } catch (e) {
    if (!isAppError(e)) throw e;
    return data({ errors: formErrorsOf(e, t, "code") }, { status: e.status });
  }
  return redirect(safeRedirectPath(form.data.redirectTo), 303);
}

export default function TwoFactorSignIn({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useTranslation();
  const [search] = useSearchParams();
  const errors: Record<string, string | undefined> = actionData?.errors ?? {};
  return (
    <div className="narrow">
      <title>{loaderData.title}</title>
      <h1>{t("twoFactor.signInTitle")}</h1>
      <p>{t("twoFactor.signInBody")}</p>
      <ErrorSummary errors={errors} />
      <Form method="post" noValidate>
        <input type="hidden" name="redirectTo" value={search.get("redirectTo") ?? "/"} />
        <TextField
          name="code"
          label={t("twoFactor.code")}
          inputMode="numeric"
          autoComplete="one-time-code"
          error={errors.code}
          dir="ltr"
        />
        <Button>{t("twoFactor.verify")}</Button>
      </Form>
    </div>
  );
}
