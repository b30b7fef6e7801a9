import { data, Form, Link, redirect } from "react-router";
import { z } from "zod";
import { ApplicationStatusTag, FieldsTable, Timeline } from "#app/components/permit.tsx";
import { Button, ErrorSummary, SelectField, TextAreaField, TextField } from "#app/components/ui.tsx";
import { requireUser } from "#app/modules/accounts/context.server.ts";
import { i18nContext } from "#app/modules/i18n/context.server.ts";
import { useTranslation } from "#app/modules/i18n/use-translation.ts";
import { moneyText } from "#app/modules/payments/money-view.ts";
import { databaseNow } from "#app/modules/permits/application-access.server.ts";
import { applicationForReview } from "#app/modules/permits/application-view.server.ts";
import { approveApplication, rejectApplication } from "#app/modules/permits/decide-application.server.ts";
import { issuePermit } from "#app/modules/permits/issue-permit.server.ts";
import {
  daysLeft,
  documentsView,
  fieldsView,
  inspectionsView,
  pick,
  timelineView,
} from "#app/modules/permits/permit-view.ts";
import {
  assignApplication,
  recordInspection,
  requestInformation,
  scheduleInspection,
  updateChecklist,
} from "#app/modules/permits/review-application.server.ts";
import { servicesContext } from "#app/server/context.ts";
import { isAppError } from "#app/utils/errors.ts";
import { formErrorsOf } from "#app/utils/forms.server.ts";
import { clientIp, publicBaseUrl } from "#app/utils/http.server.ts";
import { throwAsResponse } from "#app/utils/responses.server.ts";
import { formatInZone } from "#app/utils/time-zones.ts";
import { readSmallForm } from "#app/utils/uploads.server.ts";
import type { Route } from "./+types/licensing.applications.$applicationId";

const ApplicationId = z.uuid();

export async function loader({ request, params, context }: Route.LoaderArgs) {
  const { t, lang } = context.get(i18nContext);
  const { actor } = requireUser(request, context);
  const id = ApplicationId.safeParse(params.applicationId);
  if (!id.success) throw new Response("Not found", { status: 404 });
  const db = context.get(servicesContext).database.db;
  const d = await applicationForReview(actor, id.data, db).catch(throwAsResponse);
  const now = await databaseNow(db);
  const zone = d.agency.timeZone;
  const a = d.application;
  const me = actor.userId;
  const inspection = d.inspections[0];
  return {
    title: `${a.reference} – ${t("licensing.queueTitle")} – ${t("meta.siteName")}`,
    id: a.id,
    reference: a.reference,
    status: a.status,
    kind: a.kind,
    typeName: pick(lang, d.type.nameAr, d.type.nameEn),
    business: {
      name: pick(lang, d.business.nameAr, d.business.nameEn),
      registration: d.business.registrationNumber ?? "",
      verified: d.business.verification === "verified",
    },
    submittedAt: a.submittedAt ? formatInZone(a.submittedAt, zone) : "",
    dueAt: a.dueAt ? formatInZone(a.dueAt, zone) : "",
    daysLeft: daysLeft(a.dueAt, a.clockStoppedAt, now),
    clockStopped: Boolean(a.clockStoppedAt),
    assignedTo: a.assignedTo ?? "",
    officers: d.officers.map((o) => ({ value: o.id, label: o.name })),
    fields: fieldsView(d.type.fields, a.fields, lang),
    documents: documentsView(d.type.documents, d.documents, lang, zone),
    checklist: d.type.checklist.map((item) => ({
      key: item.key,
      label: pick(lang, item.labelAr, item.labelEn),
      checked: Boolean(a.checklist[item.key]),
    })),
    inspectionRequired: d.type.inspectionRequired,
    secondApprovalRequired: d.type.secondApprovalRequired,
    firstApprovedByMe: a.firstApprovedBy === me,
    firstApproved: Boolean(a.firstApprovedBy),
    openInspection:
      inspection && !inspection.result ? { when: formatInZone(inspection.scheduledFor, zone) } : null,
    inspections: inspectionsView(d.inspections, zone),
    timeline: timelineView(d.events, zone),
    fee: d.fee ? { amount: moneyText(d.fee.amount, d.fee.currency, lang), paid: d.fee.paid } : null,
    permit: d.permit ? { id: d.permit.id, number: d.permit.number } : null,
    zone,
  };
}

