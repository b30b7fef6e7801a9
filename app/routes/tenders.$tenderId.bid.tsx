import { data, Form, Link, redirect } from "react-router";
import { z } from "zod";
import {
  Button,
  DataTable,
  ErrorSummary,
  FileField,
  StatusTag,
  TextAreaField,
  TextField,
} from "#app/components/ui.tsx";
import { requireUser } from "#app/modules/accounts/context.server.ts";
import { biddableTender, myBid, requestTenderFee } from "#app/modules/bids/my-bid.server.ts";
import { checkBidDocuments } from "#app/modules/bids/seal-bid-documents.server.ts";
import { sealingKeys } from "#app/modules/bids/sealing-keys.server.ts";
import {
  bidContentFrom,
  loadBidDraft,
  reconfirmBid,
  saveBidDraft,
  submitBid,
  withdrawBid,
} from "#app/modules/bids/submit-bid.server.ts";
import { i18nContext } from "#app/modules/i18n/context.server.ts";
import { useTranslation } from "#app/modules/i18n/use-translation.ts";
import { toDecimalString } from "#app/modules/ledger/money.ts";
import { moneyText } from "#app/modules/payments/money-view.ts";
import { lotsOf } from "#app/modules/tenders/author-tender.server.ts";
import { tenderSummary } from "#app/modules/tenders/tender-view.ts";
import { servicesContext } from "#app/server/context.ts";
import { isAppError } from "#app/utils/errors.ts";
import { formErrorsOf } from "#app/utils/forms.server.ts";
import { clientIp } from "#app/utils/http.server.ts";
import { throwAsResponse } from "#app/utils/responses.server.ts";
import { readSmallForm } from "#app/utils/uploads.server.ts";
import type { Route } from "./+types/tenders.$tenderId.bid";

const TenderId = z.uuid();

export async function loader({ request, params, context }: Route.LoaderArgs) {
  const { t, lang } = context.get(i18nContext);
  const { actor } = requireUser(request, context);
  const id = TenderId.safeParse(params.tenderId);
  if (!id.success) throw new Response("Not found", { status: 404 });
  const db = context.get(servicesContext).database.db;
  const mine = await myBid(actor, id.data, db).catch(throwAsResponse);
  const summary = tenderSummary(mine.tender, lang, new Date());
  const draft = mine.bid?.draftSealed
    ? await loadBidDraft(actor, mine.tender.id, {
        db,
        keys: await sealingKeys(context.get(servicesContext).env),
      })
    : null;
  const lots = await lotsOf(mine.tender.id, db);
  return {
    title: `${t("bidding.title")} – ${summary.reference} – ${t("meta.siteName")}`,
    tender: summary,
    open: summary.phase === "open" || summary.phase === "closing_soon",
    lots: lots.map((l) => ({ id: l.id, number: l.number, title: lang === "ar" ? l.titleAr : l.titleEn })),
    criteria: summary.criteria.filter((c) => c.kind !== "financial"),
    bidStatus: mine.bid?.status ?? null,
    draft: draft
      ? {
          prices: Object.fromEntries(
            draft.lots.map((l) => [
              l.lotId,
              toDecimalString({ amount: BigInt(l.price), currency: mine.tender.currency }),
            ]),
          ),
          responses: draft.responses,
        }
      : null,
    versions: mine.versions.map((v) => ({
      version: v.version,
      receivedAt: v.receivedAtText,
      digest: v.sealedSha256,
      status: v.status,
      reconfirmRequired: v.reconfirmRequired,
    })),
    fees: mine.fees.map((f) => ({
      feeType: f.feeType,
      amount: moneyText(f.amount, mine.tender.currency, lang),
      paid: f.paid,
      paymentId: f.payment?.id ?? null,
    })),
  };
}

