import { data, Form, Link, redirect } from "react-router";
import { z } from "zod";
import { ApplicationStatusTag, FieldInputs, FieldsTable, Timeline } from "#app/components/permit.tsx";
import { Button, ErrorSummary, FileField, TextAreaField } from "#app/components/ui.tsx";
import { requireUser } from "#app/modules/accounts/context.server.ts";
import { DOCUMENT_TYPES } from "#app/modules/files/media-types.ts";
import { i18nContext } from "#app/modules/i18n/context.server.ts";
import { useTranslation } from "#app/modules/i18n/use-translation.ts";
import { moneyText } from "#app/modules/payments/money-view.ts";
import {
  answerInformationRequest,
  withdrawApplication,
} from "#app/modules/permits/applicant-steps.server.ts";
import { requestApplicationFee } from "#app/modules/permits/application-fee.server.ts";
import { applicationForApplicant } from "#app/modules/permits/application-view.server.ts";
import { EDITABLE_STATUSES } from "#app/modules/permits/permit-rules.ts";
import {
  documentsView,
  fieldsView,
  inspectionsView,
  pick,
  timelineView,
} from "#app/modules/permits/permit-view.ts";
import { FieldErrors, saveApplication } from "#app/modules/permits/save-application.server.ts";
import { submitApplication } from "#app/modules/permits/submit-application.server.ts";
import { servicesContext } from "#app/server/context.ts";
import { isAppError } from "#app/utils/errors.ts";
import { formErrorsOf } from "#app/utils/forms.server.ts";
import { clientIp } from "#app/utils/http.server.ts";
import { throwAsResponse } from "#app/utils/responses.server.ts";
import { formatInZone } from "#app/utils/time-zones.ts";
import {
  discardUploads,
  type MultipartForm,
  readMultipartForm,
  readSmallForm,
} from "#app/utils/uploads.server.ts";
import type { Route } from "./+types/permits.applications.$applicationId";

const ApplicationId = z.uuid();

export async function loader({ request, params, context }: Route.LoaderArgs) {
  const { t, lang } = context.get(i18nContext);
  const { actor } = requireUser(request, context);
  const id = ApplicationId.safeParse(params.applicationId);
  if (!id.success) throw new Response("Not found", { status: 404 });
  const d = await applicationForApplicant(actor, id.data, context.get(servicesContext).database.db).catch(
    throwAsResponse,
  );
  const zone = d.agency.timeZone;
  const { application: a } = d;
  const lastRequest = [...d.events].reverse().find((e) => e.kind === "information_requested");
  return {
    title: `${t("permits.applicationTitle", { reference: a.reference })} – ${t("meta.siteName")}`,
    id: a.id,
    reference: a.reference,
    kind: a.kind,
    status: a.status,
    typeName: pick(lang, d.type.nameAr, d.type.nameEn),
    typeId: d.type.id,
    agencyName: pick(lang, d.agency.nameAr, d.agency.nameEn),
    editable: EDITABLE_STATUSES.includes(a.status),
    canSubmit: a.status === "draft",
    canWithdraw: [
      "draft",
      "submitted",
      "in_review",
      "information_requested",
      "inspection_scheduled",
      "inspected",
    ].includes(a.status),
    submittedAt: a.submittedAt ? formatInZone(a.submittedAt, zone) : "",
    dueAt: a.dueAt ? formatInZone(a.dueAt, zone) : "",
    clockStopped: Boolean(a.clockStoppedAt),
    decisionReason: a.decisionReason ?? "",
    informationRequest: a.status === "information_requested" ? (lastRequest?.note ?? "") : "",
    fields: fieldsView(d.type.fields, a.fields, lang),
    documents: documentsView(d.type.documents, d.documents, lang, zone),
    timeline: timelineView(d.events, zone),
    inspections: inspectionsView(d.inspections, zone),
    fee: d.fee ? { amount: moneyText(d.fee.amount, d.fee.currency, lang), paid: d.fee.paid } : null,
    permit: d.permit
      ? { number: d.permit.number, status: d.permit.status, validUntil: d.permit.validUntil }
      : null,
  };
}

type ActionResult = { errors: Record<string, string>; values?: Record<string, string>; intent: string };

