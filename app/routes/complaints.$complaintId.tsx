import { data, Form, Link, redirect } from "react-router";
import { z } from "zod";
import { DoneNotice } from "#app/components/evaluation.tsx";
import {
  Button,
  CheckboxField,
  ErrorSummary,
  SelectField,
  StatusTag,
  TextAreaField,
} from "#app/components/ui.tsx";
import { requireUser } from "#app/modules/accounts/context.server.ts";
import { complaintForAgency } from "#app/modules/complaints/complaint-views.server.ts";
import { decideComplaint } from "#app/modules/complaints/decide-complaint.server.ts";
import { ltr } from "#app/modules/evaluations/evaluation-view.ts";
import { formatBytes } from "#app/modules/files/media-types.ts";
import { i18nContext } from "#app/modules/i18n/context.server.ts";
import { useTranslation } from "#app/modules/i18n/use-translation.ts";
import { moneyText } from "#app/modules/payments/money-view.ts";
import { cardPaymentsFrom } from "#app/modules/payments/stripe-client.server.ts";
import { servicesContext } from "#app/server/context.ts";
import { isAppError } from "#app/utils/errors.ts";
import { formErrorsOf } from "#app/utils/forms.server.ts";
import { clientIp, publicBaseUrl } from "#app/utils/http.server.ts";
import { throwAsResponse } from "#app/utils/responses.server.ts";
import { formatInZone } from "#app/utils/time-zones.ts";
import { COMPLAINT_DECISIONS, MIN_DECISION_LENGTH } from "#db/schema/complaint-kinds.ts";
import type { Route } from "./+types/complaints.$complaintId";

const ComplaintId = z.uuid();

export async function loader({ request, params, context }: Route.LoaderArgs) {
  const { t, lang } = context.get(i18nContext);
  const { actor } = requireUser(request, context);
  const id = ComplaintId.safeParse(params.complaintId);
  if (!id.success) throw new Response("Not found", { status: 404 });
  const c = await complaintForAgency(actor, id.data, context.get(servicesContext).database.db).catch(
    throwAsResponse,
  );
  const zone = c.timeZone;
  const when = (d: Date | null) => (d ? ltr(formatInZone(d, zone)) : "");
  const fee =
    c.complaint.feeAmount === null ? null : moneyText(c.complaint.feeAmount, c.complaint.feeCurrency!, lang);
  return {
    title: `${t("complaints.reviewTitle")} – ${c.reference} – ${t("meta.siteName")}`,
    id: c.complaint.id,
    tenderId: c.complaint.tenderId,
    tender: `${c.reference} – ${lang === "ar" ? c.titleAr : c.titleEn}`,
    lot: `${t("evaluation.lot", { number: c.lotNumber })} – ${lang === "ar" ? c.lotTitleAr : c.lotTitleEn}`,
    complainant: lang === "ar" ? c.complainantAr : c.complainantEn,
    winner: lang === "ar" ? c.award.winnerAr : c.award.winnerEn,
    price: moneyText(c.award.award.price, c.award.award.currency, lang),
    awardStatus: c.award.award.status,
    standstillEnds: when(c.award.award.standstillEndsAt),
    status: c.complaint.status,
    grounds: c.complaint.grounds,
    writtenAt: when(c.complaint.createdAt),
    lodgedAt: when(c.complaint.lodgedAt),
    fee: fee
      ? c.payment?.status === "captured"
        ? t("complaints.feePaid", { fee })
        : t("complaints.feeUnpaid", { fee })
      : t("complaints.feeNone"),
    documents: c.documents.map((d) => ({
      id: d.fileId,
      name: d.name,
      size: formatBytes(Number(d.size)),
      sha256: d.sha256,
    })),
    others: c.others.filter((o) => o.status === "lodged").length,
    involved: c.involved,
    mayDecide: c.mayDecide,
    decision: c.complaint.decision ?? "",
    decidedBy: c.decidedByName ?? "",
    decidedAt: when(c.complaint.decidedAt),
    sentBack: c.complaint.sentBack,
    refunded: c.complaint.feeRefundId !== null,
  };
}

export async function action({ request, params, context }: Route.ActionArgs) {
  const { t } = context.get(i18nContext);
  const { actor } = requireUser(request, context);
  const id = ComplaintId.safeParse(params.complaintId);
  if (!id.success) throw new Response("Not found", { status: 404 });
  const { database, env } = context.get(servicesContext);
  const form = await request.formData();
  const values = {
    outcome: String(form.get("outcome") ?? "").slice(0, 20),
    decision: String(form.get("decision") ?? "").slice(0, 20_000),
  };
  try {
    await decideComplaint(
      {
        actor,
        complaintId: id.data,
        ...values,
        sendBack: form.get("sendBack") === "on",
        ip: clientIp(request),
        baseUrl: publicBaseUrl(request, env.PUBLIC_URL),
      },
      { db: database.db, card: cardPaymentsFrom(env) },
    );
    return redirect(`/complaints/${id.data}?done=decided`);
  } catch (e) {
    if (!isAppError(e)) throw e;
    if (e.code === "NOT_FOUND" || e.code === "UNAUTHENTICATED") throwAsResponse(e);
    return data({ errors: formErrorsOf(e, t), values }, { status: e.status });
  }
}

