import { data, Form, Link, redirect } from "react-router";
import { z } from "zod";
import {
  AmendmentsList,
  ContractBooks,
  ContractFacts,
  InvoicesTable,
  MilestonesTable,
} from "#app/components/contract.tsx";
import { DoneNotice } from "#app/components/evaluation.tsx";
import { Button, ErrorSummary, FileField, SelectField, TextField } from "#app/components/ui.tsx";
import { requireUser } from "#app/modules/accounts/context.server.ts";
import { acceptContract } from "#app/modules/contracts/accept-contract.server.ts";
import { contractView } from "#app/modules/contracts/contract-view.ts";
import { supplierContract } from "#app/modules/contracts/contract-views.server.ts";
import { submitInvoice } from "#app/modules/contracts/submit-invoice.server.ts";
import { DOCUMENT_TYPES } from "#app/modules/files/media-types.ts";
import { i18nContext } from "#app/modules/i18n/context.server.ts";
import { useTranslation } from "#app/modules/i18n/use-translation.ts";
import { servicesContext } from "#app/server/context.ts";
import contractsCss from "#app/styles/contracts.css?url";
import { isAppError } from "#app/utils/errors.ts";
import { formErrorsOf } from "#app/utils/forms.server.ts";
import { clientIp } from "#app/utils/http.server.ts";
import { throwAsResponse } from "#app/utils/responses.server.ts";
import { discardUploads, type MultipartForm, readMultipartForm } from "#app/utils/uploads.server.ts";
import type { Route } from "./+types/contracts.$contractId";

/**
 * A contract as its supplier sees it: the terms to accept, then — once the
 * agency has signed — the milestones, the invoices sent and their state, and
 * the form to invoice a milestone (with its document, optionally).
 */

export const links: Route.LinksFunction = () => [{ rel: "stylesheet", href: contractsCss }];

const ContractId = z.uuid();
const InvoiceForm = z.object({
  milestoneId: z.uuid(),
  number: z.string().max(200).optional().default(""),
  amount: z.string().max(100).optional().default(""),
});

export async function loader({ request, params, context }: Route.LoaderArgs) {
  const { t, lang } = context.get(i18nContext);
  const { actor } = requireUser(request, context);
  const id = ContractId.safeParse(params.contractId);
  if (!id.success) throw new Response("Not found", { status: 404 });
  const full = await supplierContract(actor, id.data, context.get(servicesContext).database.db).catch(
    throwAsResponse,
  );
  const c = contractView(full, lang);
  return {
    title: `${t("contracts.reference")} ${c.reference} – ${t("meta.siteName")}`,
    c,
    can: full.capabilities,
  };
}

export async function action({ request, params, context }: Route.ActionArgs) {
  const { t } = context.get(i18nContext);
  const { actor } = requireUser(request, context);
  const id = ContractId.safeParse(params.contractId);
  if (!id.success) throw new Response("Not found", { status: 404 });
  const { database, env, files } = context.get(servicesContext);
  const db = database.db;
  const ip = clientIp(request);
  // Sending an invoice is a multipart form (its document); accepting is a small one.
  if (!(request.headers.get("content-type") ?? "").startsWith("multipart/form-data")) {
    const form = await request.formData();
    if (form.get("intent") !== "accept")
      return data({ errors: { form: t("errors.VALIDATION") } }, { status: 400 });
    try {
      await acceptContract({ actor, contractId: id.data, ip }, db);
      return redirect(`/contracts/${id.data}?done=accepted`);
    } catch (e) {
      if (!isAppError(e)) throw e;
      if (e.code === "NOT_FOUND" || e.code === "UNAUTHENTICATED") throwAsResponse(e);
      return data({ errors: formErrorsOf(e, t) }, { status: e.status });
    }
  }
  let form: MultipartForm;
  try {
    form = await readMultipartForm(
      request,
      { maxBytes: env.UPLOAD_MAX_BYTES, accept: DOCUMENT_TYPES, maxFiles: 1 },
      { db, files },
    );
  } catch (e) {
    if (!isAppError(e)) throw e;
    return data({ errors: formErrorsOf(e, t, "document") }, { status: e.status });
  }
  const parsed = InvoiceForm.safeParse(Object.fromEntries(form.fields));
  try {
    if (!parsed.success) throw parsed.error;
    await submitInvoice(
      {
        actor,
        contractId: id.data,
        ...parsed.data,
        documentFileId: form.files.get("document")?.[0]?.id ?? null,
        ip,
      },
      db,
    );
    return redirect(`/contracts/${id.data}?done=invoiceSubmitted`);
  } catch (e) {
    await discardUploads(form, { db, files });
    if (!isAppError(e)) {
      if (e instanceof z.ZodError) return data({ errors: { form: t("errors.VALIDATION") } }, { status: 400 });
      throw e;
    }
    if (e.code === "UNAUTHENTICATED") throwAsResponse(e);
    return data({ errors: formErrorsOf(e, t) }, { status: e.status });
  }
}

