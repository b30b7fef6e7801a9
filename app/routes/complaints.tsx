import { Link } from "react-router";
import { DataTable, EmptyState, StatusTag } from "#app/components/ui.tsx";
import { requireUser } from "#app/modules/accounts/context.server.ts";
import { complaintQueue } from "#app/modules/complaints/complaint-views.server.ts";
import { ltr } from "#app/modules/evaluations/evaluation-view.ts";
import { i18nContext } from "#app/modules/i18n/context.server.ts";
import { useTranslation } from "#app/modules/i18n/use-translation.ts";
import { servicesContext } from "#app/server/context.ts";
import { throwAsResponse } from "#app/utils/responses.server.ts";
import { formatInZone } from "#app/utils/time-zones.ts";
import type { Route } from "./+types/complaints";

/** The agency's complaints: those waiting for a decision, oldest first, and the recent decisions. */
export async function loader({ request, context }: Route.LoaderArgs) {
  const { t, lang } = context.get(i18nContext);
  const { actor } = requireUser(request, context);
  const { waiting, decided } = await complaintQueue(actor, context.get(servicesContext).database.db).catch(
    throwAsResponse,
  );
  const row = (r: (typeof waiting)[number]) => ({
    id: r.complaint.id,
    tender: `${r.reference} – ${lang === "ar" ? r.titleAr : r.titleEn}`,
    lot: t("evaluation.lot", { number: r.lotNumber }),
    complainant: lang === "ar" ? r.complainantAr : r.complainantEn,
    lodged: r.complaint.lodgedAt ? ltr(formatInZone(r.complaint.lodgedAt, r.timeZone)) : "",
    status: r.complaint.status,
    decidedBy: r.decidedByName ?? "",
  });
  return {
    title: `${t("complaints.queueTitle")} – ${t("meta.siteName")}`,
    waiting: waiting.map(row),
    decided: decided.map(row),
  };
}

export default function ComplaintQueue({ loaderData }: Route.ComponentProps) {
  const { t } = useTranslation();
  const d = loaderData;
  const columns = (decided: boolean) => [
    {
      key: "tender",
      header: t("complaints.tender"),
      cell: (r: (typeof d.waiting)[number]) => <Link to={`/complaints/${r.id}`}>{r.tender}</Link>,
    },
    { key: "lot", header: t("complaints.lot"), cell: (r: (typeof d.waiting)[number]) => r.lot },
    {
      key: "complainant",
      header: t("complaints.complainant"),
      cell: (r: (typeof d.waiting)[number]) => r.complainant,
    },
    {
      key: "lodged",
      header: t("complaints.lodged"),
      cell: (r: (typeof d.waiting)[number]) => <span dir="ltr">{r.lodged}</span>,
    },
    ...(decided
      ? [
          {
            key: "status",
            header: t("complaints.statusLabel"),
            cell: (r: (typeof d.waiting)[number]) => (
              <>
                <StatusTag tone={r.status === "upheld" ? "success" : "neutral"}>
                  {t(`complaints.status.${r.status}`)}
                </StatusTag>{" "}
                <bdi>{r.decidedBy}</bdi>
              </>
            ),
          },
        ]
      : []),
  ];
  return (
    <>
      <title>{d.title}</title>
      <h1>{t("complaints.queueTitle")}</h1>
      <p className="lead">{t("complaints.queueLead")}</p>
      {d.waiting.length === 0 ? (
        <EmptyState title={t("complaints.queueEmpty")} />
      ) : (
        <DataTable
          caption={t("complaints.queueTitle")}
          captionHidden
          rows={d.waiting}
          rowKey={(r) => r.id}
          columns={columns(false)}
        />
      )}
      {d.decided.length > 0 ? (
        <>
          <h2>{t("complaints.decidedTitle")}</h2>
          <DataTable
            caption={t("complaints.decidedTitle")}
            captionHidden
            rows={d.decided}
            rowKey={(r) => r.id}
            columns={columns(true)}
          />
        </>
      ) : null}
    </>
  );
}
