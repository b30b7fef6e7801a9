import { Form, Link } from "react-router";
import { ApplicationStatusTag } from "#app/components/permit.tsx";
import { Button, DataTable, EmptyState, SelectField, StatusTag } from "#app/components/ui.tsx";
import { requireUser } from "#app/modules/accounts/context.server.ts";
import { i18nContext } from "#app/modules/i18n/context.server.ts";
import { useTranslation } from "#app/modules/i18n/use-translation.ts";
import { licensingQueue } from "#app/modules/permits/permit-lists.server.ts";
import { daysLeft, pick } from "#app/modules/permits/permit-view.ts";
import { servicesContext } from "#app/server/context.ts";
import { throwAsResponse } from "#app/utils/responses.server.ts";
import { APPLICATION_STATUSES } from "#db/schema/permit-kinds.ts";
import type { Route } from "./+types/licensing";

/** The licensing officer's queue: filters in the URL (a GET form), oldest due first, with the service-level countdown. */
export async function loader({ request, context }: Route.LoaderArgs) {
  const { t, lang } = context.get(i18nContext);
  const { actor } = requireUser(request, context);
  const search = new URL(request.url).searchParams;
  const filters = {
    status: search.get("status") ?? "",
    typeId: search.get("type") ?? "",
    assigned: (["me", "unassigned"].includes(search.get("assigned") ?? "")
      ? search.get("assigned")
      : "all") as "me" | "unassigned" | "all",
    overdue: search.get("overdue") === "1",
  };
  const q = await licensingQueue(actor, filters, context.get(servicesContext).database.db).catch(
    throwAsResponse,
  );
  return {
    title: `${t("licensing.queueTitle")} – ${t("meta.siteName")}`,
    filters: { ...filters, overdue: filters.overdue ? "1" : "" },
    types: q.types.map((ty) => ({ value: ty.id, label: pick(lang, ty.nameAr, ty.nameEn) })),
    counts: Object.fromEntries(q.counts.map((c) => [c.status, String(c.n)])),
    rows: q.rows.map((r) => ({
      id: r.application.id,
      reference: r.application.reference,
      business: pick(lang, r.businessNameAr, r.businessNameEn),
      type: pick(lang, r.type.nameAr, r.type.nameEn),
      kind: r.application.kind,
      status: r.application.status,
      assignee: r.assigneeName ?? "",
      daysLeft: daysLeft(r.application.dueAt, r.application.clockStoppedAt, q.now),
      clockStopped: Boolean(r.application.clockStoppedAt),
    })),
  };
}

export default function LicensingQueue({ loaderData: d }: Route.ComponentProps) {
  const { t } = useTranslation();
  return (
    <>
      <title>{d.title}</title>
      <h1>{t("licensing.queueTitle")}</h1>
      <p>
        <Link to="/licensing/permits">{t("licensing.permitsTitle")}</Link>
      </p>
      <Form method="get" className="queue-filters">
        <SelectField
          name="status"
          label={t("permits.statusLabel")}
          defaultValue={d.filters.status}
          options={[
            { value: "", label: t("licensing.allOpen") },
            ...APPLICATION_STATUSES.filter((s) => s !== "draft").map((s) => ({
              value: s,
              label: `${t(`permits.status.${s}`)}${d.counts[s] ? ` (${d.counts[s]})` : ""}`,
            })),
          ]}
        />
        <SelectField
          name="type"
          label={t("permits.type")}
          defaultValue={d.filters.typeId}
          options={[{ value: "", label: t("licensing.allTypes") }, ...d.types]}
        />
        <SelectField
          name="assigned"
          label={t("licensing.assigned")}
          defaultValue={d.filters.assigned}
          options={[
            { value: "all", label: t("licensing.assignedAll") },
            { value: "me", label: t("licensing.assignedMe") },
            { value: "unassigned", label: t("licensing.unassigned") },
          ]}
        />
        <SelectField
          name="overdue"
          label={t("licensing.serviceLevel")}
          defaultValue={d.filters.overdue}
          options={[
            { value: "", label: t("licensing.anyDue") },
            { value: "1", label: t("licensing.overdueOnly") },
          ]}
        />
        <Button variant="secondary">{t("licensing.filter")}</Button>
      </Form>
      {d.rows.length === 0 ? (
        <EmptyState title={t("licensing.empty")} />
      ) : (
        <DataTable
          caption={t("licensing.queueTitle")}
          captionHidden
          rows={d.rows}
          rowKey={(r) => r.id}
          columns={[
            {
              key: "reference",
              header: t("permits.reference"),
              cell: (r) => (
                <Link to={`/licensing/applications/${r.id}`} dir="ltr">
                  {r.reference}
                </Link>
              ),
            },
            { key: "business", header: t("licensing.applicant"), cell: (r) => r.business },
            {
              key: "type",
              header: t("permits.type"),
              cell: (r) => `${r.type} (${t(`permits.kind.${r.kind}`)})`,
            },
            {
              key: "status",
              header: t("permits.statusLabel"),
              cell: (r) => <ApplicationStatusTag status={r.status} />,
            },
            {
              key: "due",
              header: t("licensing.serviceLevel"),
              cell: (r) =>
                r.clockStopped ? (
                  <StatusTag tone="neutral">{t("permits.clockStopped")}</StatusTag>
                ) : r.daysLeft === null ? (
                  "—"
                ) : r.daysLeft < 0 ? (
                  <StatusTag tone="danger">{t("licensing.overdueBy", { count: -r.daysLeft })}</StatusTag>
                ) : (
                  <StatusTag tone={r.daysLeft <= 1 ? "warning" : "info"}>
                    {t("licensing.daysLeft", { count: r.daysLeft })}
                  </StatusTag>
                ),
            },
            { key: "assignee", header: t("licensing.assigned"), cell: (r) => r.assignee || "—" },
          ]}
        />
      )}
    </>
  );
}
