import { Form, Link } from "react-router";
import { z } from "zod";
import { Button, DataTable, EmptyState, StatusTag, TextField } from "#app/components/ui.tsx";
import { requireUser } from "#app/modules/accounts/context.server.ts";
import { i18nContext } from "#app/modules/i18n/context.server.ts";
import { useTranslation } from "#app/modules/i18n/use-translation.ts";
import { moneyText } from "#app/modules/payments/money-view.ts";
import { reconcile } from "#app/modules/payments/reconciliation.server.ts";
import { cardPaymentsFrom } from "#app/modules/payments/stripe-client.server.ts";
import { servicesContext } from "#app/server/context.ts";
import { throwAsResponse } from "#app/utils/responses.server.ts";
import type { Route } from "./+types/finance.reconciliation";

const Day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)));
const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);

export async function loader({ request, context }: Route.LoaderArgs) {
  const { t, lang } = context.get(i18nContext);
  const { actor } = requireUser(request, context);
  const { database, env } = context.get(servicesContext);
  const search = new URL(request.url).searchParams;
  // A bad date is not an error page: the default period is used and the field says so.
  const fromParsed = Day.safeParse(search.get("from") ?? daysAgo(30));
  const toParsed = Day.safeParse(search.get("to") ?? daysAgo(0));
  let period = {
    from: fromParsed.success ? fromParsed.data : daysAgo(30),
    to: toParsed.success ? toParsed.data : daysAgo(0),
  };
  if (period.from > period.to) period = { from: period.to, to: period.from };
  const report = await reconcile({ actor, period }, { db: database.db, card: cardPaymentsFrom(env) }).catch(
    throwAsResponse,
  );
  const money = (amount: bigint | null, currency: string) =>
    amount === null ? "—" : moneyText(amount, currency, lang);
  return {
    title: `${t("reconciliation.title")} – ${t("meta.siteName")}`,
    period,
    errors: {
      from: fromParsed.success ? undefined : t("errors.dateInvalid"),
      to: toParsed.success ? undefined : t("errors.dateInvalid"),
    },
    bank: {
      matchedLines: report.bank.matchedLines,
      unmatched: report.bank.unmatchedLines.map((l) => ({
        id: l.id,
        bookedOn: l.bookedOn,
        bankTransactionId: l.bankTransactionId,
        description: l.description,
        amount: money(l.amount, l.currency),
        outcome: l.outcome,
      })),
      withoutStatement: report.bank.receiptsWithoutStatement.map((r) => ({
        paymentId: r.paymentId,
        reference: r.reference,
        amount: money(r.amount, r.currency),
        receivedOn: r.receivedOn,
        bankReference: r.bankReference,
      })),
    },
    stripe:
      report.stripe.status === "checked"
        ? {
            status: "checked" as const,
            charges: report.stripe.charges,
            refunds: report.stripe.refunds,
            mismatches: report.stripe.mismatches.map((m, i) => ({
              key: `${m.kind}-${m.providerId ?? m.paymentId ?? i}`,
              kind: m.kind,
              object: m.object,
              providerId: m.providerId,
              paymentId: m.paymentId,
              reference: m.reference,
              provider: money(m.providerAmount, m.currency),
              ledger: money(m.ledgerAmount, m.currency),
            })),
          }
        : { status: report.stripe.status },
  };
}

