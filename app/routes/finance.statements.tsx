import { data, Form, Link } from "react-router";
import { Button, DataTable, EmptyState, ErrorSummary, FileField, StatusTag } from "#app/components/ui.tsx";
import { requireUser } from "#app/modules/accounts/context.server.ts";
import { i18nContext } from "#app/modules/i18n/context.server.ts";
import { useTranslation } from "#app/modules/i18n/use-translation.ts";
import { unmatchedStatementLines } from "#app/modules/payments/finance-overview.server.ts";
import { importBankStatement } from "#app/modules/payments/import-bank-statement.server.ts";
import { moneyText } from "#app/modules/payments/money-view.ts";
import { servicesContext } from "#app/server/context.ts";
import { isAppError } from "#app/utils/errors.ts";
import { formErrorsOf } from "#app/utils/forms.server.ts";
import { clientIp } from "#app/utils/http.server.ts";
import { throwAsResponse } from "#app/utils/responses.server.ts";
import { readSmallForm } from "#app/utils/uploads.server.ts";
import type { BankStatementLine } from "#db/schema/index.ts";
import type { Route } from "./+types/finance.statements";

/** Statements are text: a year of a busy account is well under this. */
const MAX_STATEMENT_BYTES = 5_000_000;

const lineView = (l: BankStatementLine, lang: string) => ({
  id: l.id,
  bookedOn: l.bookedOn,
  bankTransactionId: l.bankTransactionId,
  description: l.description,
  reference: l.reference,
  amount: moneyText(l.amount, l.currency, lang),
  outcome: l.outcome,
  paymentId: l.paymentId,
});

export async function loader({ request, context }: Route.LoaderArgs) {
  const { t, lang } = context.get(i18nContext);
  const { actor } = requireUser(request, context);
  const lines = await unmatchedStatementLines(actor, context.get(servicesContext).database.db).catch(
    throwAsResponse,
  );
  return {
    title: `${t("statements.title")} – ${t("meta.siteName")}`,
    unmatched: lines.map((l) => lineView(l, lang)),
  };
}

export async function action({ request, context }: Route.ActionArgs) {
  const { t, lang } = context.get(i18nContext);
  const { actor } = requireUser(request, context);
  try {
    const form = await readSmallForm(request, MAX_STATEMENT_BYTES);
    const file = form.get("file");
    if (!(file instanceof File) || file.size === 0) {
      return data({ errors: { file: t("errors.FILE_EMPTY") }, result: null }, { status: 400 });
    }
    const result = await importBankStatement(
      { actor, fileName: file.name, content: Buffer.from(await file.arrayBuffer()), ip: clientIp(request) },
      context.get(servicesContext).database.db,
    );
    return {
      errors: {},
      result: {
        lines: result.lines.map((l) => lineView(l, lang)),
        matched: result.lines.filter((l) => l.outcome === "matched").length,
        alreadyImported: result.alreadyImported,
      },
    };
  } catch (e) {
    if (!isAppError(e)) throw e;
    if (e.code === "FORBIDDEN" || e.code === "UNAUTHENTICATED") throwAsResponse(e);
    return data({ errors: formErrorsOf(e, t, "file"), result: null }, { status: e.status });
  }
}

type LineView = ReturnType<typeof lineView>;

function LinesTable({ caption, lines }: { caption: string; lines: LineView[] }) {
  const { t } = useTranslation();
  return (
    <DataTable
      captionHidden
      caption={caption}
      rows={lines}
      rowKey={(l) => l.id}
      columns={[
        { key: "date", header: t("statements.bookedOn"), cell: (l) => <span dir="ltr">{l.bookedOn}</span> },
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
          cell: (l) => (
            <>
              <StatusTag tone={l.outcome === "matched" ? "success" : "warning"}>
                {t(`money.outcome.${l.outcome}`)}
              </StatusTag>{" "}
              {l.paymentId ? (
                <Link to={`/finance/payments/${l.paymentId}`} dir="ltr">
                  {l.reference}
                </Link>
              ) : null}
            </>
          ),
        },
      ]}
    />
  );
}

export default function Statements({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useTranslation();
  const errors: Record<string, string | undefined> = actionData?.errors ?? {};
  const result = actionData?.result;
  return (
    <>
      <title>{loaderData.title}</title>
      <p>
        <Link to="/finance">{t("finance.title")}</Link>
      </p>
      <h1>{t("statements.title")}</h1>
      <p className="lead">{t("statements.lead")}</p>
      <ErrorSummary errors={errors} />
      {result ? (
        <div className="notice" role="status">
          <p>{t("statements.result", { count: result.lines.length, matched: result.matched })}</p>
          {result.alreadyImported > 0 ? (
            <p>{t("statements.skipped", { count: result.alreadyImported })}</p>
          ) : null}
        </div>
      ) : null}
      <Form method="post" encType="multipart/form-data" className="narrow" noValidate>
        <FileField
          name="file"
          label={t("statements.file")}
          hint={t("statements.fileHint")}
          error={errors.file}
          accept=".csv,text/csv"
        />
        <Button>{t("statements.import")}</Button>
      </Form>
      {result && result.lines.length > 0 ? (
        <>
          <h2>{t("statements.lines")}</h2>
          <LinesTable caption={t("statements.lines")} lines={result.lines} />
        </>
      ) : null}
      <h2>{t("statements.unmatched")}</h2>
      {loaderData.unmatched.length === 0 ? (
        <EmptyState title={t("statements.noUnmatched")} />
      ) : (
        <LinesTable caption={t("statements.unmatched")} lines={loaderData.unmatched} />
      )}
    </>
  );
}
