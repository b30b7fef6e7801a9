import { data, Form, Link, redirect } from "react-router";
import { z } from "zod";
import { CancelForm } from "#app/components/cancellation.tsx";
import { AmendmentsList, CriteriaList, LotsList, TenderFacts } from "#app/components/tender.tsx";
import { TenderBasicsFields } from "#app/components/tender-basics-fields.tsx";
import { Button, ErrorSummary, SelectField, TextAreaField, TextField } from "#app/components/ui.tsx";
import { requireUser } from "#app/modules/accounts/context.server.ts";
import { loadBidMasterKey } from "#app/modules/bids/master-key.server.ts";
import { i18nContext } from "#app/modules/i18n/context.server.ts";
import { useTranslation } from "#app/modules/i18n/use-translation.ts";
import { permitFlagsOfTender, permitTypeOptions } from "#app/modules/permits/permit-eligibility.server.ts";
import { outageBeforeDeadline } from "#app/modules/platform/availability.server.ts";
import { amendmentsOf, amendTender } from "#app/modules/tenders/amend-tender.server.ts";
import {
  addCriterion,
  addItem,
  addLot,
  publishTender,
  removeCriterion,
  removeFromDraft,
  tenderForOfficer,
  updateTenderDraft,
} from "#app/modules/tenders/author-tender.server.ts";
import { searchCpv, units } from "#app/modules/tenders/classifications.server.ts";
import { lotsView } from "#app/modules/tenders/lots-view.server.ts";
import { amendmentsView, basicsValuesOf, tenderSummary } from "#app/modules/tenders/tender-view.ts";
import { servicesContext } from "#app/server/context.ts";
import { isAppError } from "#app/utils/errors.ts";
import { formErrorsOf } from "#app/utils/forms.server.ts";
import { clientIp, publicBaseUrl } from "#app/utils/http.server.ts";
import { throwAsResponse } from "#app/utils/responses.server.ts";
import { formatInZone, instantToZoned } from "#app/utils/time-zones.ts";
import type { Db } from "#db/client.server.ts";
import { CRITERION_KINDS } from "#db/schema/tender-kinds.ts";
import type { Tender } from "#db/schema/tenders.ts";
import type { Route } from "./+types/tenders.manage.$tenderId";

const TenderId = z.uuid();
const str = z.string().max(20_000).optional().default("");
const Intent = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("basics") }).passthrough(),
  z.object({ intent: z.literal("addLot"), lotTitleAr: str, lotTitleEn: str, lotEstimatedValue: str }),
  z.object({
    intent: z.literal("addItem"),
    lotId: z.uuid(),
    itemDescriptionAr: str,
    itemDescriptionEn: str,
    quantity: str,
    unit: str,
  }),
  z.object({ intent: z.literal("removeLot"), lotId: z.uuid() }),
  z.object({ intent: z.literal("removeItem"), itemId: z.uuid() }),
  z.object({
    intent: z.literal("addCriterion"),
    criterionNameAr: str,
    criterionNameEn: str,
    kind: str,
    weight: str,
  }),
  z.object({ intent: z.literal("removeCriterion"), key: z.string().max(20) }),
  z.object({ intent: z.literal("publish") }),
  z.object({ intent: z.enum(["amend", "extend"]), reason: str }).passthrough(),
]);

/** An outage of the platform in the last hour before this tender's deadline, and the extension it suggests. */
async function incidentOf(tender: Tender, db: Db, lang: string) {
  if (tender.status !== "published" || !tender.submissionDeadline) return null;
  const found = await outageBeforeDeadline(db, tender.submissionDeadline);
  if (!found) return null;
  const when = (d: Date) => formatInZone(d, tender.timeZone);
  const windows = found.outages.map((o) => `${when(o.from)} – ${when(o.to)}`);
  return {
    outages: windows,
    minutes: Math.round(found.lostMs / 60_000),
    proposedDeadline: instantToZoned(found.proposedDeadline, tender.timeZone),
    proposedOpening: instantToZoned(
      new Date(
        found.proposedDeadline.getTime() +
          (tender.openingAt!.getTime() - tender.submissionDeadline.getTime()),
      ),
      tender.timeZone,
    ),
    reason:
      lang === "ar"
        ? `تعذّر الوصول إلى المنصة قبل الموعد النهائي: ${windows.join("، ")}`
        : `The platform was unavailable before the deadline: ${windows.join(", ")}`,
  };
}