export async function action({ request, params, context }: Route.ActionArgs) {
  const { t } = context.get(i18nContext);
  const { actor } = requireUser(request, context);
  const id = ApplicationId.safeParse(params.applicationId);
  if (!id.success) throw new Response("Not found", { status: 404 });
  const { database, env, files } = context.get(servicesContext);
  const db = database.db;
  const ip = clientIp(request);
  const back = (notice: string) => redirect(`/permits/applications/${id.data}?notice=${notice}`);
  const fail = (e: unknown, intent: string, values?: Record<string, string>) => {
    if (!isAppError(e)) throw e;
    if (e.code === "NOT_FOUND" || e.code === "FORBIDDEN" || e.code === "UNAUTHENTICATED") throwAsResponse(e);
    const errors: Record<string, string> =
      e instanceof FieldErrors
        ? Object.fromEntries(
            Object.entries(e.fieldErrors).map(([k, m]) => {
              const [key, p] = m.split("|", 2);
              return [`field-${k}`, String(t(key!, p ? JSON.parse(p) : {}))];
            }),
          )
        : e.field && !e.field.startsWith("field-") && !["answer", "form"].includes(e.field)
          ? { [`doc-${e.field}`]: String(t(e.messageKey, e.params)) }
          : formErrorsOf(e, t);
    return data<ActionResult>({ errors, values, intent }, { status: e.status });
  };

  // The form with files (the answers and the documents) is multipart; the others are small forms.
  if ((request.headers.get("content-type") ?? "").startsWith("multipart/form-data")) {
    let form: MultipartForm;
    try {
      form = await readMultipartForm(
        request,
        { maxBytes: env.UPLOAD_MAX_BYTES, accept: DOCUMENT_TYPES, maxFiles: 20 },
        { db, files },
      );
    } catch (e) {
      return fail(e, "save");
    }
    const fields: Record<string, string> = {};
    for (const [name, value] of form.fields) if (name.startsWith("field-")) fields[name.slice(6)] = value;
    const documents = Object.fromEntries(
      [...form.files]
        .filter(([name, list]) => name.startsWith("doc-") && list[0])
        .map(([name, list]) => [name.slice(4), list[0]!]),
    );
    try {
      await saveApplication({ actor, applicationId: id.data, fields, documents }, db);
    } catch (e) {
      await discardUploads(form, { db, files });
      return fail(e, "save", Object.fromEntries(Object.entries(fields).map(([k, v]) => [`field-${k}`, v])));
    }
    return form.fields.get("then") === "submit" ? submitOrFail() : back("applicationSaved");

    async function submitOrFail() {
      try {
        await submitApplication({ actor, applicationId: id.data!, ip }, db);
        return back("applicationSubmitted");
      } catch (e) {
        return fail(e, "save");
      }
    }
  }

  const form = await readSmallForm(request, 64_000);
  const intent = String(form.get("intent") ?? "");
  try {
    switch (intent) {
      case "submit":
        await submitApplication({ actor, applicationId: id.data, ip }, db);
        return back("applicationSubmitted");
      case "pay": {
        const d = await applicationForApplicant(actor, id.data, db);
        const payment = await requestApplicationFee({ actor, application: d.application, type: d.type }, db);
        return redirect(`/billing/payments/${payment.id}`);
      }
      case "answer":
        await answerInformationRequest(
          { actor, applicationId: id.data, answer: String(form.get("answer") ?? ""), ip },
          db,
        );
        return back("informationSent");
      case "withdraw":
        await withdrawApplication({ actor, applicationId: id.data, ip }, db);
        return back("applicationWithdrawn");
      default:
        throw new Response("Bad request", { status: 400 });
    }
  } catch (e) {
    if (e instanceof Response) throw e;
    return fail(e, intent, intent === "answer" ? { answer: String(form.get("answer") ?? "") } : undefined);
  }
}

