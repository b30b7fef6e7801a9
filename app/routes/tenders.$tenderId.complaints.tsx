import { data, Form, Link, redirect } from "react-router";
import { z } from "zod";
import { DoneNotice } from "#app/components/evaluation.tsx";
import { Button, ErrorSummary, FileField, StatusTag, TextAreaField } from "#app/components/ui.tsx";
import { requireUser } from "#app/modules/accounts/context.server.ts";
import { myComplaints } from "#app/modules/complaints/complaint-views.server.ts";
import {
  fileComplaint,
  lodgeComplaint,
  requestComplaintFee,
} from "#app/modules/complaints/file-complaint.server.ts";
import { ltr } from "#app/modules/evaluations/evaluation-view.ts";
import { DOCUMENT_TYPES, formatBytes } from "#app/modules/files/media-types.ts";
import { i18nContext } from "#app/modules/i18n/context.server.ts";
import { useTranslation } from "#app/modules/i18n/use-translation.ts";
import { moneyText } from "#app/modules/payments/money-view.ts";
import { servicesContext } from "#app/server/context.ts";
import { isAppError } from "#app/utils/errors.ts";
import { formErrorsOf } from "#app/utils/forms.server.ts";
import { clientIp, publicBaseUrl } from "#app/utils/http.server.ts";
import { throwAsResponse } from "#app/utils/responses.server.ts";
import { formatInZone } from "#app/utils/time-zones.ts";
import {
  discardUploads,
  type MultipartForm,
  readMultipartForm,
  readSmallForm,
} from "#app/utils/uploads.server.ts";
import {
  COMPLAINT_DECISIONS,
  type ComplaintStatus,
  MAX_COMPLAINT_DOCUMENTS,
  MIN_GROUNDS_LENGTH,
} from "#db/schema/complaint-kinds.ts";
import type { Route } from "./+types/tenders.$tenderId.complaints";

const TenderId = z.uuid();

/** A bidder's complaints about a tender's awards: each lot with what may be done now, and its own complaints. */
export async function loader({ request, params, context }: Route.LoaderArgs) {
  const { t, lang } = context.get(i18nContext);
  const { actor } = requireUser(request, context);
  const id = TenderId.safeParse(params.tenderId);
  if (!id.success) throw new Response("Not found", { status: 404 });
  const db = context.get(servicesContext).database.db;
  const r = await myComplaints(actor, id.data, db).catch(throwAsResponse);
  const zone = r.tender.timeZone;
  const when = (d: Date | null) => (d ? ltr(formatInZone(d, zone)) : "");
  const lotTitle = (l: { number: number; titleAr: string; titleEn: string }) =>
    `${t("evaluation.lot", { number: l.number })} – ${lang === "ar" ? l.titleAr : l.titleEn}`;
  return {
    title: `${t("complaints.myTitle")} – ${r.tender.reference} – ${t("meta.siteName")}`,
    tenderId: r.tender.id,
    tenderTitle: `${r.tender.reference} – ${lang === "ar" ? r.tender.titleAr : r.tender.titleEn}`,
    lots: r.lots.map((l) => ({
      id: l.lot.id,
      number: l.lot.number,
      title: lotTitle(l.lot),
      cancelled: l.lot.cancelReason,
      award: l.award
        ? {
            winner: (lang === "ar" ? l.winnerAr : l.winnerEn) ?? "",
            price: moneyText(l.award.price, l.award.currency, lang),
            suspended: l.award.status === "suspended",
            until: when(l.award.standstillEndsAt),
            inStandstill: l.inStandstill,
          }
        : null,
      won: l.won,
      mayComplain: l.mayComplain,
      fee: l.fee ? moneyText(l.fee.amount, l.fee.currency, lang) : null,
    })),
    complaints: r.complaints.map(({ complaint: c, payment, paid, documents }) => {
      const lot = r.lots.find((l) => l.lot.id === c.tenderLotId);
      return {
        id: c.id,
        lot: lot ? lotTitle(lot.lot) : "",
        until: when(lot?.award?.standstillEndsAt ?? null),
        status: c.status,
        grounds: c.grounds,
        writtenAt: when(c.createdAt),
        lodgedAt: when(c.lodgedAt),
        fee: c.feeAmount !== null ? moneyText(c.feeAmount, c.feeCurrency!, lang) : null,
        paymentId: payment?.id ?? null,
        paid,
        decided: COMPLAINT_DECISIONS.includes(c.status as never),
        decision: c.decision ?? "",
        decidedAt: when(c.decidedAt),
        sentBack: c.sentBack,
        refunded: c.feeRefundId !== null,
        documents: documents.map((d) => ({
          id: d.fileId,
          name: d.name,
          size: formatBytes(Number(d.size)),
          sha256: d.sha256,
        })),
      };
    }),
  };
}