export async function loader({ request, params, context }: Route.LoaderArgs) {
  const { t, lang } = context.get(i18nContext);
  const { actor } = requireUser(request, context);
  const id = TenderId.safeParse(params.tenderId);
  if (!id.success) throw new Response("Not found", { status: 404 });
  const { tender, lots, userId } = await tenderForOfficer(
    actor,
    id.data,
    context.get(servicesContext).database.db,
  ).catch(throwAsResponse);
  const summary = tenderSummary(tender, lang, new Date());
  // Finding CPV codes works without JavaScript: a GET form on this page.
  const cpvQuery = (new URL(request.url).searchParams.get("cpv") ?? "").slice(0, 100);
  return {
    title: `${summary.reference} – ${t("meta.siteName")}`,
    tender: summary,
    status: tender.status,
    cancelReason: tender.cancelReason ?? "",
    basics: basicsValuesOf(tender),
    lots: lotsView(lots, lang),
    weightsTotal: tender.criteria.reduce((sum, c) => sum + c.weight, 0),
    isAuthor: tender.createdBy === userId,
    units: units().map((u) => ({ value: u.code, label: `${u.name[lang]} (${u.code})` })),
    cpvQuery,
    permitTypes: await permitTypeOptions(lang, context.get(servicesContext).database.db),
    incident: await incidentOf(tender, context.get(servicesContext).database.db, lang),
    permitFlags: (await permitFlagsOfTender(tender.id, context.get(servicesContext).database.db)).map(
      (f) => ({
        bidId: f.bidId,
        business: lang === "ar" ? f.businessNameAr : f.businessNameEn,
        number: f.permitNumber,
        status: f.permitStatus,
        reason: f.reason,
      }),
    ),
    amendments: amendmentsView(
      await amendmentsOf(tender.id, context.get(servicesContext).database.db),
      tender.timeZone,
    ),
    cpvHits: cpvQuery ? searchCpv(cpvQuery, { lang, limit: 15 }) : [],
  };
}

export async function action({ request, params, context }: Route.ActionArgs) {
  const { t } = context.get(i18nContext);
  const { actor } = requireUser(request, context);
  const id = TenderId.safeParse(params.tenderId);
  if (!id.success) throw new Response("Not found", { status: 404 });
  const { database, env } = context.get(servicesContext);
  const db = database.db;
  const form = Object.fromEntries(await request.formData()) as Record<string, string>;
  const parsed = Intent.safeParse(form);
  if (!parsed.success)
    return data({ errors: { form: t("errors.VALIDATION") }, intent: null, values: form }, { status: 400 });
  const input = parsed.data;
  const ip = clientIp(request);
  const tenderId = id.data;
  try {
    switch (input.intent) {
      case "basics":
        await updateTenderDraft({ actor, tenderId, form: form as never, ip }, db);
        break;
      case "addLot":
        await addLot(
          {
            actor,
            tenderId,
            titleAr: input.lotTitleAr,
            titleEn: input.lotTitleEn,
            estimatedValue: input.lotEstimatedValue,
            ip,
          },
          db,
        );
        break;
      case "addItem":
        await addItem(
          {
            actor,
            tenderId,
            lotId: input.lotId,
            descriptionAr: input.itemDescriptionAr,
            descriptionEn: input.itemDescriptionEn,
            quantity: input.quantity,
            unit: input.unit,
            ip,
          },
          db,
        );
        break;
      case "removeLot":
        await removeFromDraft({ actor, tenderId, lotId: input.lotId, ip }, db);
        break;
      case "removeItem":
        await removeFromDraft({ actor, tenderId, itemId: input.itemId, ip }, db);
        break;
      case "addCriterion":
        await addCriterion(
          {
            actor,
            tenderId,
            nameAr: input.criterionNameAr,
            nameEn: input.criterionNameEn,
            kind: input.kind,
            weight: input.weight,
            ip,
          },
          db,
        );
        break;
      case "removeCriterion":
        await removeCriterion({ actor, tenderId, key: input.key, ip }, db);
        break;
      case "amend":
      case "extend":
        await amendTender(
          {
            actor,
            tenderId,
            kind: input.intent === "amend" ? "amendment" : "extension",
            reason: input.reason,
            form: form as never,
            ip,
            baseUrl: publicBaseUrl(request, env.PUBLIC_URL),
          },
          { db, minDays: env.TENDER_AMENDMENT_MIN_DAYS },
        );
        return redirect(`/tenders/manage/${tenderId}?notice=amendmentPublished`);
      case "publish": {
        const tender = await publishTender(
          { actor, tenderId, ip },
          { db, master: await loadBidMasterKey(env) },
        );
        return redirect(
          `/tenders/manage/${tenderId}?notice=${tender.status === "published" ? "tenderPublished" : "saved"}`,
        );
      }
    }
    return redirect(`/tenders/manage/${tenderId}?notice=saved#${input.intent}`);
  } catch (e) {
    if (!isAppError(e)) throw e;
    if (e.code === "NOT_FOUND" || e.code === "FORBIDDEN" || e.code === "UNAUTHENTICATED") throwAsResponse(e);
    return data({ errors: formErrorsOf(e, t), intent: input.intent, values: form }, { status: e.status });
  }
}

