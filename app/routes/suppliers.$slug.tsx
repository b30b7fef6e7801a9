import { Link } from "react-router";
import { AwardTable } from "#app/components/award-table.tsx";
import { DataTable, StatusTag } from "#app/components/ui.tsx";
import { ltr } from "#app/modules/evaluations/evaluation-view.ts";
import { isSlug } from "#app/modules/explore/award-filters.ts";
import { awardRowView, contractView, totalsView } from "#app/modules/explore/explore-view.ts";
import { supplierProfile } from "#app/modules/explore/supplier-profile.server.ts";
import { i18nContext } from "#app/modules/i18n/context.server.ts";
import { useTranslation } from "#app/modules/i18n/use-translation.ts";
import { moneyText } from "#app/modules/payments/money-view.ts";
import { servicesContext } from "#app/server/context.ts";
import exploreCss from "#app/styles/explore.css?url";
import type { Route } from "./+types/suppliers.$slug";

/** A business's public record: who it is, what it won, its signed contracts and the red flags on its awards. */

export const links: Route.LinksFunction = () => [{ rel: "stylesheet", href: exploreCss }];

export async function loader({ params, context }: Route.LoaderArgs) {
  const { t, lang } = context.get(i18nContext);
  const slug = params.slug.toLowerCase();
  const profile = isSlug(slug) ? await supplierProfile(slug, context.get(servicesContext).database.db) : null;
  if (!profile) throw new Response("Not found", { status: 404 });
  const { supplier } = profile;
  const name = lang === "ar" ? supplier.nameAr : supplier.nameEn;
  const day = (d: Date) => d.toISOString().slice(0, 10);
  return {
    title: `${name} – ${t("meta.siteName")}`,
    name,
    slug: supplier.slug,
    facts: {
      registrationNumber: supplier.registrationNumber ?? "",
      sector: supplier.sector
        ? String(t(`sectors.${supplier.sector}`, { defaultValue: supplier.sector }))
        : "",
      country: new Intl.DisplayNames([lang], { type: "region" }).of(supplier.country) ?? supplier.country,
      verified: supplier.verified,
      verifiedOn: supplier.verifiedAt ? day(supplier.verifiedAt) : "",
      since: day(supplier.createdAt),
    },
    totals: totalsView(profile.totals.byCurrency, lang),
    byYear: profile.totals.byYear.map((r) => ({
      key: `${r.year}-${r.currency}`,
      year: String(r.year),
      currency: r.currency,
      awards: r.awards,
      amount: moneyText(r.amount, r.currency, lang),
    })),
    wins: {
      total: profile.wins.total,
      rows: profile.wins.rows.map((a) => awardRowView(a, lang, t)),
    },
    contracts: profile.contracts.map((c) => ({
      id: c.id,
      tenderId: c.tenderId,
      title: lang === "ar" ? c.titleAr : c.titleEn,
      agency: { slug: c.agency.slug, name: lang === "ar" ? c.agency.nameAr : c.agency.nameEn },
      period: `${c.startsOn} – ${c.endsOn}`,
      signedOn: day(c.signedAt),
      ...contractView(c, lang, t),
    })),
    flagged: profile.flagged.map((f) => ({
      id: f.awardId,
      tenderId: f.tenderId,
      reference: f.reference,
      title: lang === "ar" ? f.titleAr : f.titleEn,
      agency: lang === "ar" ? f.agency.nameAr : f.agency.nameEn,
      amount: moneyText(f.price, f.currency, lang),
      decidedOn: ltr(day(f.decidedAt)),
      flags: f.flags.map((x) => ({
        kind: x.kind,
        name: String(t(`insights.flags.${x.kind}.name`)),
        explanation: String(t(`insights.flags.${x.kind}.explanation`, x.params)),
      })),
    })),
  };
}

