import { data, Form, useSearchParams } from "react-router";
import { z } from "zod";
import { Button, DataTable, EmptyState, ErrorSummary, Pagination, TextField } from "#app/components/ui.tsx";
import { requireUser } from "#app/modules/accounts/context.server.ts";
import { listAuditEvents } from "#app/modules/audit/list-audit-events.server.ts";
import { i18nContext } from "#app/modules/i18n/context.server.ts";
import { useTranslation } from "#app/modules/i18n/use-translation.ts";
import { servicesContext } from "#app/server/context.ts";
import { parseWith, searchParamsObject } from "#app/utils/forms.server.ts";
import { throwAsResponse } from "#app/utils/responses.server.ts";
import type { Route } from "./+types/audit";

const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { message: "errors.dateInvalid" })
  .optional()
  .or(z.literal("").transform(() => undefined));
const Filters = z.object({
  action: z
    .string()
    .max(80, { message: "errors.VALIDATION" })
    .regex(/^[a-z._]*$/, { message: "errors.VALIDATION" })
    .optional(),
  from: day,
  to: day,
  page: z.coerce
    .number({ message: "errors.pageNumber" })
    .int({ message: "errors.pageNumber" })
    .min(1, { message: "errors.pageNumber" })
    .default(1),
});

export async function loader({ request, context }: Route.LoaderArgs) {
  const { t } = context.get(i18nContext);
  const { actor } = requireUser(request, context);
  const title = `${t("audit.title")} – ${t("meta.siteName")}`;
  const form = parseWith(Filters, searchParamsObject(request.url), t);
  if (!form.ok) return data({ title, errors: form.errors, result: null }, { status: 400 });
  const { from, to, action, page } = form.value;
  const result = await listAuditEvents(
    actor,
    {
      action,
      page,
      from: from ? new Date(`${from}T00:00:00Z`) : undefined,
      // "to" is the last day included.
      to: to ? new Date(new Date(`${to}T00:00:00Z`).getTime() + 86_400_000) : undefined,
    },
    context.get(servicesContext).database.db,
  ).catch(throwAsResponse);
  return {
    title,
    errors: {},
    result: {
      ...result,
      rows: result.rows.map((r) => ({
        ...r,
        seq: r.seq.toString(),
        occurredAt: r.occurredAt.toISOString(),
        ip: r.ip ? String(r.ip) : null,
        details: JSON.stringify(r.details),
      })),
    },
  };
}

export default function Audit({ loaderData }: Route.ComponentProps) {
  const { t } = useTranslation();
  const [search] = useSearchParams();
  const errors: Record<string, string | undefined> = loaderData.errors;
  const result = loaderData.result;
  return (
    <>
      <title>{loaderData.title}</title>
      <h1>{t("audit.title")}</h1>
      <p className="lead">{t("audit.lead")}</p>
      <ErrorSummary errors={errors} />
      <Form method="get" className="search-form">
        <TextField
          name="action"
          label={t("audit.action")}
          hint={t("audit.actionHint")}
          defaultValue={search.get("action") ?? ""}
          error={errors.action}
          dir="ltr"
        />
        <TextField
          name="from"
          type="text"
          inputMode="numeric"
          label={t("audit.from")}
          hint="YYYY-MM-DD"
          defaultValue={search.get("from") ?? ""}
          error={errors.from}
          dir="ltr"
        />
        <TextField
          name="to"
          type="text"
          inputMode="numeric"
          label={t("audit.to")}
          hint="YYYY-MM-DD"
          defaultValue={search.get("to") ?? ""}
          error={errors.to}
          dir="ltr"
        />
        <Button>{t("agencies.searchButton")}</Button>
      </Form>
      {result ? (
        <>
          <p className="results-count">{t("audit.count", { count: result.total })}</p>
          {result.rows.length === 0 ? (
            <EmptyState title={t("audit.empty")} />
          ) : (
            <DataTable
              caption={t("audit.title")}
              rows={result.rows}
              rowKey={(r) => r.seq}
              columns={[
                { key: "seq", header: "#", numeric: true, cell: (r) => r.seq },
                {
                  key: "when",
                  header: t("audit.when"),
                  cell: (r) => <span dir="ltr">{r.occurredAt.replace("T", " ").slice(0, 19)} UTC</span>,
                },
                {
                  key: "who",
                  header: t("audit.who"),
                  cell: (r) => (r.actorEmail ? <span dir="ltr">{r.actorEmail}</span> : "—"),
                },
                { key: "action", header: t("audit.action"), cell: (r) => <code dir="ltr">{r.action}</code> },
                {
                  key: "object",
                  header: t("audit.object"),
                  cell: (r) => (
                    <span dir="ltr">
                      {r.objectType ? `${r.objectType} ${r.objectId?.slice(0, 8) ?? ""}` : "—"}
                    </span>
                  ),
                },
                { key: "ip", header: t("sessions.ip"), cell: (r) => <span dir="ltr">{r.ip ?? "—"}</span> },
                {
                  key: "details",
                  header: t("audit.details"),
                  cell: (r) => (
                    <code className="digest" dir="ltr">
                      {r.details}
                    </code>
                  ),
                },
              ]}
            />
          )}
          <Pagination page={result.page} pages={result.pages} search={search} />
        </>
      ) : null}
    </>
  );
}