export async function action({ request, params, context }: Route.ActionArgs) {
  const { t } = context.get(i18nContext);
  const { actor } = requireUser(request, context);
  const id = TenderId.safeParse(params.tenderId);
  if (!id.success) throw new Response("Not found", { status: 404 });
  const { database, env } = context.get(servicesContext);
  const db = database.db;
  // Small enough to read whole: the documents are sealed in memory before they are stored.
  let form: FormData;
  try {
    form = await readSmallForm(request, env.UPLOAD_MAX_BYTES);
  } catch (e) {
    if (!isAppError(e)) throw e;
    return data({ errors: formErrorsOf(e, t, "documents") }, { status: e.status });
  }
  const intent = String(form.get("intent") ?? "");
  const ip = clientIp(request);
  try {
    if (intent === "payFee") {
      const feeType = form.get("feeType") === "bid_submission" ? "bid_submission" : "tender_document";
      const payment = await requestTenderFee({ actor, tenderId: id.data, feeType }, db);
      return redirect(`/billing/payments/${payment.id}`);
    }
    if (intent === "reconfirm") {
      await reconfirmBid({ actor, tenderId: id.data, ip }, db);
      return redirect(`/tenders/${id.data}/bid?notice=bidReconfirmed`);
    }
    if (intent === "withdraw") {
      await withdrawBid({ actor, tenderId: id.data, ip }, db);
      return redirect(`/tenders/${id.data}/bid?notice=bidWithdrawn`);
    }
    if (intent !== "submit" && intent !== "saveDraft")
      return data({ errors: { form: t("errors.VALIDATION") } }, { status: 400 });
    // Only the tender is needed here (not the bid's history): the submission is the hot path.
    const tender = await biddableTender(id.data, db);
    const prices: Record<string, string> = {};
    const responses: Record<string, string> = {};
    for (const [key, value] of form) {
      if (typeof value !== "string") continue;
      if (key.startsWith("price-")) prices[key.slice(6)] = value.slice(0, 40);
      if (key.startsWith("response-")) responses[key.slice(9)] = value;
    }
    if (intent === "saveDraft") {
      const draft = await bidContentFrom(tender, { prices, responses }, db, { partial: true });
      await saveBidDraft(
        { actor, tenderId: id.data, content: draft, ip },
        { db, keys: await sealingKeys(env) },
      );
      return redirect(`/tenders/${id.data}/bid?notice=bidDraftSaved`);
    }
    const content = await bidContentFrom(tender, { prices, responses }, db);
    const uploads = [];
    for (const value of form.getAll("documents"))
      if (value instanceof File && value.size > 0)
        uploads.push({ name: value.name, bytes: Buffer.from(await value.arrayBuffer()) });
    const documents = await checkBidDocuments(uploads, env.UPLOAD_MAX_BYTES);
    await submitBid(
      { actor, tenderId: id.data, content, documents, ip, tender },
      { db, keys: await sealingKeys(env), files: context.get(servicesContext).files },
    );
    return redirect(`/tenders/${id.data}/bid?notice=bidSubmitted`);
  } catch (e) {
    if (!isAppError(e)) throw e;
    if (e.code === "NOT_FOUND" || e.code === "UNAUTHENTICATED") throwAsResponse(e);
    return data({ errors: formErrorsOf(e, t) }, { status: e.status });
  }
}