export default function SupplierProfilePage({ loaderData: d }: Route.ComponentProps) {
  const { t } = useTranslation();
  return (
    <>
      <title>{d.title}</title>
      <p>
        <Link to="/awards">{t("explore.awards.title")}</Link>
      </p>
      <h1>{d.name}</h1>
      <p>
        {d.facts.verified ? (
          <StatusTag tone="success">{t("explore.supplier.verified")}</StatusTag>
        ) : (
          <StatusTag tone="neutral">{t("explore.supplier.notVerified")}</StatusTag>
        )}
      </p>
      <dl className="facts">
        {d.facts.registrationNumber ? (
          <div>
            <dt>{t("explore.supplier.registration")}</dt>
            <dd>
              <bdi dir="ltr">{d.facts.registrationNumber}</bdi>
            </dd>
          </div>
        ) : null}
        {d.facts.sector ? (
          <div>
            <dt>{t("explore.supplier.sector")}</dt>
            <dd>{d.facts.sector}</dd>
          </div>
        ) : null}
        <div>
          <dt>{t("agencies.country")}</dt>
          <dd>{d.facts.country}</dd>
        </div>
        <div>
          <dt>{t("explore.since")}</dt>
          <dd>
            <bdi dir="ltr">{d.facts.since}</bdi>
          </dd>
        </div>
        {d.facts.verifiedOn ? (
          <div>
            <dt>{t("explore.supplier.verifiedOn")}</dt>
            <dd>
              <bdi dir="ltr">{d.facts.verifiedOn}</bdi>
            </dd>
          </div>
        ) : null}
      </dl>
      <p className="hint">{t("explore.supplier.publicOnly")}</p>

      <section aria-labelledby="totals">
        <h2 id="totals">{t("explore.supplier.totals")}</h2>
        {d.totals.length === 0 ? (
          <p className="hint">{t("explore.supplier.noWins")}</p>
        ) : (
          <>
            <p className="hint">{t("explore.totalsNote")}</p>
            <ul className="explore-totals">
              {d.totals.map((c) => (
                <li key={c.currency}>
                  <strong>{c.amount}</strong> {t("explore.awardsCount", { count: c.awards })}
                </li>
              ))}
            </ul>
            <DataTable
              caption={t("explore.supplier.totals")}
              captionHidden
              rows={d.byYear}
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

      <section aria-labelledby="wins">
        <h2 id="wins">{t("explore.supplier.wins")}</h2>
        {d.wins.rows.length === 0 ? (
          <p className="hint">{t("explore.supplier.noWins")}</p>
        ) : (
          <>
            <AwardTable rows={d.wins.rows} caption={t("explore.supplier.wins")} hide="supplier" />
            {d.wins.total > d.wins.rows.length ? (
              <p>
                <Link to={`/awards?supplier=${d.slug}`}>
                  {t("explore.supplier.allWins", { count: d.wins.total })}
                </Link>
              </p>
            ) : null}
          </>
        )}
      </section>

      <section aria-labelledby="contracts">
        <h2 id="contracts">{t("explore.supplier.contracts")}</h2>
        {d.contracts.length === 0 ? (
          <p className="hint">{t("explore.supplier.noContracts")}</p>
        ) : (
          <DataTable
            caption={t("explore.supplier.contracts")}
            captionHidden
            rows={d.contracts}
            rowKey={(r) => r.id}
            columns={[
              {
                key: "contract",
                header: t("explore.columns.contract"),
                cell: (r) => (
                  <span className="award-cell">
                    <Link to={`/tenders/${r.tenderId}`}>{r.title}</Link>
                    <bdi dir="ltr" className="hint nowrap">
                      {r.reference}
                    </bdi>
                  </span>
                ),
              },
              {
                key: "agency",
                header: t("explore.columns.agency"),
                cell: (r) => <Link to={`/agencies/${r.agency.slug}`}>{r.agency.name}</Link>,
              },
              {
                key: "period",
                header: t("explore.supplier.period"),
                cell: (r) => <bdi dir="ltr">{r.period}</bdi>,
              },
              {
                key: "value",
                header: t("explore.supplier.value"),
                numeric: true,
                cell: (r) => <span className="nowrap">{r.value}</span>,
              },
              {
                key: "paid",
                header: t("explore.supplier.paid"),
                numeric: true,
                cell: (r) => <span className="nowrap">{r.paid}</span>,
              },
              {
                key: "milestones",
                header: t("explore.supplier.milestones"),
                cell: (r) => r.milestones || "–",
              },
            ]}
          />
        )}
      </section>

      <section aria-labelledby="flags">
        <h2 id="flags">{t("explore.supplier.flags")}</h2>
        {d.flagged.length === 0 ? (
          <p className="hint">{t("explore.supplier.noFlags")}</p>
        ) : (
          <>
            <p className="hint">
              {t("insights.redFlagsIntro")}{" "}
              <Link to="/insights/red-flags">{t("insights.redFlagsTitle")}</Link>
            </p>
            <ul className="flag-list">
              {d.flagged.map((a) => (
                <li key={a.id} className="flag-list__item">
                  <h3 className="flag-list__title">
                    <Link to={`/tenders/${a.tenderId}`}>{a.title}</Link>{" "}
                    <bdi dir="ltr" className="nowrap">
                      {a.reference}
                    </bdi>
                  </h3>
                  <p>
                    {t("explore.supplier.flagLine", {
                      agency: a.agency,
                      amount: a.amount,
                      date: a.decidedOn,
                    })}
                  </p>
                  <ul>
                    {a.flags.map((f) => (
                      <li key={f.kind}>
                        <StatusTag tone="warning">{f.name}</StatusTag> {f.explanation}
                      </li>
                    ))}
                  </ul>
                </li>
              ))}
            </ul>
          </>
        )}
      </section>
    </>
  );
}
