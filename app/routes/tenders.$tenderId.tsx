import { Link } from "react-router";
import { z } from "zod";
import { PublicContracts } from "#app/components/contract.tsx";
import {
  AmendmentsList,
  CriteriaList,
  LotsList,
  OpeningRecordTable,
  TenderFacts,
} from "#app/components/tender.tsx";
import { TenderDocumentsList } from "#app/components/tender-documents.tsx";
import { StatusTag } from "#app/components/ui.tsx";
import { actorContext } from "#app/modules/accounts/context.server.ts";
import { publicAwards } from "#app/modules/awards/award-views.server.ts";
import { openingRows } from "#app/modules/bids/opening-view.server.ts";
import { publicContractView } from "#app/modules/contracts/contract-view.ts";
import { publicContracts } from "#app/modules/contracts/contract-views.server.ts";
import { ltr } from "#app/modules/evaluations/evaluation-view.ts";
import { i18nContext } from "#app/modules/i18n/context.server.ts";
import { useTranslation } from "#app/modules/i18n/use-translation.ts";
import { moneyText } from "#app/modules/payments/money-view.ts";
import { amendmentsOf } from "#app/modules/tenders/amend-tender.server.ts";
import { lotsView } from "#app/modules/tenders/lots-view.server.ts";
import { publicOpeningRecord, publicTender } from "#app/modules/tenders/public-tenders.server.ts";
import { currentDocuments, tenderDocumentsView } from "#app/modules/tenders/tender-documents.server.ts";
import { phaseWithAwards } from "#app/modules/tenders/tender-rules.ts";
import { amendmentsView, tenderSummary } from "#app/modules/tenders/tender-view.ts";
import { servicesContext } from "#app/server/context.ts";
import contractsCss from "#app/styles/contracts.css?url";
import { formatInZone } from "#app/utils/time-zones.ts";
import type { Route } from "./+types/tenders.$tenderId";

export const links: Route.LinksFunction = () => [{ rel: "stylesheet", href: contractsCss }];