export default function ApplicationPage({ loaderData: d, actionData }: Route.ComponentProps) {
  const { t } = useTranslation();
  const errors = actionData?.errors ?? {};
  return (
    <>
      <title>{d.title}</title>
      <p>
        <Link to="/permits/mine">{t("permits.mineTitle")}</Link>
      </p>
      <h1>
        {d.typeName} <ApplicationStatusTag status={d.status} />
      </h1>
      <ErrorSummary errors={errors} />
      <dl className="facts">
        <dt>{t("permits.reference")}</dt>
        <dd>
          <span dir="ltr">{d.reference}</span>
        </dd>
        <dt>{t("permits.kindLabel")}</dt>
        <dd>{t(`permits.kind.${d.kind}`)}</dd>
        <dt>{t("permits.agency")}</dt>
        <dd>{d.agencyName}</dd>
        {d.submittedAt ? (
          <>
            <dt>{t("permits.submittedAt")}</dt>
            <dd>
              <span dir="ltr">{d.submittedAt}</span>
            </dd>
          </>
        ) : null}
        {d.dueAt ? (
          <>
            <dt>{t("permits.dueAt")}</dt>
            <dd>
              <span dir="ltr">{d.dueAt}</span>
              {d.clockStopped ? <> — {t("permits.clockStopped")}</> : null}
            </dd>
          </>
        ) : null}
      </dl>

      {d.permit ? (
        <div className="notice" role="status">
          {t("permits.issuedNotice", { number: d.permit.number, validUntil: d.permit.validUntil })}{" "}
          <a href={`/permits/${encodeURIComponent(d.permit.number)}/certificate.pdf`}>
            {t("permits.downloadCertificate")}
          </a>
        </div>
      ) : null}
      {d.decisionReason && d.status === "rejected" ? (
        <div className="notice notice--warning" role="status">
          {t("permits.rejectedBecause")} <span dir="auto">{d.decisionReason}</span>
        </div>
      ) : null}

      {d.informationRequest ? (
        <section aria-labelledby="info-heading" className="panel">
          <h2 id="info-heading">{t("permits.informationRequested")}</h2>
          <p dir="auto">{d.informationRequest}</p>
          <p>{t("permits.informationHint")}</p>
          <Form method="post" noValidate>
            <input type="hidden" name="intent" value="answer" />
            <TextAreaField
              name="answer"
              label={t("permits.yourAnswer")}
              defaultValue={actionData?.intent === "answer" ? actionData.values?.answer : ""}
              error={errors.answer}
              dir="auto"
            />
            <Button>{t("permits.sendAnswer")}</Button>
          </Form>
        </section>
      ) : null}

      {d.fee ? (
        <section aria-labelledby="fee-heading">
          <h2 id="fee-heading">{t("permits.fee")}</h2>
          <p>
            {d.fee.paid
              ? t("permits.feePaid", { amount: d.fee.amount })
              : t("permits.feeDue", { amount: d.fee.amount })}
          </p>
          {!d.fee.paid && d.canSubmit ? (
            <Form method="post">
              <input type="hidden" name="intent" value="pay" />
              <Button variant="secondary">{t("permits.payFee")}</Button>
            </Form>
          ) : null}
        </section>
      ) : null}

      <section aria-labelledby="form-heading">
        <h2 id="form-heading">{t("permits.applicationForm")}</h2>
        {d.editable ? (
          <Form method="post" encType="multipart/form-data" className="narrow" noValidate>
            <FieldInputs
              fields={d.fields}
              values={actionData?.intent === "save" ? actionData.values : undefined}
              errors={errors}
            />
            <h3>{t("permits.documents")}</h3>
            {d.documents.map((doc) => (
              <div key={doc.key}>
                <FileField
                  name={`doc-${doc.key}`}
                  label={doc.label}
                  accept={doc.accept || undefined}
                  hint={
                    doc.file
                      ? t("permits.documentAttached", { name: doc.file.name, size: doc.file.size })
                      : t("permits.documentMissing")
                  }
                  error={errors[`doc-${doc.key}`]}
                />
                {doc.file ? (
                  <p className="hint">
                    <a href={`/permits/applications/${d.id}/documents/${doc.key}`}>{t("permits.download")}</a>{" "}
                    <code dir="ltr" className="hash">
                      SHA-256 {doc.file.sha256.slice(0, 16)}…
                    </code>
                  </p>
                ) : null}
              </div>
            ))}
            <div className="button-row">
              <Button variant="secondary">{t("permits.saveDraft")}</Button>
              {d.canSubmit ? (
                <Button name="then" value="submit">
                  {t("permits.saveAndSubmit")}
                </Button>
              ) : null}
            </div>
          </Form>
        ) : (
          <>
            <FieldsTable fields={d.fields} />
            <ul>
              {d.documents.map((doc) => (
                <li key={doc.key}>
                  {doc.label}:{" "}
                  {doc.file ? (
                    <a href={`/permits/applications/${d.id}/documents/${doc.key}`}>{doc.file.name}</a>
                  ) : (
                    "—"
                  )}
                </li>
              ))}
            </ul>
          </>
        )}
      </section>

      {d.inspections.length > 0 ? (
        <section aria-labelledby="inspection-heading">
          <h2 id="inspection-heading">{t("permits.inspection")}</h2>
          {d.inspections.map((i) => (
            <p key={i.id}>
              <span dir="ltr">{i.when}</span> — <span dir="auto">{i.location}</span>
              {i.result ? <> — {t(`permits.inspectionResult.${i.result}`)}</> : null}
            </p>
          ))}
        </section>
      ) : null}

      <section aria-labelledby="timeline-heading">
        <h2 id="timeline-heading">{t("permits.timeline")}</h2>
        <Timeline events={d.timeline} />
      </section>

      {d.canWithdraw ? (
        <Form method="post">
          <input type="hidden" name="intent" value="withdraw" />
          <Button variant="warning">{t("permits.withdraw")}</Button>
        </Form>
      ) : null}
    </>
  );
}