export default function ReviewComplaint({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useTranslation();
  const d = loaderData;
  const errors: Record<string, string | undefined> = actionData?.errors ?? {};
  const values = actionData?.values;
  return (
    <>
      <title>{d.title}</title>
      <p>
        <Link to="/complaints">{t("complaints.queueTitle")}</Link>
        {" · "}
        <Link to={`/tenders/${d.tenderId}`}>{d.tender}</Link>
      </p>
      <h1>
        {t("complaints.reviewTitle")}{" "}
        <StatusTag tone={d.status === "lodged" ? "info" : "neutral"}>
          {t(`complaints.status.${d.status}`)}
        </StatusTag>
      </h1>
      <DoneNotice messages={{ decided: t("complaints.notices.decided") }} />
      <ErrorSummary errors={errors} />
      <dl className="facts">
        <dt>{t("complaints.tender")}</dt>
        <dd>{d.tender}</dd>
        <dt>{t("complaints.lot")}</dt>
        <dd>{d.lot}</dd>
        <dt>{t("complaints.complainant")}</dt>
        <dd>{d.complainant}</dd>
        <dt>{t("complaints.winner")}</dt>
        <dd>
          {d.winner} – <span dir="ltr">{d.price}</span>
        </dd>
        <dt>{t("complaints.awardLabel")}</dt>
        <dd>
          <StatusTag tone={d.awardStatus === "suspended" ? "warning" : "neutral"}>
            {t(`award.status.${d.awardStatus}`)}
          </StatusTag>{" "}
          {d.standstillEnds ? t("complaints.standstillUntil", { until: d.standstillEnds }) : null}
        </dd>
        <dt>{t("complaints.lodged")}</dt>
        <dd>{d.lodgedAt || t("complaints.status.awaiting_fee")}</dd>
        <dt>{t("complaints.fee")}</dt>
        <dd>{d.fee}</dd>
      </dl>
      <h2>{t("complaints.grounds")}</h2>
      <p className="preserve-lines" dir="auto">
        {d.grounds}
      </p>
      <h2>{t("complaints.documentsTitle")}</h2>
      {d.documents.length === 0 ? (
        <p>{t("complaints.noDocuments")}</p>
      ) : (
        <ul>
          {d.documents.map((doc) => (
            <li key={doc.id}>
              <a href={`/complaints/${d.id}/documents/${doc.id}`}>{doc.name}</a> ({doc.size}){" "}
              <code className="digest" dir="ltr">
                {doc.sha256}
              </code>
            </li>
          ))}
        </ul>
      )}
      {d.others > 0 ? <p>{t("complaints.others", { count: d.others })}</p> : null}

      {d.status === "lodged" ? (
        d.mayDecide ? (
          <Form method="post" className="narrow panel" noValidate>
            <h2>{t("complaints.decide")}</h2>
            <p>{t("complaints.decideLead")}</p>
            <SelectField
              name="outcome"
              label={t("complaints.outcome")}
              options={[
                { value: "", label: t("complaints.chooseOutcome") },
                ...COMPLAINT_DECISIONS.map((o) => ({ value: o, label: t(`complaints.outcomes.${o}`) })),
              ]}
              defaultValue={values?.outcome}
              error={errors.outcome}
            />
            <TextAreaField
              name="decision"
              label={t("complaints.decision")}
              hint={t("complaints.decisionHint", { min: MIN_DECISION_LENGTH })}
              rows={6}
              dir="auto"
              defaultValue={values?.decision}
              error={errors.decision}
            />
            <CheckboxField name="sendBack" label={t("complaints.sendBack")} />
            {errors.sendBack ? <p className="field__error">{errors.sendBack}</p> : null}
            <Button>{t("complaints.decide")}</Button>
          </Form>
        ) : (
          <div className="notice notice--warning">
            {d.involved ? t("complaints.involved") : t("complaints.readOnly")}
          </div>
        )
      ) : d.decidedAt ? (
        <section className="panel" aria-labelledby="decision">
          <h2 id="decision">{t("complaints.outcome")}</h2>
          <p>{t("complaints.decidedBy", { name: d.decidedBy, at: d.decidedAt })}</p>
          <p className="preserve-lines" dir="auto">
            {d.decision}
          </p>
          {d.sentBack ? <p>{t("complaints.sentBack")}</p> : null}
          {d.refunded ? <p>{t("complaints.feeRefunded")}</p> : null}
        </section>
      ) : null}
    </>
  );
}
