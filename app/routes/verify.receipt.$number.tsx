import { data, Link } from "react-router";
import { EmptyState, StatusTag } from "#app/components/ui.tsx";
import { i18nContext } from "#app/modules/i18n/context.server.ts";
import { useTranslation } from "#app/modules/i18n/use-translation.ts";
import { formatMoney } from "#app/modules/ledger/money.ts";
import { formatUtc } from "#app/modules/receipts/render-receipt-pdf.server.ts";
import { verifyReceipt } from "#app/modules/receipts/verify-receipt.server.ts";
import { servicesContext } from "#app/server/context.ts";
import type { Route } from "./+types/verify.receipt.$number";
import { ReceiptNumberForm } from "./verify.receipt.tsx";

/**
 * GET /verify/receipt/:number: the public check of a receipt (its QR code
 * points here). Shows what the receipt shows, except the payer, and how to
 * confirm it against the signed checkpoint. An unknown number and a malformed
 * one get the same 404 page.
 */
export async function loader({ params, context }: Route.LoaderArgs) {
  const { t } = context.get(i18nContext);
  const r = await verifyReceipt(params.number, context.get(servicesContext).database.db);
  if (!r)
    return data(
      { title: `${t("receipts.notFoundTitle")} – ${t("meta.siteName")}`, receipt: null },
      { status: 404 },
    );
  return {
    title: `${t("receipts.title", { number: r.number })} – ${t("meta.siteName")}`,
    receipt: {
      number: r.number,
      kind: r.kind,
      paymentReference: r.paymentReference,
      agency: r.agency,
      feeLabel: r.feeLabel,
      amount: r.amount.toString(),
      currency: r.currency,
      issuedAt: formatUtc(r.issuedAt),
      refundedSoFar: r.refundedSoFar?.toString() ?? null,
      ledger: r.ledger,
      checkpoint: r.checkpoint
        ? {
            id: r.checkpoint.id.toString(),
            createdAt: formatUtc(r.checkpoint.createdAt),
            hash: r.checkpoint.hash,
            signature: r.checkpoint.signature,
            keyId: r.checkpoint.keyId,
          }
        : null,
    },
  };
}

function Digest({ children }: { children: string }) {
  return (
    <code className="digest" dir="ltr">
      {children}
    </code>
  );
}

