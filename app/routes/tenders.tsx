import { useTranslation } from "react-i18next";
import { Form, Link } from "react-router";
import { TenderPhaseTag } from "#app/components/tender.tsx";
import { Button, DataTable, EmptyState, SelectField, TextField } from "#app/components/ui.tsx";
import { i18nContext } from "#app/modules/i18n/context.server.ts";
import { listPublicTenders } from "#app/modules/tenders/public-tenders.server.ts";
import { tenderSummary } from "#app/modules/tenders/tender-view.ts";
import { servicesContext } from "#app/server/context.ts";
import type { Route } from "./+types/tenders";

const PHASES = ["open", "closed", "opened"] as const;

export async function loader({ request, context }: Route.LoaderArgs) {
  const { t, lang } = context.get(i18nContext);
  const search = new URL(request.url).searchParams;
  const phase = PHASES.find((p) => p === search.get("phase"));
  const page = Number.parseInt(search.get("page") ?? "1", 10);
  const q = search.get("q") ?? "";
  const result = await listPublicTenders(
    { q, phase, page: Number.isFinite(page) ? page : 1 },
    context.get(servicesContext).database.db,
  );
  const now = new Date();
  return {
    title: `${t("tenders.title")} – ${t("meta.siteName")}`,
    q,
    phase: phase ?? "",
    page: result.page,
    hasMore: result.hasMore,
    tenders: result.rows.map((r) => ({
      ...tenderSummary(r.tender, lang, now),
      agency: lang === "ar" ? r.agencyAr : r.agencyEn,
    })),
  };
}

export default function Tenders({ loaderData }: Route.ComponentProps) {
  const { t } = useTranslation();
  const d = loaderData;
  const pageLink = (page: number) =>
    `?${new URLSearchParams({ q: d.q, phase: d.phase, page: String(page) })}`;
  return (
    <>
      <title>{d.title}</title>
      <h1>{t("tenders.title")}</h1>
      <p className="lead">{t("tenders.lead")}</p>
      <Form method="get" className="inline-form" role="search">
        <TextField name="q" type="search" label={t("tenders.searchLabel")} defaultValue={d.q} dir="auto" />
        <SelectField
          name="phase"
          label={t("tenders.phaseFilter")}
          defaultValue={d.phase}
          options={[
            { value: "", label: t("tenders.allPhases") },
            ...PHASES.map((p) => ({ value: p, label: t(`tenders.phase.${p}`) })),
          ]}
        />
        <Button variant="secondary">{t("tenders.search")}</Button>
      </Form>
      {d.tenders.length === 0 ? (
        <EmptyState title={t("tenders.noneOpen")} />
      ) : (
        <DataTable
          caption={t("tenders.title")}
          captionHidden
          rows={d.tenders}
          rowKey={(r) => r.id}
          columns={[
            {
              key: "title",
              header: t("tenders.titleEn").replace(/ \(.*\)/, ""),
              cell: (r) => (
                <>
                  <Link to={`/tenders/${r.id}`}>{r.title}</Link>
                  <br />
                  <small dir="ltr">{r.reference}</small>
                </>
              ),
            },
            { key: "agency", header: t("tenders.agency"), cell: (r) => r.agency },
            { key: "phase", header: t("tenders.status"), cell: (r) => <TenderPhaseTag phase={r.phase} /> },
            {
              key: "deadline",
              header: t("tenders.deadline"),
              cell: (r) => <span dir="ltr">{r.submissionDeadline}</span>,
            },
          ]}
        />
      )}
      <p className="actions">
        {d.page > 1 ? <Link to={pageLink(d.page - 1)}>←</Link> : null}
        {d.hasMore ? <Link to={pageLink(d.page + 1)}>→</Link> : null}
      </p>
    </>
  );
}