export async function action({ request, params, context }: Route.ActionArgs) {
  const { t } = context.get(i18nContext);
  const { actor } = requireUser(request, context);
  const id = TenderId.safeParse(params.tenderId);
  if (!id.success) throw new Response("Not found", { status: 404 });
  const { database, env, files } = context.get(servicesContext);
  const db = database.db;
  const ip = clientIp(request);
  const baseUrl = publicBaseUrl(request, env.PUBLIC_URL);
  const back = (done: string) => redirect(`/tenders/${id.data}/complaints?done=${done}`);
  const fail = (e: unknown, values: Record<string, string> = {}) => {
    if (!isAppError(e)) throw e;
    if (e.code === "NOT_FOUND" || e.code === "UNAUTHENTICATED" || e.code === "FORBIDDEN") throwAsResponse(e);
    return data({ errors: formErrorsOf(e, t), values }, { status: e.status });
  };

  // Writing a complaint sends documents: multipart, each file checked by its bytes as it streams in.
  if ((request.headers.get("content-type") ?? "").startsWith("multipart/form-data")) {
    let form: MultipartForm;
    try {
      form = await readMultipartForm(
        request,
        { maxBytes: env.UPLOAD_MAX_BYTES, accept: DOCUMENT_TYPES, maxFiles: MAX_COMPLAINT_DOCUMENTS },
        { db, files },
      );
    } catch (e) {
      if (!isAppError(e)) throw e;
      return data({ errors: formErrorsOf(e, t, "documents"), values: {} }, { status: e.status });
    }
    const lotId = z.uuid().safeParse(form.fields.get("lotId"));
    const grounds = form.fields.get("grounds") ?? "";
    if (!lotId.success) {
      await discardUploads(form, { db, files });
      return data({ errors: { form: t("errors.VALIDATION") }, values: { grounds } }, { status: 400 });
    }
    try {
      const { complaint, payment } = await fileComplaint(
        {
          actor,
          tenderId: id.data,
          lotId: lotId.data,
          grounds,
          fileIds: (form.files.get("documents") ?? []).map((f) => f.id),
          ip,
          baseUrl,
        },
        db,
      );
      return payment ? back("filed") : complaint.status === "lodged" ? back("lodged") : back("filed");
    } catch (e) {
      await discardUploads(form, { db, files });
      return fail(e, { grounds, lotId: lotId.data });
    }
  }

  const form = await readSmallForm(request, 16_000);
  const complaintId = z.uuid().safeParse(form.get("complaintId"));
  if (!complaintId.success)
    return data({ errors: { form: t("errors.VALIDATION") }, values: {} }, { status: 400 });
  try {
    switch (form.get("intent")) {
      case "pay": {
        const payment = await requestComplaintFee({ actor, complaintId: complaintId.data }, db);
        return redirect(`/billing/payments/${payment.id}`);
      }
      case "lodge":
        await lodgeComplaint({ actor, complaintId: complaintId.data, ip, baseUrl }, db);
        return back("lodged");
      default:
        return data({ errors: { form: t("errors.VALIDATION") }, values: {} }, { status: 400 });
    }
  } catch (e) {
    return fail(e);
  }
}

const TONE: Record<ComplaintStatus, "neutral" | "info" | "success" | "warning" | "danger"> = {
  awaiting_fee: "warning",
  lodged: "info",
  upheld: "success",
  rejected: "danger",
  resolved: "neutral",
  declined: "danger",
};

