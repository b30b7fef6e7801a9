import { data, Form, Link, redirect, useActionData } from "react-router";
import { z } from "zod";
import {
  AmendmentsList,
  ContractBooks,
  ContractFacts,
  InvoicesTable,
  MilestoneRowsFields,
  type MilestoneRowValues,
  MilestonesTable,
} from "#app/components/contract.tsx";
import { DoneNotice } from "#app/components/evaluation.tsx";
import { Button, ErrorSummary, StatusTag, TextAreaField, TextField } from "#app/components/ui.tsx";
import { requireUser } from "#app/modules/accounts/context.server.ts";
import { amendContract } from "#app/modules/contracts/amend-contract.server.ts";
import { contractView, milestonesFromForm } from "#app/modules/contracts/contract-view.ts";
import { tenderContracts } from "#app/modules/contracts/contract-views.server.ts";
import { createContract } from "#app/modules/contracts/create-contract.server.ts";
import { approveInvoice, rejectInvoice } from "#app/modules/contracts/decide-invoice.server.ts";
import { deliverMilestone } from "#app/modules/contracts/deliver-milestone.server.ts";
import { payInvoice } from "#app/modules/contracts/pay-invoice.server.ts";
import { signContract } from "#app/modules/contracts/sign-contract.server.ts";
import { i18nContext } from "#app/modules/i18n/context.server.ts";
import { useTranslation } from "#app/modules/i18n/use-translation.ts";
import { moneyText } from "#app/modules/payments/money-view.ts";
import { servicesContext } from "#app/server/context.ts";
import contractsCss from "#app/styles/contracts.css?url";
import { isAppError } from "#app/utils/errors.ts";
import { formErrorsOf } from "#app/utils/forms.server.ts";
import { clientIp } from "#app/utils/http.server.ts";
import { throwAsResponse } from "#app/utils/responses.server.ts";
import { formatInZone } from "#app/utils/time-zones.ts";
import type { Route } from "./+types/tenders.manage.$tenderId.contract";

/**
 * The agency's contract page of a tender: for each awarded lot, the contract
 * made after the standstill, its signature, milestones and deliveries,
 * invoices to approve and pay, and amendments. Who sees which form follows
 * the permissions (contract:manage, contract:sign, contract:pay); the use
 * cases check them again.
 */

export const links: Route.LinksFunction = () => [{ rel: "stylesheet", href: contractsCss }];

const TenderId = z.uuid();
const text = z.string().max(4000).optional().default("");
const Intent = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("create"), awardId: z.uuid(), startsOn: text, endsOn: text }),
  z.object({ intent: z.literal("sign"), contractId: z.uuid() }),
  z.object({ intent: z.literal("deliver"), contractId: z.uuid(), milestoneId: z.uuid(), note: text }),
  z.object({ intent: z.literal("approve"), invoiceId: z.uuid() }),
  z.object({ intent: z.literal("reject"), invoiceId: z.uuid(), reason: text }),
  z.object({ intent: z.literal("pay"), invoiceId: z.uuid(), paymentReference: text }),
  z.object({
    intent: z.literal("amend"),
    contractId: z.uuid(),
    reason: text,
    value: text,
    startsOn: text,
    endsOn: text,
  }),
]);

const ltr = (s: string) => (s ? `\u2066${s}\u2069` : s);

export async function loader({ request, params, context }: Route.LoaderArgs) {
  const { t, lang } = context.get(i18nContext);
  const { actor } = requireUser(request, context);
  const id = TenderId.safeParse(params.tenderId);
  if (!id.success) throw new Response("Not found", { status: 404 });
  const w = await tenderContracts(actor, id.data, context.get(servicesContext).database.db).catch(
    throwAsResponse,
  );
  const zone = w.tender.timeZone;
  return {
    title: `${t("contracts.manageTitle")} – ${w.tender.reference} – ${t("meta.siteName")}`,
    tender: {
      id: w.tender.id,
      reference: w.tender.reference,
      title: lang === "ar" ? w.tender.titleAr : w.tender.titleEn,
    },
    can: w.capabilities,
    awards: w.awards.map((a) => ({
      id: a.award.id,
      lot: `${t("evaluation.lot", { number: a.lot.number })} – ${lang === "ar" ? a.lot.titleAr : a.lot.titleEn}`,
      supplier: lang === "ar" ? a.bidder.nameAr : a.bidder.nameEn,
      price: ltr(moneyText(a.award.price, a.award.currency, lang)),
      status: a.award.status,
      final: a.final,
      standstillEnds: a.award.standstillEndsAt ? ltr(formatInZone(a.award.standstillEndsAt, zone)) : "",
      contract: a.contract ? contractView(a.contract, lang) : null,
    })),
  };
}