export default function BidPage({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useTranslation();
  const d = loaderData;
  const errors: Record<string, string | undefined> = actionData?.errors ?? {};
  const unpaid = d.fees.some((f) => !f.paid);
  return (
    <>
      <title>{d.title}</title>
      <p>
        <Link to={`/tenders/${d.tender.id}`}>{d.tender.title}</Link>
        {d.bidStatus === "submitted" && !d.open ? (
          <>
            {" · "}
            <Link to={`/tenders/${d.tender.id}/result`}>{t("award.myResultLink")}</Link>
          </>
        ) : null}
      </p>
      <h1>{t("bidding.title")}</h1>
      <p className="lead">{t("bidding.lead")}</p>
      <ErrorSummary errors={errors} />
      <p>
        {d.open
          ? t("bidding.deadline", { deadline: d.tender.submissionDeadline })
          : t("bidding.closed", { deadline: d.tender.submissionDeadline })}
      </p>

      {d.open && d.versions.some((v) => v.status === "submitted" && v.reconfirmRequired) ? (
        <div className="notice notice--warning" role="status">
          <p>{t("amendments.reconfirmNeeded")}</p>
          <Form method="post">
            <input type="hidden" name="intent" value="reconfirm" />
            <Button>{t("amendments.reconfirm")}</Button>
          </Form>
        </div>
      ) : null}

      {d.fees.length > 0 ? (
        <>
          <h2>{t("bidding.fees")}</h2>
          <DataTable
            captionHidden
            caption={t("bidding.fees")}
            rows={d.fees}
            rowKey={(f) => f.feeType}
            columns={[
              { key: "fee", header: t("money.fee"), cell: (f) => t(`fees.${f.feeType}`) },
              {
                key: "amount",
                header: t("money.amount"),
                numeric: true,
                cell: (f) => <span dir="ltr">{f.amount}</span>,
              },
              {
                key: "status",
                header: t("money.statusLabel"),
                cell: (f) =>
                  f.paid ? (
                    <StatusTag tone="success">{t("bidding.paid")}</StatusTag>
                  ) : (
                    <Form method="post">
                      <input type="hidden" name="intent" value="payFee" />
                      <input type="hidden" name="feeType" value={f.feeType} />
                      <Button variant="secondary">{t("bidding.payFee")}</Button>
                    </Form>
                  ),
              },
            ]}
          />
        </>
      ) : null}

      {d.versions.length > 0 ? (
        <>
          <h2>{t("bidding.versions")}</h2>
          <DataTable
            captionHidden
            caption={t("bidding.versions")}
            rows={d.versions}
            rowKey={(v) => String(v.version)}
            columns={[
              { key: "version", header: t("bidding.version"), numeric: true, cell: (v) => v.version },
              {
                key: "at",
                header: t("bidding.receivedAt"),
                cell: (v) => <span dir="ltr">{v.receivedAt}</span>,
              },
              {
                key: "digest",
                header: t("bidding.digest"),
                cell: (v) => (
                  <code className="digest" dir="ltr">
                    {v.digest}
                  </code>
                ),
              },
              {
                key: "status",
                header: t("money.statusLabel"),
                cell: (v) => (
                  <StatusTag tone={v.status === "submitted" ? "success" : "neutral"}>
                    {t(`bidding.status.${v.status}`)}
                  </StatusTag>
                ),
              },
              {
                key: "receipt",
                header: t("bidding.receipt"),
                cell: (v) => (
                  <a href={`/tenders/${d.tender.id}/bid/receipts/${v.version}`} download>
                    {t("bidding.download")}
                  </a>
                ),
              },
            ]}
          />
          <p>
            {t("bidding.checkReceipt")} <Link to="/verify/bid-receipt">{t("bidReceipt.title")}</Link>
          </p>
        </>
      ) : null}

      {d.open && !unpaid ? (
        // A new key after each submission: the sealed prices do not linger in the form.
        <Form
          key={d.versions.length}
          method="post"
          encType="multipart/form-data"
          className="narrow"
          noValidate
        >
          {d.lots.map((lot) => (
            <TextField
              key={lot.id}
              name={`price-${lot.id}`}
              defaultValue={d.draft?.prices[lot.id]}
              label={t("bidding.price", {
                number: lot.number,
                title: lot.title,
                currency: d.tender.currency,
              })}
              hint={t("bidding.priceHint")}
              inputMode="decimal"
              dir="ltr"
              error={errors[`price-${lot.id}`] ?? errors.prices}
            />
          ))}
          {d.criteria.map((c) => (
            <TextAreaField
              key={c.key}
              name={`response-${c.key}`}
              defaultValue={d.draft?.responses[c.key]}
              label={t("bidding.response", { name: c.name })}
              dir="auto"
              rows={4}
              error={errors[`response-${c.key}`]}
            />
          ))}
          <FileField
            name="documents"
            label={t("bidding.documents")}
            hint={t("bidding.documentsHint")}
            accept=".pdf,.png,.jpg,.jpeg,.docx,.xlsx"
            multiple
            error={errors.documents}
          />
          <div className="actions">
            <Button name="intent" value="submit">
              {d.bidStatus === "submitted" ? t("bidding.replace") : t("bidding.submit")}
            </Button>
            <Button name="intent" value="saveDraft" variant="secondary">
              {t("bidding.saveDraft")}
            </Button>
          </div>
        </Form>
      ) : null}

      {d.open && d.bidStatus === "submitted" ? (
        <Form method="post" className="actions">
          <input type="hidden" name="intent" value="withdraw" />
          <Button variant="warning">{t("bidding.withdraw")}</Button>
        </Form>
      ) : null}
    </>
  );
}
