import { Link } from "react-router";
import { EmptyState, StatusTag } from "#app/components/ui.tsx";
import { i18nContext } from "#app/modules/i18n/context.server.ts";
import { useTranslation } from "#app/modules/i18n/use-translation.ts";
import { flaggedAwards } from "#app/modules/insights/insights.server.ts";
import { THRESHOLDS } from "#app/modules/insights/red-flags.ts";
import { moneyText } from "#app/modules/payments/money-view.ts";
import { servicesContext } from "#app/server/context.ts";
import type { Route } from "./+types/insights.red-flags";

export async function loader({ context }: Route.LoaderArgs) {
  const { t, lang } = context.get(i18nContext);
  const flagged = await flaggedAwards(context.get(servicesContext).database.db, 200);
  return {
    title: `${t("insights.redFlagsTitle")} – ${t("meta.siteName")}`,
    thresholds: THRESHOLDS,
    awards: flagged.map((f) => ({
      id: f.awardId,
      tenderId: f.tenderId,
      reference: f.reference,
      title: lang === "ar" ? f.titleAr : f.titleEn,
      agency: lang === "ar" ? f.agency.nameAr : f.agency.nameEn,
      winner: lang === "ar" ? f.winner.nameAr : f.winner.nameEn,
      amount: moneyText(f.price, f.currency, lang),
      decidedOn: f.decidedAt.toISOString().slice(0, 10),
      flags: f.flags.map((x) => ({
        kind: x.kind,
        explanation: String(t(`insights.flags.${x.kind}.explanation`, x.params)),
      })),
    })),
  };
}

export default function RedFlags({ loaderData: d }: Route.ComponentProps) {
  const { t } = useTranslation();
  return (
    <>
      <title>{d.title}</title>
      <p>
        <Link to="/insights">{t("insights.title")}</Link>
      </p>
      <h1>{t("insights.redFlagsTitle")}</h1>
      <p className="lede">{t("insights.redFlagsIntro")}</p>
      <p>
        <a href="/insights/data/red-flags.csv" download>
          {t("insights.downloadCsv")}
        </a>
      </p>
      {d.awards.length === 0 ? (
        <EmptyState title={t("insights.noFlags")} />
      ) : (
        <ul className="flag-list">
          {d.awards.map((a) => (
            <li key={a.id} className="flag-list__item">
              <h2 className="flag-list__title">
                <Link to={`/tenders/${a.tenderId}`}>{a.title}</Link> <span dir="ltr">{a.reference}</span>
              </h2>
              <p>
                {t("insights.awardLine", {
                  agency: a.agency,
                  winner: a.winner,
                  amount: a.amount,
                  date: a.decidedOn,
                })}
              </p>
              <ul>
                {a.flags.map((f) => (
                  <li key={f.kind}>
                    <StatusTag tone="warning">{t(`insights.flags.${f.kind}.name`)}</StatusTag> {f.explanation}
                  </li>
                ))}
              </ul>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