export default function Reconciliation({ loaderData }: Route.ComponentProps) {
  const { t } = useTranslation();
  const d = loaderData;
  return (
    <>
      <title>{d.title}</title>
      <p>
        <Link to="/finance">{t("finance.title")}</Link>
      </p>
      <h1>{t("reconciliation.title")}</h1>
      <p className="lead">{t("reconciliation.lead")}</p>
      <Form method="get" className="inline-form" noValidate>
        <TextField
          name="from"
          label={t("reconciliation.from")}
          defaultValue={d.period.from}
          dir="ltr"
          error={d.errors.from}
        />
        <TextField
          name="to"
          label={t("reconciliation.to")}
          defaultValue={d.period.to}
          dir="ltr"
          error={d.errors.to}
        />
        <Button variant="secondary">{t("reconciliation.show")}</Button>
      </Form>

      <h2>{t("reconciliation.bank")}</h2>
      <p>{t("reconciliation.matchedLines", { count: d.bank.matchedLines })}</p>
      <h3>{t("statements.unmatched")}</h3>
      {d.bank.unmatched.length === 0 ? (
        <EmptyState title={t("statements.noUnmatched")} />
      ) : (
        <DataTable
          captionHidden
          caption={t("statements.unmatched")}
          rows={d.bank.unmatched}
          rowKey={(l) => l.id}
          columns={[
            {
              key: "date",
              header: t("statements.bookedOn"),
              cell: (l) => <span dir="ltr">{l.bookedOn}</span>,
            },
            {
              key: "id",
              header: t("statements.bankId"),
              cell: (l) => <code dir="ltr">{l.bankTransactionId}</code>,
            },
            {
              key: "description",
              header: t("statements.description"),
              cell: (l) => <span dir="auto">{l.description}</span>,
            },
            {
              key: "amount",
              header: t("money.amount"),
              numeric: true,
              cell: (l) => <span dir="ltr">{l.amount}</span>,
            },
            {
              key: "outcome",
              header: t("statements.outcome"),
              cell: (l) => <StatusTag tone="warning">{t(`money.outcome.${l.outcome}`)}</StatusTag>,
            },
          ]}
        />
      )}
      <h3>{t("reconciliation.withoutStatement")}</h3>
      {d.bank.withoutStatement.length === 0 ? (
        <EmptyState title={t("reconciliation.noneWithoutStatement")} />
      ) : (
        <DataTable
          captionHidden
          caption={t("reconciliation.withoutStatement")}
          rows={d.bank.withoutStatement}
          rowKey={(r) => `${r.paymentId}-${r.bankReference}`}
          columns={[
            {
              key: "reference",
              header: t("money.reference"),
              cell: (r) => (
                <Link to={`/finance/payments/${r.paymentId}`} dir="ltr">
                  {r.reference}
                </Link>
              ),
            },
            {
              key: "amount",
              header: t("money.amount"),
              numeric: true,
              cell: (r) => <span dir="ltr">{r.amount}</span>,
            },
            {
              key: "on",
              header: t("finance.receivedOn"),
              cell: (r) => <span dir="ltr">{r.receivedOn}</span>,
            },
            {
              key: "ref",
              header: t("finance.bankReference"),
              cell: (r) => <code dir="ltr">{r.bankReference}</code>,
            },
          ]}
        />
      )}

      <h2>{t("reconciliation.stripe")}</h2>
      {d.stripe.status === "off" ? <p>{t("reconciliation.stripeOff")}</p> : null}
      {d.stripe.status === "unavailable" ? (
        <div className="notice notice--warning" role="status">
          {t("reconciliation.stripeUnavailable")}
        </div>
      ) : null}
      {d.stripe.status === "checked" ? (
        <>
          <p>{t("reconciliation.stripeChecked", { charges: d.stripe.charges, refunds: d.stripe.refunds })}</p>
          {d.stripe.mismatches.length === 0 ? (
            <EmptyState title={t("reconciliation.agree")} />
          ) : (
            <DataTable
              captionHidden
              caption={t("reconciliation.stripe")}
              rows={d.stripe.mismatches}
              rowKey={(m) => m.key}
              columns={[
                {
                  key: "kind",
                  header: t("reconciliation.difference"),
                  cell: (m) => (
                    <StatusTag tone="danger">
                      {t(`reconciliation.kinds.${m.kind}`)} · {t(`reconciliation.objects.${m.object}`)}
                    </StatusTag>
                  ),
                },
                {
                  key: "reference",
                  header: t("money.reference"),
                  cell: (m) =>
                    m.paymentId ? (
                      <Link to={`/finance/payments/${m.paymentId}`} dir="ltr">
                        {m.reference}
                      </Link>
                    ) : (
                      "—"
                    ),
                },
                {
                  key: "provider",
                  header: t("reconciliation.atStripe"),
                  numeric: true,
                  cell: (m) => <span dir="ltr">{m.provider}</span>,
                },
                {
                  key: "ledger",
                  header: t("reconciliation.inLedger"),
                  numeric: true,
                  cell: (m) => <span dir="ltr">{m.ledger}</span>,
                },
                {
                  key: "id",
                  header: t("reconciliation.stripeId"),
                  cell: (m) => <code dir="ltr">{m.providerId ?? "—"}</code>,
                },
              ]}
            />
          )}
        </>
      ) : null}
    </>
  );
}
