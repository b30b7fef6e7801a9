import { Link } from "react-router";
import { AwardTable } from "#app/components/award-table.tsx";
import { PermitServiceLevelsTable } from "#app/components/permit-service-levels.tsx";
import { DataTable } from "#app/components/ui.tsx";
import { agencyProfile } from "#app/modules/explore/agency-profile.server.ts";
import { isSlug } from "#app/modules/explore/award-filters.ts";
import { awardRowView, totalsView } from "#app/modules/explore/explore-view.ts";
import { i18nContext } from "#app/modules/i18n/context.server.ts";
import { useTranslation } from "#app/modules/i18n/use-translation.ts";
import { moneyText } from "#app/modules/payments/money-view.ts";
import { servicesContext } from "#app/server/context.ts";
import exploreCss from "#app/styles/explore.css?url";
import { formatInZone } from "#app/utils/time-zones.ts";
import type { Route } from "./+types/agencies.$slug";

/** An agency's public profile: open tenders, awards, spending, competition, speed, permit service levels. */

export const links: Route.LinksFunction = () => [{ rel: "stylesheet", href: exploreCss }];

export async function loader({ params, context }: Route.LoaderArgs) {
  const { t, lang } = context.get(i18nContext);
  const slug = params.slug.toLowerCase();
  const profile = isSlug(slug) ? await agencyProfile(slug, context.get(servicesContext).database.db) : null;
  if (!profile) throw new Response("Not found", { status: 404 });
  const { agency } = profile;
  const name = lang === "ar" ? agency.nameAr : agency.nameEn;
  const locale = lang === "ar" ? "ar-u-nu-latn" : "en-GB";
  const { opened, singleBid } = profile.competition;
  return {
    title: `${name} – ${t("meta.siteName")}`,
    name,
    slug: agency.slug,
    facts: {
      country: new Intl.DisplayNames([lang], { type: "region" }).of(agency.country) ?? agency.country,
      currency: `${new Intl.DisplayNames([lang], { type: "currency" }).of(agency.currency) ?? agency.currency} (${agency.currency})`,
      timeZone: agency.timeZone,
      since: agency.createdAt.toISOString().slice(0, 10),
    },
    openTenders: {
      total: profile.openTenders.total,
      rows: profile.openTenders.rows.map((r) => ({
        id: r.id,
        title: lang === "ar" ? r.titleAr : r.titleEn,
        reference: r.reference,
        category: String(t(`tenders.categories.${r.category}`)),
        closes: formatInZone(r.submissionDeadline, r.timeZone),
      })),
    },
    awards: {
      total: profile.recentAwards.total,
      rows: profile.recentAwards.rows.map((a) => awardRowView(a, lang, t)),
    },
    spending: {
      byCurrency: totalsView(profile.spending.byCurrency, lang),
      byYear: profile.spending.byYear.map((r) => ({
        key: `${r.year}-${r.currency}`,
        year: String(r.year),
        currency: r.currency,
        awards: r.awards,
        amount: moneyText(r.amount, r.currency, lang),
      })),
    },
    singleBid:
      opened === 0
        ? null
        : String(
            t("explore.agency.singleBidValue", {
              percent: new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 1 }).format(
                singleBid / opened,
              ),
              single: singleBid,
              opened,
            }),
          ),
    medianDays:
      profile.speed.medianDays === null
        ? null
        : String(
            t("explore.agency.medianDaysValue", {
              days: new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }).format(
                profile.speed.medianDays,
              ),
              count: profile.speed.awards,
            }),
          ),
    permits: profile.permits,
  };
}

