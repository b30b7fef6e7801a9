import { data, Form, Link, redirect } from "react-router";
import { z } from "zod";
import { PermitStatusTag } from "#app/components/permit.tsx";
import { Button, DataTable, ErrorSummary, TextAreaField } from "#app/components/ui.tsx";
import { requireUser } from "#app/modules/accounts/context.server.ts";
import { i18nContext } from "#app/modules/i18n/context.server.ts";
import { useTranslation } from "#app/modules/i18n/use-translation.ts";
import {
  reinstatePermit,
  revokePermit,
  suspendPermit,
} from "#app/modules/permits/change-permit-status.server.ts";
import { agencyPermit } from "#app/modules/permits/permit-lists.server.ts";
import { pick } from "#app/modules/permits/permit-view.ts";
import { servicesContext } from "#app/server/context.ts";
import { isAppError } from "#app/utils/errors.ts";
import { formErrorsOf } from "#app/utils/forms.server.ts";
import { clientIp, publicBaseUrl } from "#app/utils/http.server.ts";
import { throwAsResponse } from "#app/utils/responses.server.ts";
import { formatInZone } from "#app/utils/time-zones.ts";
import { readSmallForm } from "#app/utils/uploads.server.ts";
import type { Route } from "./+types/licensing.permits.$permitId";

const PermitId = z.uuid();

export async function loader({ request, params, context }: Route.LoaderArgs) {
  const { t, lang } = context.get(i18nContext);
  const { actor } = requireUser(request, context);
  const id = PermitId.safeParse(params.permitId);
  if (!id.success) throw new Response("Not found", { status: 404 });
  const d = await agencyPermit(actor, id.data, context.get(servicesContext).database.db).catch(
    throwAsResponse,
  );
  const zone = d.agencyTimeZone;
  return {
    title: `${d.permit.number} – ${t("meta.siteName")}`,
    id: d.permit.id,
    number: d.permit.number,
    status: d.permit.status,
    statusReason: d.permit.statusReason ?? "",
    type: pick(lang, d.type.nameAr, d.type.nameEn),
    holder: pick(lang, d.holder.nameAr, d.holder.nameEn),
    validFrom: d.permit.validFrom,
    validUntil: d.permit.validUntil,
    history: d.history.map((h) => ({
      id: h.event.id,
      kind: h.event.kind,
      reason: h.event.reason ?? "",
      validity:
        h.event.validUntilBefore &&
        h.event.validUntilAfter &&
        h.event.validUntilBefore !== h.event.validUntilAfter
          ? `${h.event.validUntilBefore} ⇢ ${h.event.validUntilAfter}`
          : (h.event.validUntilAfter ?? ""),
      at: formatInZone(h.event.at, zone),
      actor: h.actorName ?? "",
    })),
  };
}

export async function action({ request, params, context }: Route.ActionArgs) {
  const { t } = context.get(i18nContext);
  const { actor } = requireUser(request, context);
  const id = PermitId.safeParse(params.permitId);
  if (!id.success) throw new Response("Not found", { status: 404 });
  const { database, env } = context.get(servicesContext);
  const form = await readSmallForm(request, 16_000);
  const intent = String(form.get("intent") ?? "");
  const change = {
    actor,
    permitId: id.data,
    reason: String(form.get("reason") ?? ""),
    ip: clientIp(request),
    baseUrl: publicBaseUrl(request, env.PUBLIC_URL),
  };
  const use = { suspend: suspendPermit, revoke: revokePermit, reinstate: reinstatePermit }[intent];
  if (!use) throw new Response("Bad request", { status: 400 });
  try {
    await use(change, database.db);
    return redirect(`/licensing/permits/${id.data}?notice=saved`);
  } catch (e) {
    if (!isAppError(e)) throw e;
    if (e.code === "NOT_FOUND" || e.code === "FORBIDDEN" || e.code === "UNAUTHENTICATED") throwAsResponse(e);
    return data({ errors: formErrorsOf(e, t), intent, reason: change.reason }, { status: e.status });
  }
}

export default function AgencyPermit({ loaderData: d, actionData }: Route.ComponentProps) {
  const { t } = useTranslation();
  const errors = actionData?.errors ?? {};
  const reasonForm = (intent: "suspend" | "revoke" | "reinstate", variant: "secondary" | "warning") => (
    <Form method="post" noValidate>
      <input type="hidden" name="intent" value={intent} />
      <TextAreaField
        name="reason"
        label={t(`licensing.${intent}Reason`)}
        rows={2}
        dir="auto"
        defaultValue={actionData?.intent === intent ? actionData.reason : ""}
        error={actionData?.intent === intent ? errors.reason : undefined}
      />
      <Button variant={variant}>{t(`licensing.${intent}`)}</Button>
    </Form>
  );
  return (
    <>
      <title>{d.title}</title>
      <p>
        <Link to="/licensing/permits">{t("licensing.permitsTitle")}</Link>
      </p>
      <h1>
        <span dir="ltr">{d.number}</span> <PermitStatusTag status={d.status} />
      </h1>
      <ErrorSummary errors={errors} />
      <dl className="facts">
        <dt>{t("permits.type")}</dt>
        <dd>{d.type}</dd>
        <dt>{t("licensing.holder")}</dt>
        <dd>{d.holder}</dd>
        <dt>{t("permits.validity")}</dt>
        <dd>
          {t("permits.validityRange", {
            from: `\u2066${d.validFrom}\u2069`,
            until: `\u2066${d.validUntil}\u2069`,
          })}
        </dd>
        {d.statusReason ? (
          <>
            <dt>{t("licensing.statusReason")}</dt>
            <dd dir="auto">{d.statusReason}</dd>
          </>
        ) : null}
      </dl>
      <p>
        <a href={`/permits/${encodeURIComponent(d.number)}/certificate.pdf`}>
          {t("permits.downloadCertificate")}
        </a>{" "}
        · <Link to={`/verify/permit/${encodeURIComponent(d.number)}`}>{t("licensing.publicCheck")}</Link>
      </p>
      {d.status === "valid" ? (
        <section className="panel" aria-labelledby="withdraw-heading">
          <h2 id="withdraw-heading">{t("licensing.changeStatus")}</h2>
          <p className="hint">{t("licensing.cascadeHint")}</p>
          {reasonForm("suspend", "secondary")}
          {reasonForm("revoke", "warning")}
        </section>
      ) : d.status === "suspended" ? (
        <section className="panel" aria-labelledby="withdraw-heading">
          <h2 id="withdraw-heading">{t("licensing.changeStatus")}</h2>
          {reasonForm("reinstate", "secondary")}
          {reasonForm("revoke", "warning")}
        </section>
      ) : null}
      <h2>{t("licensing.history")}</h2>
      <DataTable
        caption={t("licensing.history")}
        captionHidden
        rows={d.history}
        rowKey={(h) => h.id}
        columns={[
          { key: "at", header: t("licensing.when"), cell: (h) => <span dir="ltr">{h.at}</span> },
          { key: "kind", header: t("licensing.what"), cell: (h) => t(`permits.permitEvent.${h.kind}`) },
          {
            key: "validity",
            header: t("permits.validity"),
            cell: (h) => <span dir="ltr">{h.validity}</span>,
          },
          {
            key: "reason",
            header: t("licensing.statusReason"),
            cell: (h) => <span dir="auto">{h.reason}</span>,
          },
          { key: "actor", header: t("licensing.by"), cell: (h) => h.actor },
        ]}
      />
    </>
  );
}
