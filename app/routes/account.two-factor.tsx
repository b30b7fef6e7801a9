import { eq } from "drizzle-orm";
import QRCode from "qrcode";
import { data, Form, redirect } from "react-router";
import { z } from "zod";
import { Button, ErrorSummary, StatusTag, TextField } from "#app/components/ui.tsx";
import { actorContext, requireUser } from "#app/modules/accounts/context.server.ts";
import {
  beginTotpEnrolment,
  confirmTotpEnrolment,
  disableTotp,
  pendingTotpEnrolment,
} from "#app/modules/accounts/totp.server.ts";
import { i18nContext } from "#app/modules/i18n/context.server.ts";
import { useTranslation } from "#app/modules/i18n/use-translation.ts";
import { servicesContext } from "#app/server/context.ts";
import { isAppError } from "#app/utils/errors.ts";
import { formErrorsOf } from "#app/utils/forms.server.ts";
import { clientIp } from "#app/utils/http.server.ts";
import { users } from "#db/schema/index.ts";
import type { Route } from "./+types/account.two-factor";

const Intent = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("begin") }),
  z.object({ intent: z.literal("confirm"), code: z.string().max(20) }),
  z.object({ intent: z.literal("disable"), code: z.string().max(20) }),
]);

export async function loader({ request, context }: Route.LoaderArgs) {
  const { t } = context.get(i18nContext);
  const { actor } = requireUser(request, context);
  const db = context.get(servicesContext).database.db;
  const user = (await db.query.users.findFirst({ where: eq(users.id, actor.userId) }))!;
  const pending = user.totpEnabledAt ? null : await pendingTotpEnrolment(actor, db);
  return {
    title: `${t("twoFactor.title")} – ${t("meta.siteName")}`,
    enabled: user.totpEnabledAt !== null,
    required: context.get(actorContext).mustEnrolSecondFactor === true,
    pending: pending
      ? {
          secret: pending.secret,
          qr: `data:image/svg+xml;base64,${Buffer.from(await QRCode.toString(pending.uri, { type: "svg", margin: 1 })).toString("base64")}`,
        }
      : null,
  };
}

export async function action({ request, context }: Route.ActionArgs) {
  const { t } = context.get(i18nContext);
  const { actor } = requireUser(request, context);
  const db = context.get(servicesContext).database.db;
  const form = Intent.safeParse(Object.fromEntries(await request.formData()));
  if (!form.success) return data({ errors: { code: t("errors.WRONG_CODE") } }, { status: 400 });
  const ip = clientIp(request);
  try {
    if (form.data.intent === "begin") await beginTotpEnrolment(actor, db);
    else if (form.data.intent === "confirm")
      await confirmTotpEnrolment({ actor, code: form.data.code, ip }, db);
    else await disableTotp({ actor, code: form.data.code, ip }, db);
  } catch (e) {
    if (!isAppError(e)) throw e;
    return data({ errors: formErrorsOf(e, t, "code") }, { status: e.status });
  }
  return redirect("/account/two-factor", 303);
}

export default function TwoFactor({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useTranslation();
  const errors: Record<string, string | undefined> = actionData?.errors ?? {};
  return (
    <div className="narrow-wide">
      <title>{loaderData.title}</title>
      <h1>{t("twoFactor.title")}</h1>
      <p>
        {loaderData.enabled ? (
          <StatusTag tone="success">{t("twoFactor.on")}</StatusTag>
        ) : (
          <StatusTag>{t("twoFactor.off")}</StatusTag>
        )}
      </p>
      {loaderData.required && !loaderData.enabled ? (
        <div className="notice" role="status">
          {t("twoFactor.requiredByAgency")}
        </div>
      ) : null}
      <p className="lead">{t("twoFactor.lead")}</p>
      <ErrorSummary errors={errors} />
      {loaderData.enabled ? (
        <Form method="post" className="narrow" noValidate>
          <input type="hidden" name="intent" value="disable" />
          <TextField
            name="code"
            label={t("twoFactor.code")}
            inputMode="numeric"
            autoComplete="one-time-code"
            error={errors.code}
            dir="ltr"
          />
          <Button variant="warning">{t("twoFactor.disable")}</Button>
        </Form>
      ) : loaderData.pending ? (
        <>
          <ol className="steps">
            <li>{t("twoFactor.scan")}</li>
          </ol>
          <img
            className="qr"
            src={loaderData.pending.qr}
            alt={t("twoFactor.qrAlt")}
            width={200}
            height={200}
          />
          <p>
            {t("twoFactor.manual")} <code dir="ltr">{loaderData.pending.secret}</code>
          </p>
          <Form method="post" className="narrow" noValidate>
            <input type="hidden" name="intent" value="confirm" />
            <TextField
              name="code"
              label={t("twoFactor.code")}
              inputMode="numeric"
              autoComplete="one-time-code"
              error={errors.code}
              dir="ltr"
            />
            <Button>{t("twoFactor.confirm")}</Button>
          </Form>
        </>
      ) : (
        <Form method="post">
          <input type="hidden" name="intent" value="begin" />
          <Button>{t("twoFactor.begin")}</Button>
        </Form>
      )}
    </div>
  );
}