export default function VerifyReceiptNumber({ loaderData }: Route.ComponentProps) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language === "ar" ? "ar" : "en";
  const r = loaderData.receipt;
  if (!r)
    return (
      <>
        <title>{loaderData.title}</title>
        <meta name="robots" content="noindex" />
        <h1>{t("receipts.verifyTitle")}</h1>
        <EmptyState title={t("receipts.notFoundTitle")}>
          <p>{t("receipts.notFoundBody")}</p>
        </EmptyState>
        <h2>{t("receipts.tryAgain")}</h2>
        <ReceiptNumberForm />
      </>
    );
  const money = (amount: string) => (
    <span dir="ltr">{formatMoney({ amount: BigInt(amount), currency: r.currency }, locale)}</span>
  );
  const c = r.checkpoint;
  return (
    <>
      <title>{loaderData.title}</title>
      <meta name="robots" content="noindex" />
      {/* The number kept left-to-right inside Arabic text (U+2066 … U+2069 isolate it). */}
      <h1>{t("receipts.title", { number: `\u2066${r.number}\u2069` })}</h1>
      <div className="notice" role="status">
        {t(r.kind === "payment" ? "receipts.genuinePayment" : "receipts.genuineRefund")}
      </div>

      <h2>{t("receipts.details")}</h2>
      <dl className="facts">
        <div>
          <dt>{t("receipts.number")}</dt>
          <dd>
            <span dir="ltr">{r.number}</span>
          </dd>
        </div>
        <div>
          <dt>{t("receipts.kind")}</dt>
          <dd>{t(r.kind === "payment" ? "receipts.kindPayment" : "receipts.kindRefund")}</dd>
        </div>
        <div>
          <dt>{t("receipts.status")}</dt>
          <dd>
            <StatusTag tone="success">{t("receipts.statusValid")}</StatusTag>
          </dd>
        </div>
        <div>
          <dt>{t("receipts.agency")}</dt>
          <dd>{locale === "ar" ? r.agency.nameAr : r.agency.nameEn}</dd>
        </div>
        <div>
          <dt>{t("receipts.fee")}</dt>
          <dd>{r.feeLabel[locale]}</dd>
        </div>
        <div>
          <dt>{t("receipts.amount")}</dt>
          <dd>{money(r.amount)}</dd>
        </div>
        <div>
          <dt>{t("receipts.date")}</dt>
          <dd>
            <span dir="ltr">{r.issuedAt}</span>
          </dd>
        </div>
        {r.refundedSoFar !== null ? (
          <div>
            <dt>{t("receipts.refundedSoFar")}</dt>
            <dd>{money(r.refundedSoFar)}</dd>
          </div>
        ) : (
          <div>
            <dt>{t("receipts.originalPayment")}</dt>
            <dd>
              <Link to={`/verify/receipt/${r.paymentReference}`} dir="ltr">
                {r.paymentReference}
              </Link>
            </dd>
          </div>
        )}
      </dl>
      <p className="hint">{t("receipts.privacyNote")}</p>

      <h2>{t("receipts.ledgerEntry")}</h2>
      <dl className="facts">
        <div>
          <dt>{t("receipts.transactionId")}</dt>
          <dd>
            <Digest>{r.ledger.transactionId}</Digest>
          </dd>
        </div>
        <div>
          <dt>{t("receipts.contentHash")}</dt>
          <dd>
            <Digest>{r.ledger.contentHash}</Digest>
          </dd>
        </div>
      </dl>
      <p>
        {r.ledger.matchesHash ? (
          <StatusTag tone="success">{t("receipts.hashMatches")}</StatusTag>
        ) : (
          <StatusTag tone="danger">{t("receipts.hashMismatch")}</StatusTag>
        )}
      </p>

      <h2>{t("receipts.checkpoint")}</h2>
      {c ? (
        <dl className="facts">
          <div>
            <dt>{t("receipts.checkpointNumber")}</dt>
            <dd>#{c.id}</dd>
          </div>
          <div>
            <dt>{t("receipts.closedAt")}</dt>
            <dd>
              <span dir="ltr">{c.createdAt}</span>
            </dd>
          </div>
          <div>
            <dt>{t("receipts.keyId")}</dt>
            <dd>
              <Digest>{c.keyId}</Digest>
            </dd>
          </div>
          <div>
            <dt>{t("receipts.checkpointHash")}</dt>
            <dd>
              <Digest>{c.hash}</Digest>
            </dd>
          </div>
          <div>
            <dt>{t("receipts.signature")}</dt>
            <dd>
              <Digest>{c.signature}</Digest>
            </dd>
          </div>
        </dl>
      ) : (
        <>
          <p>
            <StatusTag tone="warning">{t("receipts.notYetClosed")}</StatusTag>
          </p>
          <p>{t("receipts.notYetClosedBody")}</p>
        </>
      )}

      <h2>{t("receipts.howToCheck")}</h2>
      <p>{t("receipts.howToCheckLead")}</p>
      <ol>
        <li>{t("receipts.step1")}</li>
        <li>{t("receipts.step2")}</li>
        <li>{t("receipts.step3")}</li>
        <li>{t("receipts.step4")}</li>
      </ol>
      <ul>
        {c ? (
          <li>
            {/* A JSON file, not a page of this app: a plain link. */}
            <a href={`/transparency/checkpoints/${c.id}`}>{t("receipts.downloadCheckpoint", { id: c.id })}</a>
          </li>
        ) : null}
        <li>
          <Link to="/transparency">{t("receipts.transparencyLink")}</Link>
        </li>
      </ul>

      <h2>{t("receipts.checkAnother")}</h2>
      <ReceiptNumberForm />
    </>
  );
}