export default function MyComplaints({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useTranslation();
  const d = loaderData;
  const errors: Record<string, string | undefined> = actionData?.errors ?? {};
  const values: Record<string, string | undefined> = actionData?.values ?? {};
  return (
    <>
      <title>{d.title}</title>
      <p>
        <Link to={`/tenders/${d.tenderId}`}>{d.tenderTitle}</Link>
        {" · "}
        <Link to={`/tenders/${d.tenderId}/result`}>{t("award.resultTitle")}</Link>
      </p>
      <h1>{t("complaints.myTitle")}</h1>
      <p className="lead">{t("complaints.myLead")}</p>
      <DoneNotice
        messages={{ filed: t("complaints.notices.filed"), lodged: t("complaints.notices.lodged") }}
      />
      <ErrorSummary errors={errors} />

      <h2>{t("complaints.lotsTitle")}</h2>
      {d.lots.map((l) => (
        <section key={l.id} className="panel" aria-labelledby={`lot-${l.id}`}>
          <h3 id={`lot-${l.id}`}>{l.title}</h3>
          {l.cancelled ? (
            <p>
              <StatusTag tone="danger">{t("award.status.cancelled")}</StatusTag> {l.cancelled}
            </p>
          ) : l.award ? (
            <p>
              {t("complaints.awardLine", { winner: l.award.winner, price: l.award.price })} –{" "}
              {l.award.suspended ? (
                <StatusTag tone="warning">{t("complaints.suspended")}</StatusTag>
              ) : l.award.inStandstill ? (
                t("complaints.standstillUntil", { until: l.award.until })
              ) : (
                t("complaints.standstillOver")
              )}
              {l.won ? <> {t("complaints.youWon")}</> : null}
            </p>
          ) : (
            <p>{t("complaints.noAward")}</p>
          )}
          {l.mayComplain ? (
            <Form method="post" encType="multipart/form-data" className="narrow" noValidate>
              <h4>{t("complaints.formTitle", { number: l.number })}</h4>
              <p>{l.fee ? t("complaints.feeLine", { fee: l.fee }) : t("complaints.noFee")}</p>
              <input type="hidden" name="lotId" value={l.id} />
              <TextAreaField
                name="grounds"
                label={t("complaints.grounds")}
                hint={t("complaints.groundsHint", { min: MIN_GROUNDS_LENGTH })}
                rows={6}
                dir="auto"
                defaultValue={values.lotId === l.id ? values.grounds : undefined}
                error={values.lotId === l.id || !values.lotId ? errors.grounds : undefined}
              />
              <FileField
                name="documents"
                label={t("complaints.documents")}
                hint={t("complaints.documentsHint", { max: MAX_COMPLAINT_DOCUMENTS })}
                multiple
                error={errors.documents}
              />
              <Button>{t("complaints.send")}</Button>
            </Form>
          ) : null}
        </section>
      ))}

      <h2>{t("complaints.yoursTitle")}</h2>
      {d.complaints.length === 0 ? <p>{t("complaints.none")}</p> : null}
      {d.complaints.map((c) => (
        <section key={c.id} className="panel" aria-labelledby={`complaint-${c.id}`}>
          <h3 id={`complaint-${c.id}`}>
            {c.lot} <StatusTag tone={TONE[c.status]}>{t(`complaints.status.${c.status}`)}</StatusTag>
          </h3>
          <p>
            {t("complaints.writtenAt", { at: c.writtenAt })}
            {c.lodgedAt ? <> · {t("complaints.lodgedAt", { at: c.lodgedAt })}</> : null}
          </p>
          <p className="preserve-lines" dir="auto">
            {c.grounds}
          </p>
          {c.documents.length > 0 ? (
            <ul>
              {c.documents.map((doc) => (
                <li key={doc.id}>
                  <a href={`/complaints/${c.id}/documents/${doc.id}`}>{doc.name}</a> ({doc.size}){" "}
                  <code className="digest" dir="ltr">
                    {doc.sha256}
                  </code>
                </li>
              ))}
            </ul>
          ) : null}
          {c.status === "awaiting_fee" ? (
            c.paid ? (
              <Form method="post">
                <input type="hidden" name="complaintId" value={c.id} />
                <p>{t("complaints.lodgeLead", { until: c.until })}</p>
                <Button name="intent" value="lodge">
                  {t("complaints.lodge")}
                </Button>
              </Form>
            ) : (
              <Form method="post">
                <input type="hidden" name="complaintId" value={c.id} />
                <p>{t("complaints.payLead", { fee: c.fee, until: c.until })}</p>
                <Button name="intent" value="pay">
                  {t("complaints.pay")}
                </Button>
              </Form>
            )
          ) : null}
          {c.decided ? (
            <div className="notice">
              <p>{t("complaints.decidedAt", { at: c.decidedAt })}</p>
              <p className="preserve-lines" dir="auto">
                {c.decision}
              </p>
              {c.sentBack ? <p>{t("complaints.sentBack")}</p> : null}
              {c.refunded ? <p>{t("complaints.feeRefunded")}</p> : null}
            </div>
          ) : null}
        </section>
      ))}
    </>
  );
}
