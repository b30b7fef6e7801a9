import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { z } from "zod";
import { CriteriaList, LotsList, TenderFacts } from "#app/components/tender.tsx";
import { i18nContext } from "#app/modules/i18n/context.server.ts";
import { lotsView } from "#app/modules/tenders/lots-view.server.ts";
import { publicTender } from "#app/modules/tenders/public-tenders.server.ts";
import { tenderSummary } from "#app/modules/tenders/tender-view.ts";
import { servicesContext } from "#app/server/context.ts";
import type { Route } from "./+types/tenders.$tenderId";

export async function loader({ params, context }: Route.LoaderArgs) {
  const { t, lang } = context.get(i18nContext);
  const id = z.uuid().safeParse(params.tenderId);
  const found = id.success ? await publicTender(id.data, context.get(servicesContext).database.db) : null;
  if (!found) throw new Response("Not found", { status: 404 });
  const tender = tenderSummary(found.tender, lang, new Date());
  return {
    title: `${tender.title} – ${t("meta.siteName")}`,
    tender,
    agency: lang === "ar" ? found.agency.nameAr : found.agency.nameEn,
    lots: lotsView(found.lots, lang),
  };
}

export default function TenderPage({ loaderData }: Route.ComponentProps) {
  const { t } = useTranslation();
  const d = loaderData;
  return (
    <>
      <title>{d.title}</title>
      <p>
        <Link to="/tenders">{t("tenders.title")}</Link>
      </p>
      <h1>{d.tender.title}</h1>
      {d.tender.description ? <p className="lead preserve-lines">{d.tender.description}</p> : null}
      <TenderFacts tender={d.tender} agency={d.agency} />
      <p className="actions">
        {d.tender.phase === "open" || d.tender.phase === "closing_soon" ? (
          <Link to={`/tenders/${d.tender.id}/bid`}>{t("bidding.title")}</Link>
        ) : null}
        <Link to={`/tenders/${d.tender.id}/questions`}>{t("tenders.questions")}</Link>
      </p>
      <h2>{t("tenders.lots")}</h2>
      <LotsList lots={d.lots} />
      <h2>{t("tenders.criteria")}</h2>
      <CriteriaList criteria={d.tender.criteria} />
    </>
  );
}
