import { Link } from "react-router";
import { ButtonLink } from "#app/components/ui.tsx";
import { platformStats } from "#app/modules/discovery/platform-stats.server.ts";
import { i18nContext } from "#app/modules/i18n/context.server.ts";
import { useTranslation } from "#app/modules/i18n/use-translation.ts";
import { servicesContext } from "#app/server/context.ts";
import type { Route } from "./+types/home";

export async function loader({ context }: Route.LoaderArgs) {
  const { t } = context.get(i18nContext);
  const stats = await platformStats(context.get(servicesContext).database.db);
  return { title: `${t("meta.siteName")} – ${t("meta.tagline")}`, ...stats };
}

export default function Home({ loaderData }: Route.ComponentProps) {
  const { t, i18n } = useTranslation();
  const { agencyCount, businessCount, agencies } = loaderData;
  const audiences = [
    { key: "business", to: "/register" },
    { key: "officer", to: "/login" },
    { key: "investor", to: "/agencies" },
  ] as const;
  return (
    <>
      <title>{loaderData.title}</title>
      <meta name="description" content={t("home.lead")} />
      <section className="hero">
        <h1 className="hero__title">{t("home.title")}</h1>
        <p className="hero__lead">{t("home.lead")}</p>
        <div className="hero__actions">
          <ButtonLink to="/agencies">{t("home.investor.link")}</ButtonLink>
          <ButtonLink to="/register" variant="secondary">
            {t("home.ctaRegister")}
          </ButtonLink>
        </div>
        <ul className="stats" aria-label={t("home.agenciesTitle")}>
          <li>{t("home.stats.agencies", { count: agencyCount })}</li>
          <li>{t("home.stats.businesses", { count: businessCount })}</li>
        </ul>
      </section>

      <section aria-labelledby="audiences">
        <h2 id="audiences">{t("home.audiences")}</h2>
        <div className="cards">
          {audiences.map(({ key, to }) => (
            <article className="card" key={key}>
              <h3 className="card__title">{t(`home.${key}.title`)}</h3>
              <p>{t(`home.${key}.body`)}</p>
              <Link to={to} className="card__link">
                {t(`home.${key}.link`)}
              </Link>
            </article>
          ))}
        </div>
      </section>

      <section aria-labelledby="principles" className="principles">
        <h2 id="principles">{t("home.principles")}</h2>
        <ul>
          <li>{t("home.sealed")}</li>
          <li>{t("home.ledger")}</li>
          <li>{t("home.open")}</li>
        </ul>
      </section>

      {agencies.length > 0 ? (
        <section aria-labelledby="agencies">
          <h2 id="agencies">{t("home.agenciesTitle")}</h2>
          <ul className="agency-list">
            {agencies.map((a) => (
              <li key={a.slug}>
                <span>{i18n.language === "ar" ? a.nameAr : a.nameEn}</span>
              </li>
            ))}
          </ul>
          <p>
            <Link to="/agencies">{t("home.investor.link")}</Link>
          </p>
        </section>
      ) : null}
    </>
  );
}