export async function action({ request, params, context }: Route.ActionArgs) {
  const { t } = context.get(i18nContext);
  const { actor } = requireUser(request, context);
  const id = TenderId.safeParse(params.tenderId);
  if (!id.success) throw new Response("Not found", { status: 404 });
  const db = context.get(servicesContext).database.db;
  const form = await request.formData();
  const parsed = Intent.safeParse(Object.fromEntries(form));
  if (!parsed.success)
    return data({ errors: { form: t("errors.VALIDATION") }, key: "", values: null }, { status: 400 });
  const input = parsed.data;
  const ip = clientIp(request);
  const milestones = milestonesFromForm(form);
  const key =
    input.intent === "create"
      ? `create:${input.awardId}`
      : input.intent === "amend"
        ? `amend:${input.contractId}`
        : input.intent === "deliver"
          ? `deliver:${input.milestoneId}`
          : "invoiceId" in input
            ? `${input.intent}:${input.invoiceId}`
            : input.intent;
  try {
    let done: string = input.intent;
    switch (input.intent) {
      case "create":
        await createContract(
          { actor, awardId: input.awardId, startsOn: input.startsOn, endsOn: input.endsOn, milestones, ip },
          db,
        );
        done = "created";
        break;
      case "sign":
        await signContract({ actor, contractId: input.contractId, ip }, db);
        done = "signed";
        break;
      case "deliver":
        await deliverMilestone(
          { actor, contractId: input.contractId, milestoneId: input.milestoneId, note: input.note, ip },
          db,
        );
        done = "delivered";
        break;
      case "approve":
        await approveInvoice({ actor, invoiceId: input.invoiceId, ip }, db);
        done = "approved";
        break;
      case "reject":
        await rejectInvoice({ actor, invoiceId: input.invoiceId, reason: input.reason, ip }, db);
        done = "rejected";
        break;
      case "pay":
        await payInvoice(
          { actor, invoiceId: input.invoiceId, paymentReference: input.paymentReference, ip },
          db,
        );
        done = "paid";
        break;
      case "amend":
        await amendContract(
          {
            actor,
            contractId: input.contractId,
            reason: input.reason,
            value: input.value,
            startsOn: input.startsOn,
            endsOn: input.endsOn,
            milestones,
            ip,
          },
          db,
        );
        done = "amended";
        break;
    }
    return redirect(`/tenders/manage/${id.data}/contract?done=${done}`);
  } catch (e) {
    if (!isAppError(e)) throw e;
    if (e.code === "NOT_FOUND" || e.code === "UNAUTHENTICATED") throwAsResponse(e);
    const values =
      input.intent === "create" || input.intent === "amend"
        ? {
            startsOn: input.startsOn,
            endsOn: input.endsOn,
            value: input.intent === "amend" ? input.value : "",
            reason: input.intent === "amend" ? input.reason : "",
            milestones,
          }
        : null;
    return data({ errors: formErrorsOf(e, t), key, values }, { status: e.status });
  }
}

type Award = Route.ComponentProps["loaderData"]["awards"][number];
type Contract = NonNullable<Award["contract"]>;
type Can = Route.ComponentProps["loaderData"]["can"];

export default function ContractsOfTender({ loaderData: d, actionData }: Route.ComponentProps) {
  const { t } = useTranslation();
  const errors: Record<string, string | undefined> = actionData?.errors ?? {};
  return (
    <>
      <title>{d.title}</title>
      <p>
        <Link to={`/tenders/manage/${d.tender.id}`}>
          {d.tender.reference} – {d.tender.title}
        </Link>
        {" · "}
        <Link to="/contracts">{t("contracts.title")}</Link>
      </p>
      <h1>{t("contracts.manageTitle")}</h1>
      <p className="lead">{t("contracts.manageLead")}</p>
      <DoneNotice
        messages={{
          created: t("contracts.notices.created"),
          signed: t("contracts.notices.signed"),
          delivered: t("contracts.notices.delivered"),
          approved: t("contracts.notices.approved"),
          rejected: t("contracts.notices.rejected"),
          paid: t("contracts.notices.paid"),
          amended: t("contracts.notices.amended"),
        }}
      />
      <ErrorSummary errors={errors} />
      {d.awards.length === 0 ? <p>{t("contracts.noAwards")}</p> : null}
      {d.awards.map((a) => (
        <section key={a.id} className="contract-section" aria-labelledby={`lot-${a.id}`}>
          <h2 id={`lot-${a.id}`}>{a.lot}</h2>
          {a.contract ? (
            <ContractPanels c={a.contract} can={d.can} tenderId={d.tender.id} />
          ) : (
            <AwardWithoutContract a={a} canManage={d.can.manage} />
          )}
        </section>
      ))}
    </>
  );
}