export async function loader({ params, context }: Route.LoaderArgs) {
  const { t, lang } = context.get(i18nContext);
  const { actor } = context.get(actorContext);
  const id = z.uuid().safeParse(params.tenderId);
  const found = id.success ? await publicTender(id.data, context.get(servicesContext).database.db) : null;
  if (!found) throw new Response("Not found", { status: 404 });
  const tender = tenderSummary(found.tender, lang, new Date());
  const opening =
    found.tender.status === "opened"
      ? await publicOpeningRecord(found.tender.id, context.get(servicesContext).database.db)
      : null;
  const documents = tenderDocumentsView(
    await currentDocuments(found.tender.id, context.get(servicesContext).database.db),
  );
  const amendments = amendmentsView(
    await amendmentsOf(found.tender.id, context.get(servicesContext).database.db),
    found.tender.timeZone,
  );
  const awards = (await publicAwards(found.tender.id, context.get(servicesContext).database.db)).map((a) => ({
    id: a.award.id,
    lot: `${t("evaluation.lot", { number: a.lotNumber })} – ${lang === "ar" ? a.lotTitleAr : a.lotTitleEn}`,
    winner: lang === "ar" ? a.bidderAr : a.bidderEn,
    price: moneyText(a.award.price, a.award.currency, lang),
    approvedAt: a.award.noticePublishedAt
      ? ltr(formatInZone(a.award.noticePublishedAt, found.tender.timeZone))
      : "",
    standstillEnds: a.award.standstillEndsAt
      ? ltr(formatInZone(a.award.standstillEndsAt, found.tender.timeZone))
      : "",
    standstillOver: a.standstillOver,
    suspended: a.award.status === "suspended",
  }));
  // A cancellation is public with its reason; a complaint only as "the award is suspended".
  const zoned = (d: Date | null) => (d ? ltr(formatInZone(d, found.tender.timeZone)) : "");
  const cancellation =
    found.tender.status === "cancelled"
      ? { at: zoned(found.tender.cancelledAt), reason: found.tender.cancelReason ?? "" }
      : null;
  const cancelledLots = found.lots
    .filter((l) => l.cancelledAt)
    .map((l) => ({ id: l.id, number: l.number, reason: l.cancelReason ?? "" }));
  const contracts = (await publicContracts(found.tender.id, context.get(servicesContext).database.db)).map(
    (c) => publicContractView(c, lang),
  );
  return {
    contracts,
    cancellation,
    cancelledLots,
    documents,
    amendments,
    awards,
    opening: opening
      ? {
          at: formatInZone(opening.confirmedAt, found.tender.timeZone),
          rows: openingRows(opening.record, found.tender.currency, lang),
        }
      : null,
    title: `${tender.title} – ${t("meta.siteName")}`,
    tender: {
      ...tender,
      phase: phaseWithAwards(tender.phase, {
        standing: found.lots.filter((l) => !l.cancelledAt).length,
        awarded: awards.filter((a) => !a.suspended).length,
      }),
    },
    agency: lang === "ar" ? found.agency.nameAr : found.agency.nameEn,
    lots: lotsView(found.lots, lang),
    // "Your result" is for a business that may have bid, not for every visitor.
    business: actor.type === "user" && actor.membership?.kind === "business",
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
      {d.cancellation ? (
        <div className="notice notice--warning" role="status">
          {t("complaints.cancel.publicCancelled", d.cancellation)}
        </div>
      ) : null}
      {d.tender.description ? <p className="lead preserve-lines">{d.tender.description}</p> : null}
      <TenderFacts tender={d.tender} agency={d.agency} />
      <p className="actions">
        {d.tender.phase === "open" || d.tender.phase === "closing_soon" ? (
          <Link to={`/tenders/${d.tender.id}/bid`}>{t("bidding.title")}</Link>
        ) : null}
        <Link to={`/tenders/${d.tender.id}/questions`}>{t("tenders.questions")}</Link>
        {d.opening && d.business ? (
          <Link to={`/tenders/${d.tender.id}/result`}>{t("award.myResultLink")}</Link>
        ) : null}
      </p>
      {d.amendments.length > 0 ? (
        <>
          <h2>{t("amendments.title")}</h2>
          <AmendmentsList amendments={d.amendments} />
        </>
      ) : null}
      <h2>{t("tenderDocuments.title")}</h2>
      <TenderDocumentsList documents={d.documents} />
      <h2>{t("tenders.lots")}</h2>
      <LotsList lots={d.lots} />
      {d.cancelledLots.map((l) => (
        <p key={l.id}>{t("complaints.cancel.publicLotCancelled", { number: l.number, reason: l.reason })}</p>
      ))}
      <h2>{t("tenders.criteria")}</h2>
      <CriteriaList criteria={d.tender.criteria} />
      {d.awards.length > 0 ? (
        <>
          <h2 id="awards">{t("award.noticesTitle")}</h2>
          <ul>
            {d.awards.map((a) => (
              <li key={a.id}>
                {t("award.noticeLine", { lot: a.lot, winner: a.winner, at: a.approvedAt })}{" "}
                <strong dir="ltr">{a.price}</strong>
                {/* The sentence ends after the price (an Arabic amount already ends with its full stop). */}
                {a.price.endsWith(".") ? "" : "."}{" "}
                {a.suspended ? (
                  <StatusTag tone="warning">{t("complaints.suspended")}</StatusTag>
                ) : a.standstillOver ? (
                  t("award.standstillOver")
                ) : (
                  t("award.standstillUntil", { until: a.standstillEnds })
                )}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      <PublicContracts contracts={d.contracts} />
      {d.opening ? (
        <>
          <h2>{t("opening.record")}</h2>
          <p>{t("opening.openedAt", { at: d.opening.at })}</p>
          <OpeningRecordTable rows={d.opening.rows} />
        </>
      ) : null}
    </>
  );
}