export default function ManageTender({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useTranslation();
  const d = loaderData;
  const draft = d.status === "draft";
  const errors: Record<string, string | undefined> = actionData?.errors ?? {};
  const errorsFor = (intent: string) => (actionData?.intent === intent ? errors : {});
  const v = actionData?.intent === "basics" ? actionData.values : null;
  /** A date and time typed in the tender's own time zone, prefilled with the current one. */
  const deadlineField = (field: "enquiryDeadline" | "submissionDeadline" | "openingAt", error?: string) => (
    <TextField
      key={field}
      name={field}
      type="datetime-local"
      label={t(`tenders.${field}`)}
      hint={t("tenders.deadlineHint", { zone: d.tender.timeZone })}
      defaultValue={d.basics[field]}
      dir="ltr"
      error={error}
    />
  );
  const remove = (intent: string, name: string, value: string) => (
    <Form method="post">
      <input type="hidden" name="intent" value={intent} />
      <input type="hidden" name={name} value={value} />
      <Button variant="secondary">{t("tenders.remove")}</Button>
    </Form>
  );
  return (
    <>
      <title>{d.title}</title>
      <p>
        <Link to="/tenders/manage">{t("tenders.manageTitle")}</Link>
        {" · "}
        <Link to={`/tenders/manage/${d.tender.id}/documents`}>{t("tenderDocuments.link")}</Link>
        {d.status !== "draft" && d.status !== "awaiting_approval" ? (
          <>
            {" · "}
            <Link to={`/tenders/${d.tender.id}`}>{t("tenders.publicPage")}</Link>
            {" · "}
            <Link to={`/tenders/manage/${d.tender.id}/opening`}>{t("opening.link")}</Link>
            {d.status === "opened" ? (
              <>
                {" · "}
                <Link to={`/tenders/manage/${d.tender.id}/evaluation`}>{t("evaluation.link")}</Link>
                {" · "}
                <Link to={`/tenders/manage/${d.tender.id}/contract`}>{t("contracts.title")}</Link>
              </>
            ) : null}
          </>
        ) : null}
      </p>
      <h1>{d.tender.title}</h1>
      {d.status === "cancelled" ? (
        <div className="notice notice--warning">
          {t("complaints.cancel.cancelledBanner", { reason: d.cancelReason })}
        </div>
      ) : null}
      <ErrorSummary errors={errors} />
      {d.permitFlags.length > 0 ? (
        <div className="notice notice--warning" role="status">
          <p>{t("tenders.permitFlagsTitle")}</p>
          <ul>
            {d.permitFlags.map((f) => (
              <li key={`${f.bidId}-${f.number}-${f.status}`}>
                {t("tenders.permitFlag", {
                  business: f.business,
                  number: f.number,
                  status: t(`permits.permitStatus.${f.status}`),
                })}{" "}
                <span dir="auto">{f.reason}</span>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <TenderFacts tender={d.tender} />

      {draft || d.status === "awaiting_approval" ? (
        <section className="panel" aria-labelledby="publish">
          <h2 id="publish">{t("tenders.publish")}</h2>
          {d.status === "awaiting_approval" ? (
            <p>{d.isAuthor ? t("tenders.youDrafted") : t("tenders.awaitingYourApproval")}</p>
          ) : null}
          {d.status === "awaiting_approval" && d.isAuthor ? null : (
            <Form method="post">
              <input type="hidden" name="intent" value="publish" />
              <Button>
                {d.status === "awaiting_approval"
                  ? t("tenders.approveAndPublish")
                  : d.basics.requiresApproval
                    ? t("tenders.sendForApproval")
                    : t("tenders.publish")}
              </Button>
            </Form>
          )}
        </section>
      ) : null}

      <h2 id="addLot">{t("tenders.lots")}</h2>
      <LotsList
        lots={d.lots}
        itemAction={draft ? (itemId) => remove("removeItem", "itemId", itemId) : undefined}
      />
      {draft ? (
        <>
          {d.lots.map((lot) => (
            <details key={lot.id} className="panel">
              <summary>
                {t("tenders.addItem")} – {t("tenders.lot", { number: lot.number })}
              </summary>
              <Form method="post" className="narrow" noValidate>
                <input type="hidden" name="intent" value="addItem" />
                <input type="hidden" name="lotId" value={lot.id} />
                <TextField
                  name="itemDescriptionAr"
                  label={t("tenders.itemDescriptionAr")}
                  dir="rtl"
                  error={errorsFor("addItem").itemDescriptionAr}
                />
                <TextField
                  name="itemDescriptionEn"
                  label={t("tenders.itemDescriptionEn")}
                  dir="ltr"
                  error={errorsFor("addItem").itemDescriptionEn}
                />
                <TextField
                  name="quantity"
                  label={t("tenders.quantity")}
                  inputMode="decimal"
                  dir="ltr"
                  error={errorsFor("addItem").quantity}
                />
                <SelectField
                  name="unit"
                  label={t("tenders.unit")}
                  options={d.units}
                  error={errorsFor("addItem").unit}
                />
                <Button>{t("tenders.addItem")}</Button>
              </Form>
              {remove("removeLot", "lotId", lot.id)}
            </details>
          ))}
          <Form method="post" className="narrow" noValidate>
            <input type="hidden" name="intent" value="addLot" />
            <TextField
              name="lotTitleAr"
              label={t("tenders.lotTitleAr")}
              dir="rtl"
              error={errorsFor("addLot").lotTitleAr}
            />
            <TextField
              name="lotTitleEn"
              label={t("tenders.lotTitleEn")}
              dir="ltr"
              error={errorsFor("addLot").lotTitleEn}
            />
            <Button variant="secondary">{t("tenders.addLot")}</Button>
          </Form>
        </>
      ) : null}

      <h2 id="addCriterion">{t("tenders.criteria")}</h2>
      <p>{t("tenders.criteriaLead")}</p>
      <CriteriaList
        criteria={d.tender.criteria}
        action={draft ? (key) => remove("removeCriterion", "key", key) : undefined}
      />
      <p>{t("tenders.weightsTotal", { total: d.weightsTotal })}</p>
      {draft ? (
        <Form method="post" className="narrow" noValidate>
          <input type="hidden" name="intent" value="addCriterion" />
          <TextField
            name="criterionNameAr"
            label={t("tenders.criterionNameAr")}
            dir="rtl"
            error={errorsFor("addCriterion").criterionNameAr}
          />
          <TextField
            name="criterionNameEn"
            label={t("tenders.criterionNameEn")}
            dir="ltr"
            error={errorsFor("addCriterion").criterionNameEn}
          />
          <SelectField
            name="kind"
            label={t("tenders.kind")}
            options={CRITERION_KINDS.map((k) => ({ value: k, label: t(`tenders.kinds.${k}`) }))}
            error={errorsFor("addCriterion").kind}
          />
          <TextField
            name="weight"
            label={t("tenders.weight")}
            inputMode="numeric"
            dir="ltr"
            error={errorsFor("addCriterion").weight}
          />
          <Button variant="secondary">{t("tenders.addCriterion")}</Button>
        </Form>
      ) : null}

      {d.amendments.length > 0 ? (
        <>
          <h2>{t("amendments.title")}</h2>
          <AmendmentsList amendments={d.amendments} />
        </>
      ) : null}

      {d.incident ? (
        <section className="notice notice--warning" aria-labelledby="incident">
          <h2 id="incident">{t("amendments.incidentTitle")}</h2>
          <p>{t("amendments.incidentLead", { minutes: d.incident.minutes })}</p>
          <ul>
            {d.incident.outages.map((o) => (
              <li key={o} dir="ltr">
                {o}
              </li>
            ))}
          </ul>
          <Form method="post" noValidate>
            <input type="hidden" name="intent" value="extend" />
            <input type="hidden" name="reason" value={d.incident.reason} />
            <input type="hidden" name="submissionDeadline" value={d.incident.proposedDeadline} />
            <input type="hidden" name="openingAt" value={d.incident.proposedOpening} />
            <p>
              {t("amendments.incidentProposal", { deadline: d.incident.proposedDeadline.replace("T", " ") })}
            </p>
            <Button>{t("amendments.publishExtension")}</Button>
          </Form>
        </section>
      ) : null}

      {d.tender.phase === "open" || d.tender.phase === "closing_soon" ? (
        <>
          <h2 id="amend">{t("amendments.amend")}</h2>
          <p>{t("amendments.amendLead")}</p>
          <Form method="post" className="narrow" noValidate>
            <input type="hidden" name="intent" value="amend" />
            <TextAreaField
              name="reason"
              label={t("amendments.reason")}
              rows={3}
              dir="auto"
              error={errorsFor("amend").reason}
            />
            <TextField
              name="titleAr"
              label={t("tenders.titleAr")}
              defaultValue={d.basics.titleAr}
              dir="rtl"
              error={errorsFor("amend").titleAr}
            />
            <TextField
              name="titleEn"
              label={t("tenders.titleEn")}
              defaultValue={d.basics.titleEn}
              dir="ltr"
              error={errorsFor("amend").titleEn}
            />
            <TextAreaField
              name="descriptionAr"
              label={t("tenders.descriptionAr")}
              defaultValue={d.basics.descriptionAr}
              dir="rtl"
            />
            <TextAreaField
              name="descriptionEn"
              label={t("tenders.descriptionEn")}
              defaultValue={d.basics.descriptionEn}
              dir="ltr"
            />
            {(["enquiryDeadline", "submissionDeadline", "openingAt"] as const).map((field) =>
              deadlineField(field, errorsFor("amend")[field]),
            )}
            <Button>{t("amendments.publishAmendment")}</Button>
          </Form>
          <h2 id="extend">{t("amendments.extend")}</h2>
          <p>{t("amendments.extendLead")}</p>
          <Form method="post" className="narrow" noValidate>
            <input type="hidden" name="intent" value="extend" />
            <TextAreaField
              name="reason"
              label={t("amendments.reason")}
              rows={3}
              dir="auto"
              error={errorsFor("extend").reason}
            />
            {(["submissionDeadline", "openingAt"] as const).map((field) =>
              deadlineField(field, errorsFor("extend")[field]),
            )}
            <Button variant="secondary">{t("amendments.publishExtension")}</Button>
          </Form>
        </>
      ) : null}

      {draft ? (
        <>
          <h2 id="basics">{t("tenders.basics")}</h2>
          <Form method="get" className="inline-form" role="search" action="#basics">
            <TextField
              name="cpv"
              type="search"
              label={t("tenders.findCpv")}
              defaultValue={d.cpvQuery}
              dir="auto"
            />
            <Button variant="secondary">{t("tenders.search")}</Button>
          </Form>
          {d.cpvHits.length > 0 ? (
            <ul className="cpv-hits">
              {d.cpvHits.map((hit) => (
                <li key={hit.code}>
                  <code dir="ltr">{hit.code}</code> <span lang={hit.lang}>{hit.label}</span>
                </li>
              ))}
            </ul>
          ) : null}
          <Form method="post" className="narrow" noValidate>
            <input type="hidden" name="intent" value="basics" />
            <TenderBasicsFields
              permitTypes={d.permitTypes}
              currency={d.tender.currency}
              timeZone={d.tender.timeZone}
              errors={errorsFor("basics")}
              values={
                v
                  ? {
                      ...d.basics,
                      ...v,
                      requireVerified: Boolean(v.requireVerified),
                      requiresApproval: Boolean(v.requiresApproval),
                    }
                  : d.basics
              }
            />
            <Button>{t("tenders.saveDraft")}</Button>
          </Form>
        </>
      ) : null}
      {d.status === "published" || d.status === "opened" ? (
        <section className="panel" aria-labelledby="cancel">
          <h2 id="cancel">{t("complaints.cancel.tenderTitle")}</h2>
          <p>
            {t("complaints.cancel.lead")}{" "}
            <Link to={`/tenders/manage/${d.tender.id}/cancel`}>{t("complaints.cancel.link")}</Link>
          </p>
          <CancelForm tenderId={d.tender.id} />
        </section>
      ) : null}
    </>
  );
}