/** Errors and typed values of the form the last failed post came from, if it is `key`. */
function useFormState(key: string) {
  const actionData = useActionData<typeof action>();
  const mine = actionData?.key === key;
  return {
    errors: (mine ? actionData?.errors : {}) as Record<string, string | undefined>,
    values: mine ? actionData?.values : null,
  };
}

function AwardWithoutContract({ a, canManage }: { a: Award; canManage: boolean }) {
  const { t } = useTranslation();
  const { errors, values } = useFormState(`create:${a.id}`);
  return (
    <>
      <dl className="facts">
        <dt>{t("contracts.supplier")}</dt>
        <dd>{a.supplier}</dd>
        <dt>{t("contracts.awardedPrice")}</dt>
        <dd>
          <strong>{a.price}</strong>
        </dd>
        <dt>{t("award.statusLabel")}</dt>
        <dd>
          <StatusTag tone={a.status === "suspended" ? "danger" : "success"}>
            {t(`award.status.${a.status}`)}
          </StatusTag>
        </dd>
      </dl>
      {a.status === "suspended" ? (
        <div className="notice notice--danger">{t("contracts.awardState.suspended")}</div>
      ) : !a.final ? (
        <div className="notice notice--warning">
          {t("contracts.awardState.standstill", { until: a.standstillEnds })}
        </div>
      ) : (
        <>
          <p>{t("contracts.awardState.ready")}</p>
          {canManage ? (
            <Form method="post" className="panel contract-terms" noValidate>
              <h3>{t("contracts.create.title")}</h3>
              <p>{t("contracts.create.lead", { value: a.price })}</p>
              <input type="hidden" name="intent" value="create" />
              <input type="hidden" name="awardId" value={a.id} />
              <div className="pair">
                <TextField
                  name="startsOn"
                  type="date"
                  label={t("contracts.startsOn")}
                  defaultValue={values?.startsOn}
                  error={errors.startsOn}
                />
                <TextField
                  name="endsOn"
                  type="date"
                  label={t("contracts.endsOn")}
                  defaultValue={values?.endsOn}
                  error={errors.endsOn}
                />
              </div>
              {errors.milestones ? <p className="field__error">{errors.milestones}</p> : null}
              <MilestoneRowsFields rows={values?.milestones ?? []} blanks={values ? 1 : 4} errors={errors} />
              <Button>{t("contracts.create.submit")}</Button>
            </Form>
          ) : null}
        </>
      )}
    </>
  );
}

function ContractPanels({ c, can, tenderId }: { c: Contract; can: Can; tenderId: string }) {
  const { t } = useTranslation();
  const signed = c.status === "signed";
  return (
    <>
      <ContractFacts c={c} party="agency" />
      {can.sign && c.status !== "signed" ? (
        c.status === "awaiting_acceptance" ? (
          <p className="notice notice--warning">{t("contracts.sign.waitSupplier")}</p>
        ) : c.createdById === can.userId ? (
          <p className="notice notice--warning">{t("contracts.sign.own")}</p>
        ) : (
          <Form method="post" className="panel">
            <h3>{t("contracts.sign.title")}</h3>
            <p>{t("contracts.sign.lead")}</p>
            <input type="hidden" name="intent" value="sign" />
            <input type="hidden" name="contractId" value={c.id} />
            <Button>{t("contracts.sign.submit")}</Button>
          </Form>
        )
      ) : null}
      <h3>{t("contracts.books.title")}</h3>
      <ContractBooks c={c} />
      <h3>{t("contracts.milestonesTitle")}</h3>
      <MilestonesTable
        c={c}
        deliver={
          can.manage && signed ? (m) => <DeliverForm contractId={c.id} milestoneId={m.id} /> : undefined
        }
      />
      <h3>{t("contracts.invoicesTitle")}</h3>
      <InvoicesTable
        c={c}
        documentHref={(invoiceId) => `/contracts/invoices/${invoiceId}/document`}
        actions={(i) =>
          i.status === "submitted" && can.manage ? (
            <InvoiceDecision invoiceId={i.id} />
          ) : i.status === "approved" && can.pay ? (
            i.decidedById === can.userId ? (
              <p>{t("contracts.ownApproval")}</p>
            ) : (
              <PayForm invoiceId={i.id} />
            )
          ) : null
        }
      />
      <h3>{t("contracts.amendmentsTitle")}</h3>
      <AmendmentsList c={c} />
      {can.manage ? <AmendForm c={c} /> : null}
      <p>
        <Link to={`/tenders/${tenderId}#contracts`}>{t("tenders.publicPage")}</Link>
      </p>
    </>
  );
}