export async function action({ request, params, context }: Route.ActionArgs) {
  const { t } = context.get(i18nContext);
  const { actor } = requireUser(request, context);
  const id = ApplicationId.safeParse(params.applicationId);
  if (!id.success) throw new Response("Not found", { status: 404 });
  const { database, env } = context.get(servicesContext);
  const db = database.db;
  const form = await readSmallForm(request, 64_000);
  const intent = String(form.get("intent") ?? "");
  const text = (name: string) => String(form.get(name) ?? "");
  const step = {
    actor,
    applicationId: id.data,
    ip: clientIp(request),
    baseUrl: publicBaseUrl(request, env.PUBLIC_URL),
  };
  const done = (notice: string) => redirect(`/licensing/applications/${id.data}?notice=${notice}`);
  try {
    switch (intent) {
      case "assign":
        await assignApplication({ ...step, assigneeId: text("assigneeId") || undefined }, db);
        return done("saved");
      case "checklist":
        await updateChecklist({ ...step, checked: form.getAll("checked").map(String) }, db);
        return done("saved");
      case "request":
        await requestInformation({ ...step, message: text("message") }, db);
        return done("informationRequested");
      case "schedule":
        await scheduleInspection(
          {
            ...step,
            when: text("when"),
            location: text("location"),
            inspectorId: text("inspectorId") || undefined,
          },
          db,
        );
        return done("inspectionScheduled");
      case "inspect":
        await recordInspection(
          { ...step, result: text("result") as "passed", findings: text("findings") },
          db,
        );
        return done("saved");
      case "approve":
        await approveApplication({ ...step, note: text("note") }, db);
        return done("decisionRecorded");
      case "reject":
        await rejectApplication({ ...step, reason: text("reason") }, db);
        return done("decisionRecorded");
      case "issue": {
        await issuePermit(step, db);
        return done("permitIssued");
      }
      default:
        throw new Response("Bad request", { status: 400 });
    }
  } catch (e) {
    if (e instanceof Response || !isAppError(e)) throw e;
    if (e.code === "NOT_FOUND" || e.code === "FORBIDDEN" || e.code === "UNAUTHENTICATED") throwAsResponse(e);
    const values = Object.fromEntries([...form.entries()].map(([k, v]) => [k, String(v)]));
    return data({ intent, errors: formErrorsOf(e, t), values }, { status: e.status });
  }
}