export default function SupplierContract({ loaderData: d, actionData }: Route.ComponentProps) {
  const { t } = useTranslation();
  const { c } = d;
  const errors: Record<string, string | undefined> = actionData?.errors ?? {};
  const invoiceable = c.milestones.filter((m) => m.hasLeft);
  return (
    <>
      <title>{d.title}</title>
      <p>
        <Link to="/contracts">{t("contracts.title")}</Link>
        {" · "}
        <Link to={`/tenders/${c.tenderId}`}>{c.tender}</Link>
      </p>
      <h1>
        {t("contracts.reference")} <span dir="ltr">{c.reference}</span>
      </h1>
      <DoneNotice
        messages={{
          accepted: t("contracts.notices.accepted"),
          invoiceSubmitted: t("contracts.notices.invoiceSubmitted"),
        }}
      />
      <ErrorSummary errors={errors} />
      <ContractFacts c={c} party="supplier" />
      {c.status === "awaiting_acceptance" && d.can.accept ? (
        <Form method="post" className="panel">
          <h2>{t("contracts.accept.title")}</h2>
          <p>{t("contracts.accept.lead", { supplier: c.supplier, version: c.version })}</p>
          <input type="hidden" name="intent" value="accept" />
          <Button>{t("contracts.accept.submit")}</Button>
        </Form>
      ) : null}
      {c.status === "accepted" ? <p className="notice">{t("contracts.accept.waitAgency")}</p> : null}
      <h2>{t("contracts.milestonesTitle")}</h2>
      <MilestonesTable c={c} />
      {c.status === "signed" ? (
        <>
          <h2>{t("contracts.books.title")}</h2>
          <ContractBooks c={c} />
          <h2>{t("contracts.invoicesTitle")}</h2>
          <InvoicesTable c={c} documentHref={(invoiceId) => `/contracts/invoices/${invoiceId}/document`} />
          {d.can.invoice && invoiceable.length > 0 ? (
            <Form
              method="post"
              encType="multipart/form-data"
              className="panel narrow-wide invoice-form"
              noValidate
            >
              <h3>{t("contracts.invoice.title")}</h3>
              <p>{t("contracts.invoice.lead")}</p>
              <SelectField
                name="milestoneId"
                label={t("contracts.milestone")}
                options={invoiceable.map((m) => ({
                  value: m.id,
                  label: t("contracts.invoice.left", { title: `${m.position}. ${m.title}`, left: m.left }),
                }))}
                error={errors.milestoneId}
              />
              <TextField name="number" label={t("contracts.invoiceNumber")} dir="ltr" error={errors.number} />
              <TextField
                name="amount"
                label={`${t("contracts.amount")} (${c.currency})`}
                inputMode="decimal"
                dir="ltr"
                error={errors.amount}
              />
              <FileField
                name="document"
                label={t("contracts.invoice.document")}
                hint={t("contracts.invoice.documentHint")}
                error={errors.document}
              />
              <Button>{t("contracts.invoice.submit")}</Button>
            </Form>
          ) : null}
        </>
      ) : null}
      <h2>{t("contracts.amendmentsTitle")}</h2>
      <AmendmentsList c={c} />
    </>
  );
}