function DeliverForm({ contractId, milestoneId }: { contractId: string; milestoneId: string }) {
  const { t } = useTranslation();
  const { errors } = useFormState(`deliver:${milestoneId}`);
  return (
    <Form method="post" className="row-form" noValidate>
      <input type="hidden" name="intent" value="deliver" />
      <input type="hidden" name="contractId" value={contractId} />
      <input type="hidden" name="milestoneId" value={milestoneId} />
      <TextAreaField
        name="note"
        label={t("contracts.deliveryNote")}
        rows={2}
        dir="auto"
        error={errors.note}
      />
      <Button variant="secondary">{t("contracts.markDelivered")}</Button>
    </Form>
  );
}

function InvoiceDecision({ invoiceId }: { invoiceId: string }) {
  const { t } = useTranslation();
  const { errors } = useFormState(`reject:${invoiceId}`);
  return (
    <div className="row-form">
      <Form method="post">
        <input type="hidden" name="intent" value="approve" />
        <input type="hidden" name="invoiceId" value={invoiceId} />
        <Button>{t("contracts.approve")}</Button>
      </Form>
      <Form method="post" className="row-form" noValidate>
        <input type="hidden" name="intent" value="reject" />
        <input type="hidden" name="invoiceId" value={invoiceId} />
        <TextField name="reason" label={t("contracts.rejectReason")} dir="auto" error={errors.reason} />
        <Button variant="warning">{t("contracts.reject")}</Button>
      </Form>
    </div>
  );
}

function PayForm({ invoiceId }: { invoiceId: string }) {
  const { t } = useTranslation();
  const { errors } = useFormState(`pay:${invoiceId}`);
  return (
    <Form method="post" className="row-form" noValidate>
      <input type="hidden" name="intent" value="pay" />
      <input type="hidden" name="invoiceId" value={invoiceId} />
      <TextField
        name="paymentReference"
        label={t("contracts.paymentReference")}
        dir="ltr"
        error={errors.paymentReference}
      />
      <Button>{t("contracts.pay")}</Button>
    </Form>
  );
}

function AmendForm({ c }: { c: Contract }) {
  const { t } = useTranslation();
  const { errors, values } = useFormState(`amend:${c.id}`);
  const rows: MilestoneRowValues[] =
    values?.milestones ??
    c.milestones.map((m) => ({
      id: m.id,
      titleAr: m.titleAr,
      titleEn: m.titleEn,
      dueOn: m.dueOn,
      amount: m.amountDecimal,
    }));
  return (
    <details className="panel contract-terms" open={Boolean(values)}>
      <summary>{t("contracts.amend.title")}</summary>
      <Form method="post" noValidate>
        <p>{t("contracts.amend.lead")}</p>
        <input type="hidden" name="intent" value="amend" />
        <input type="hidden" name="contractId" value={c.id} />
        <TextAreaField
          name="reason"
          label={t("contracts.amend.reason")}
          rows={3}
          dir="auto"
          defaultValue={values?.reason}
          error={errors.reason}
        />
        <div className="pair">
          <TextField
            name="value"
            label={t("contracts.amend.newValue")}
            hint={c.value}
            inputMode="decimal"
            dir="ltr"
            defaultValue={values?.value}
            error={errors.value}
          />
          <TextField
            name="startsOn"
            type="date"
            label={t("contracts.startsOn")}
            defaultValue={values?.startsOn ?? c.startsOn}
            error={errors.startsOn}
          />
          <TextField
            name="endsOn"
            type="date"
            label={t("contracts.endsOn")}
            defaultValue={values?.endsOn ?? c.endsOn}
            error={errors.endsOn}
          />
        </div>
        {errors.milestones ? <p className="field__error">{errors.milestones}</p> : null}
        <MilestoneRowsFields rows={rows} blanks={2} errors={errors} />
        <Button>{t("contracts.amend.submit")}</Button>
      </Form>
    </details>
  );
}