export default function AgencyProfilePage({ loaderData: d }: Route.ComponentProps) {
  const { t } = useTranslation();
  return (
    <>
      <title>{d.title}</title>
      <p>
        <Link to="/agencies">{t("agencies.title")}</Link>
      </p>
      <h1>{d.name}</h1>
      <dl className="facts">
        <div>
          <dt>{t("agencies.country")}</dt>
          <dd>{d.facts.country}</dd>
        </div>
        <div>
          <dt>{t("agencies.currency")}</dt>
          <dd>{d.facts.currency}</dd>
        </div>
        <div>
          <dt>{t("agencies.timeZone")}</dt>
          <dd>
            <bdi dir="ltr">{d.facts.timeZone}</bdi>
          </dd>
        </div>
        <div>
          <dt>{t("explore.since")}</dt>
          <dd>
            <bdi dir="ltr">{d.facts.since}</bdi>
          </dd>
        </div>
      </dl>

      <section aria-labelledby="open-tenders">
        <h2 id="open-tenders">{t("explore.agency.openTenders")}</h2>
        {d.openTenders.rows.length === 0 ? (
          <p className="hint">{t("explore.agency.noOpenTenders")}</p>
        ) : (
          <DataTable
            caption={t("explore.agency.openTenders")}
            captionHidden
            rows={d.openTenders.rows}
            rowKey={(r) => r.id}
            columns={[
              {
                key: "tender",
                header: t("explore.columns.tender"),
                cell: (r) => (
                  <span className="award-cell">
                    <Link to={`/tenders/${r.id}`}>{r.title}</Link>
                    <bdi dir="ltr" className="hint nowrap">
                      {r.reference}
                    </bdi>
                  </span>
                ),
              },
              { key: "category", header: t("explore.awards.category"), cell: (r) => r.category },
              {
                key: "closes",
                header: t("explore.agency.closes"),
                cell: (r) => (
                  <bdi dir="ltr" className="nowrap">
                    {r.closes}
                  </bdi>
                ),
              },
            ]}
          />
        )}
        {d.openTenders.total > 0 ? (
          <p>
            <Link to={`/tenders?agency=${d.slug}&status=open`}>
              {t("explore.agency.allOpenTenders", { count: d.openTenders.total })}
            </Link>
          </p>
        ) : null}
      </section>

      <section aria-labelledby="recent-awards">
        <h2 id="recent-awards">{t("explore.agency.recentAwards")}</h2>
        {d.awards.rows.length === 0 ? (
          <p className="hint">{t("explore.agency.noAwards")}</p>
        ) : (
          <>
            <AwardTable rows={d.awards.rows} caption={t("explore.agency.recentAwards")} hide="agency" />
            <p>
              <Link to={`/awards?agency=${d.slug}`}>
                {t("explore.agency.allAwards", { count: d.awards.total })}
              </Link>
            </p>
          </>
        )}
      </section>

      <section aria-labelledby="spending">
        <h2 id="spending">{t("explore.agency.spending")}</h2>
        {d.spending.byYear.length === 0 ? (
          <p className="hint">{t("explore.agency.noAwards")}</p>
        ) : (
          <>
            <p className="hint">{t("explore.totalsNote")}</p>
            <ul className="explore-totals">
              {d.spending.byCurrency.map((c) => (
                <li key={c.currency}>
                  <strong>{c.amount}</strong> {t("explore.awardsCount", { count: c.awards })}
                </li>
              ))}
            </ul>
            <DataTable
              caption={t("explore.agency.spending")}
              captionHidden
              rows={d.spending.byYear}
              rowKey={(r) => r.key}
              columns={[
                { key: "year", header: t("explore.awards.year"), cell: (r) => r.year },
                { key: "currency", header: t("explore.awards.currency"), cell: (r) => r.currency },
                { key: "awards", header: t("explore.columns.awards"), numeric: true, cell: (r) => r.awards },
                { key: "amount", header: t("explore.columns.amount"), numeric: true, cell: (r) => r.amount },
              ]}
            />
          </>
        )}
      </section>

      <section aria-labelledby="competition">
        <h2 id="competition">{t("explore.agency.competition")}</h2>
        <dl className="facts">
          <div>
            <dt>{t("explore.agency.singleBid")}</dt>
            <dd>{d.singleBid ?? t("explore.agency.noOpened")}</dd>
          </div>
          <div>
            <dt>{t("explore.agency.medianDays")}</dt>
            <dd>{d.medianDays ?? t("explore.agency.noAwards")}</dd>
          </div>
        </dl>
        <p className="hint">
          {t("explore.agency.competitionNote")} <Link to="/insights">{t("insights.title")}</Link>
        </p>
      </section>

      <section aria-labelledby="permit-levels">
        <h2 id="permit-levels">{t("permitServiceLevels.title")}</h2>
        <PermitServiceLevelsTable rows={d.permits} showAgency={false} />
      </section>
    </>
  );
}
