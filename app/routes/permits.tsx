import { Link } from "react-router";
import { PermitTypeFacts } from "#app/components/permit-catalogue.tsx";
import { ButtonLink, EmptyState } from "#app/components/ui.tsx";
import { i18nContext } from "#app/modules/i18n/context.server.ts";
import { useTranslation } from "#app/modules/i18n/use-translation.ts";
import { listPublicPermitTypes } from "#app/modules/permits/permit-catalogue.server.ts";
import { type PermitTypeView, permitTypeView } from "#app/modules/permits/permit-type-view.ts";
import { servicesContext } from "#app/server/context.ts";
import type { Route } from "./+types/permits";

export async function loader({ context }: Route.LoaderArgs) {
  const { t, lang } = context.get(i18nContext);
  const entries = await listPublicPermitTypes(context.get(servicesContext).database.db);
  const groups: Array<{ agencyId: string; agency: string; types: PermitTypeView[] }> = [];
  for (const entry of entries) {
    const view = permitTypeView(entry, lang);
    const group = groups.find((g) => g.agencyId === view.agencyId);
    if (group) group.types.push(view);
    else groups.push({ agencyId: view.agencyId, agency: view.agency, types: [view] });
  }
  return { title: `${t("permitCatalogue.title")} – ${t("meta.siteName")}`, groups };
}

export default function PermitCatalogue({ loaderData }: Route.ComponentProps) {
  const { t } = useTranslation();
  const d = loaderData;
  return (
    <>
      <title>{d.title}</title>
      <h1>{t("permitCatalogue.title")}</h1>
      <p className="lead">{t("permitCatalogue.lead")}</p>
      {d.groups.length === 0 ? (
        <EmptyState title={t("permitCatalogue.none")} />
      ) : (
        <>
          <nav aria-label={t("permitCatalogue.agencies")}>
            <ul className="permit-agencies">
              {d.groups.map((g) => (
                <li key={g.agencyId}>
                  <a href={`#agency-${g.agencyId}`}>{g.agency}</a>{" "}
                  <small>({t("permitCatalogue.typesCount", { count: g.types.length })})</small>
                </li>
              ))}
            </ul>
          </nav>
          {d.groups.map((g) => (
            <section key={g.agencyId} aria-labelledby={`agency-${g.agencyId}`}>
              <h2 id={`agency-${g.agencyId}`}>{g.agency}</h2>
              <div className="permit-list">
                {g.types.map((type) => (
                  <article key={type.id} className="permit-card" aria-labelledby={`type-${type.id}`}>
                    <h3 id={`type-${type.id}`}>
                      <Link to={`/permits/types/${type.id}`}>{type.name}</Link>
                    </h3>
                    {type.summary ? <p className="permit-card__summary">{type.summary}</p> : null}
                    <PermitTypeFacts type={type} />
                    <p className="button-row">
                      <ButtonLink to={`/permits/apply/${type.id}`}>{t("permitCatalogue.apply")}</ButtonLink>
                      <ButtonLink to={`/permits/types/${type.id}`} variant="secondary">
                        {t("permitCatalogue.details")}
                      </ButtonLink>
                    </p>
                  </article>
                ))}
              </div>
            </section>
          ))}
        </>
      )}
    </>
  );
}