export default function ReviewApplication({ loaderData: d, actionData }: Route.ComponentProps) {
  const { t } = useTranslation();
  const errors = actionData?.errors ?? {};
  const v = (intent: string, name: string) =>
    actionData?.intent === intent ? actionData.values[name] : undefined;
  const reviewing = ["in_review", "inspection_scheduled", "inspected"].includes(d.status);
  return (
    <>
      <title>{d.title}</title>
      <p>
        <Link to="/licensing">{t("licensing.queueTitle")}</Link>
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
        <dt>{t("licensing.applicant")}</dt>
        <dd>
          {d.business.name} <span dir="ltr">{d.business.registration}</span>{" "}
          {d.business.verified ? t("licensing.verified") : t("licensing.notVerified")}
        </dd>
        <dt>{t("permits.submittedAt")}</dt>
        <dd>
          <span dir="ltr">{d.submittedAt}</span>
        </dd>
        <dt>{t("permits.dueAt")}</dt>
        <dd>
          <span dir="ltr">{d.dueAt}</span>{" "}
          {d.clockStopped
            ? `— ${t("permits.clockStopped")}`
            : d.daysLeft === null
              ? null
              : d.daysLeft < 0
                ? `— ${t("licensing.overdueBy", { count: -d.daysLeft })}`
                : `— ${t("licensing.daysLeft", { count: d.daysLeft })}`}
        </dd>
        {d.fee ? (
          <>
            <dt>{t("permits.fee")}</dt>
            <dd>
              {d.fee.paid
                ? t("permits.feePaid", { amount: d.fee.amount })
                : t("permits.feeDue", { amount: d.fee.amount })}
            </dd>
          </>
        ) : null}
      </dl>

      {d.permit ? (
        <div className="notice" role="status">
          {t("licensing.issued")}{" "}
          <Link to={`/licensing/permits/${d.permit.id}`} dir="ltr">
            {d.permit.number}
          </Link>
        </div>
      ) : null}

      <h2>{t("permits.applicationForm")}</h2>
      <FieldsTable fields={d.fields} />
      <h3>{t("permits.documents")}</h3>
      <ul>
        {d.documents.map((doc) => (
          <li key={doc.key}>
            {doc.label}:{" "}
            {doc.file ? (
              <>
                <a href={`/permits/applications/${d.id}/documents/${doc.key}`}>{doc.file.name}</a> (
                {doc.file.size}){" "}
                <code dir="ltr" className="hash">
                  SHA-256 {doc.file.sha256.slice(0, 16)}…
                </code>
              </>
            ) : (
              "—"
            )}
          </li>
        ))}
      </ul>

      {d.status !== "issued" && d.status !== "rejected" && d.status !== "withdrawn" ? (
        <section aria-labelledby="assign-heading" className="panel">
          <h2 id="assign-heading">{t("licensing.assignTitle")}</h2>
          <Form method="post" className="inline-form">
            <input type="hidden" name="intent" value="assign" />
            <SelectField
              name="assigneeId"
              label={t("licensing.assignTo")}
              options={d.officers}
              defaultValue={d.assignedTo}
            />
            <Button variant="secondary">
              {d.status === "submitted" ? t("licensing.startReview") : t("licensing.assign")}
            </Button>
          </Form>
        </section>
      ) : null}

      {reviewing && d.checklist.length > 0 ? (
        <section aria-labelledby="checklist-heading" className="panel">
          <h2 id="checklist-heading">{t("licensing.checklist")}</h2>
          <Form method="post">
            <input type="hidden" name="intent" value="checklist" />
            <fieldset className="checkboxes">
              <legend className="visually-hidden">{t("licensing.checklist")}</legend>
              {d.checklist.map((item) => (
                <div className="checkbox" key={item.key}>
                  <input
                    type="checkbox"
                    id={`check-${item.key}`}
                    name="checked"
                    value={item.key}
                    defaultChecked={item.checked}
                  />
                  <label htmlFor={`check-${item.key}`}>{item.label}</label>
                </div>
              ))}
            </fieldset>
            <Button variant="secondary">{t("licensing.saveChecklist")}</Button>
          </Form>
        </section>
      ) : null}

      {["submitted", "in_review", "inspected"].includes(d.status) ? (
        <section aria-labelledby="request-heading" className="panel">
          <h2 id="request-heading">{t("licensing.requestInformation")}</h2>
          <Form method="post" noValidate>
            <input type="hidden" name="intent" value="request" />
            <TextAreaField
              name="message"
              label={t("licensing.requestMessage")}
              hint={t("licensing.requestHint")}
              defaultValue={v("request", "message")}
              error={actionData?.intent === "request" ? errors.message : undefined}
              dir="auto"
            />
            <Button variant="secondary">{t("licensing.sendRequest")}</Button>
          </Form>
        </section>
      ) : null}

      {d.inspectionRequired && ["in_review", "inspected"].includes(d.status) ? (
        <section aria-labelledby="schedule-heading" className="panel">
          <h2 id="schedule-heading">{t("licensing.scheduleInspection")}</h2>
          <Form method="post" noValidate>
            <input type="hidden" name="intent" value="schedule" />
            <TextField
              name="when"
              type="datetime-local"
              label={t("licensing.inspectionWhen", { zone: d.zone })}
              defaultValue={v("schedule", "when")}
              error={actionData?.intent === "schedule" ? errors.when : undefined}
              dir="ltr"
            />
            <TextField
              name="location"
              label={t("licensing.inspectionLocation")}
              defaultValue={v("schedule", "location")}
              error={actionData?.intent === "schedule" ? errors.location : undefined}
              dir="auto"
            />
            <SelectField
              name="inspectorId"
              label={t("licensing.inspector")}
              options={d.officers}
              defaultValue={d.assignedTo}
            />
            <Button variant="secondary">{t("licensing.schedule")}</Button>
          </Form>
        </section>
      ) : null}

      {d.openInspection ? (
        <section aria-labelledby="inspect-heading" className="panel">
          <h2 id="inspect-heading">{t("licensing.recordInspection", { when: d.openInspection.when })}</h2>
          <Form method="post" noValidate>
            <input type="hidden" name="intent" value="inspect" />
            <SelectField
              name="result"
              label={t("licensing.inspectionResultLabel")}
              options={[
                { value: "passed", label: t("permits.inspectionResult.passed") },
                { value: "failed", label: t("permits.inspectionResult.failed") },
              ]}
              defaultValue={v("inspect", "result")}
            />
            <TextAreaField
              name="findings"
              label={t("licensing.findings")}
              defaultValue={v("inspect", "findings")}
              error={actionData?.intent === "inspect" ? errors.findings : undefined}
              dir="auto"
            />
            <Button variant="secondary">{t("licensing.saveInspection")}</Button>
          </Form>
        </section>
      ) : null}

      {["in_review", "inspected"].includes(d.status) ? (
        <section aria-labelledby="decide-heading" className="panel">
          <h2 id="decide-heading">{t("licensing.decision")}</h2>
          {d.secondApprovalRequired ? (
            <p className="hint">
              {d.firstApprovedByMe
                ? t("licensing.waitingSecond")
                : d.firstApproved
                  ? t("licensing.firstGiven")
                  : t("licensing.twoOfficers")}
            </p>
          ) : null}
          {!d.firstApprovedByMe ? (
            <Form method="post" noValidate>
              <input type="hidden" name="intent" value="approve" />
              <TextAreaField
                name="note"
                label={t("licensing.approvalNote")}
                rows={2}
                dir="auto"
                defaultValue={v("approve", "note")}
              />
              <Button>
                {d.secondApprovalRequired && !d.firstApproved
                  ? t("licensing.firstApprove")
                  : t("licensing.approve")}
              </Button>
            </Form>
          ) : null}
          <Form method="post" noValidate>
            <input type="hidden" name="intent" value="reject" />
            <TextAreaField
              name="reason"
              label={t("licensing.rejectReason")}
              defaultValue={v("reject", "reason")}
              error={actionData?.intent === "reject" ? errors.reason : undefined}
              dir="auto"
            />
            <Button variant="warning">{t("licensing.reject")}</Button>
          </Form>
        </section>
      ) : null}

      {d.status === "approved" ? (
        <Form method="post">
          <input type="hidden" name="intent" value="issue" />
          <Button>{d.kind === "new" ? t("licensing.issue") : t(`licensing.issue_${d.kind}`)}</Button>
        </Form>
      ) : null}

      {d.inspections.length > 0 ? (
        <>
          <h2>{t("permits.inspection")}</h2>
          {d.inspections.map((i) => (
            <p key={i.id}>
              <span dir="ltr">{i.when}</span> — <span dir="auto">{i.location}</span> — {i.inspectorName}
              {i.result ? (
                <>
                  {" "}
                  — {t(`permits.inspectionResult.${i.result}`)}: <span dir="auto">{i.findings}</span>
                </>
              ) : null}
            </p>
          ))}
        </>
      ) : null}

      <h2>{t("permits.timeline")}</h2>
      <Timeline events={d.timeline} showActors />
    </>
  );
}
