import { Link } from "react-router";
import { TenderPhaseTag } from "#app/components/tender.tsx";
import { ButtonLink, DataTable, EmptyState } from "#app/components/ui.tsx";
import { requireUser } from "#app/modules/accounts/context.server.ts";
import { i18nContext } from "#app/modules/i18n/context.server.ts";
import { useTranslation } from "#app/modules/i18n/use-translation.ts";
import { listAgencyTenders } from "#app/modules/tenders/author-tender.server.ts";
import { tenderSummary } from "#app/modules/tenders/tender-view.ts";
import { servicesContext } from "#app/server/context.ts";
import { throwAsResponse } from "#app/utils/responses.server.ts";
import type { Route } from "./+types/tenders.manage";

export async function loader({ request, context }: Route.LoaderArgs) {
  const { t, lang } = context.get(i18nContext);
  const { actor } = requireUser(request, context);
  const rows = await listAgencyTenders(actor, context.get(servicesContext).database.db).catch(
    throwAsResponse,
  );
  const now = new Date();
  return {
    title: `${t("tenders.manageTitle")} – ${t("meta.siteName")}`,
    tenders: rows.map((r) => tenderSummary(r, lang, now)),
  };
}

export default function ManageTenders({ loaderData }: Route.ComponentProps) {
  const { t } = useTranslation();
  return (
    <>
      <title>{loaderData.title}</title>
      <h1>{t("tenders.manageTitle")}</h1>
      <p className="actions">
        <ButtonLink to="/tenders/manage/new">{t("tenders.newTender")}</ButtonLink>
      </p>
      {loaderData.tenders.length === 0 ? (
        <EmptyState title={t("tenders.none")} />
      ) : (
        <DataTable
          caption={t("tenders.manageTitle")}
          captionHidden
          rows={loaderData.tenders}
          rowKey={(r) => r.id}
          columns={[
            {
              key: "reference",
              header: t("tenders.reference"),
              cell: (r) => (
                <Link to={`/tenders/manage/${r.id}`} dir="ltr">
                  {r.reference}
                </Link>
              ),
            },
            { key: "title", header: t("tenders.titleEn").replace(/ \(.*\)/, ""), cell: (r) => r.title },
            { key: "phase", header: t("tenders.status"), cell: (r) => <TenderPhaseTag phase={r.phase} /> },
            {
              key: "deadline",
              header: t("tenders.deadline"),
              cell: (r) => <span dir="ltr">{r.submissionDeadline ?? "—"}</span>,
            },
          ]}
        />
      )}
    </>
  );
}
