import { Link } from "react-router";
import { DataTable, EmptyState, StatusTag } from "#app/components/ui.tsx";
import { requireUser } from "#app/modules/accounts/context.server.ts";
import { approvalQueue, recentDecisions } from "#app/modules/awards/award-views.server.ts";
import { ltr } from "#app/modules/evaluations/evaluation-view.ts";
import { formatPoints } from "#app/modules/evaluations/points.ts";
import { i18nContext } from "#app/modules/i18n/context.server.ts";
import { useTranslation } from "#app/modules/i18n/use-translation.ts";
import { moneyText } from "#app/modules/payments/money-view.ts";
import { servicesContext } from "#app/server/context.ts";
import { throwAsResponse } from "#app/utils/responses.server.ts";
import { formatInZone } from "#app/utils/time-zones.ts";
import type { Route } from "./+types/approvals";

export async function loader({ request, context }: Route.LoaderArgs) {
  const { t, lang } = context.get(i18nContext);
  const { actor } = requireUser(request, context);
  const db = context.get(servicesContext).database.db;
  const queue = await approvalQueue(actor, db).catch(throwAsResponse);
  const decided = await recentDecisions(actor, db);
  const row = (r: (typeof decided)[number]) => ({
    id: r.award.id,
    tender: `${r.reference} – ${lang === "ar" ? r.titleAr : r.titleEn}`,
    lot: t("evaluation.lot", { number: r.lotNumber }),
    bidder: lang === "ar" ? r.bidderAr : r.bidderEn,
    price: moneyText(r.award.price, r.award.currency, lang),
    total: formatPoints(r.award.total),
    rank: r.award.rank,
    recommendedBy: r.recommendedByName,
    at: ltr(formatInZone(r.award.recommendedAt, r.timeZone)),
    status: r.award.status,
    decidedBy: r.decidedByName ?? "",
  });
  return {
    title: `${t("award.queueTitle")} – ${t("meta.siteName")}`,
    queue: queue.map((r) => ({ ...row(r), mine: r.mine })),
    decided: decided.map(row),
  };
}

export default function Approvals({ loaderData }: Route.ComponentProps) {
  const { t } = useTranslation();
  const d = loaderData;
  return (
    <>
      <title>{d.title}</title>
      <h1>{t("award.queueTitle")}</h1>
      <p className="lead">{t("award.queueLead")}</p>
      {d.queue.length === 0 ? (
        <EmptyState title={t("award.queueEmpty")} />
      ) : (
        <DataTable
          caption={t("award.queueTitle")}
          captionHidden
          rows={d.queue}
          rowKey={(r) => r.id}
          columns={[
            {
              key: "tender",
              header: t("evaluation.tender"),
              cell: (r) => (
                <>
                  <Link to={`/approvals/awards/${r.id}`}>{r.tender}</Link>
                  {r.mine ? (
                    <>
                      {" "}
                      <StatusTag tone="warning">{t("award.youRecommended")}</StatusTag>
                    </>
                  ) : null}
                </>
              ),
            },
            { key: "lot", header: t("award.lot"), cell: (r) => r.lot },
            { key: "bidder", header: t("award.bidder"), cell: (r) => r.bidder },
            {
              key: "price",
              header: t("evaluation.price"),
              numeric: true,
              cell: (r) => <span dir="ltr">{r.price}</span>,
            },
            {
              key: "total",
              header: t("evaluation.total"),
              numeric: true,
              cell: (r) => <span dir="ltr">{r.total}</span>,
            },
            { key: "rank", header: t("evaluation.rank"), numeric: true, cell: (r) => r.rank },
            { key: "by", header: t("award.recommendedByLabel"), cell: (r) => r.recommendedBy },
            { key: "at", header: t("award.recommendedAt"), cell: (r) => <span dir="ltr">{r.at}</span> },
          ]}
        />
      )}
      {d.decided.length > 0 ? (
        <>
          <h2>{t("award.recentDecisions")}</h2>
          <DataTable
            caption={t("award.recentDecisions")}
            captionHidden
            rows={d.decided}
            rowKey={(r) => r.id}
            columns={[
              {
                key: "tender",
                header: t("evaluation.tender"),
                cell: (r) => <Link to={`/approvals/awards/${r.id}`}>{r.tender}</Link>,
              },
              { key: "lot", header: t("award.lot"), cell: (r) => r.lot },
              { key: "bidder", header: t("award.bidder"), cell: (r) => r.bidder },
              {
                key: "status",
                header: t("award.statusLabel"),
                cell: (r) => (
                  <StatusTag tone={r.status === "approved" ? "success" : "warning"}>
                    {t(`award.status.${r.status}`)}
                  </StatusTag>
                ),
              },
              { key: "by", header: t("award.decidedByLabel"), cell: (r) => r.decidedBy },
            ]}
          />
        </>
      ) : null}
    </>
  );
}
