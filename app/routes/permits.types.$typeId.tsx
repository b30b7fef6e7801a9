import { Link } from "react-router";
import { PermitTypeFacts } from "#app/components/permit-catalogue.tsx";
import { ButtonLink, DataTable } from "#app/components/ui.tsx";
import { i18nContext } from "#app/modules/i18n/context.server.ts";
import { useTranslation } from "#app/modules/i18n/use-translation.ts";
import { publicPermitType } from "#app/modules/permits/permit-catalogue.server.ts";
import { permitTypeView } from "#app/modules/permits/permit-type-view.ts";
import { servicesContext } from "#app/server/context.ts";
import { throwAsResponse } from "#app/utils/responses.server.ts";
import type { Route } from "./+types/permits.types.$typeId";

export async function loader({ params, context }: Route.LoaderArgs) {
  const { t, lang } = context.get(i18nContext);
  const entry = await publicPermitType(params.typeId, context.get(servicesContext).database.db).catch(
    throwAsResponse,
  );
  const type = permitTypeView(entry, lang);
  return { title: `${type.name} – ${t("meta.siteName")}`, type };
}

export default function PermitTypePage({ loaderData }: Route.ComponentProps) {
  const { t } = useTranslation();
  const { type } = loaderData;
  /** What the applicant may type, in words: "up to 200 characters", "from 1 to 10000", "format: ^…$". */
  const rule = (f: (typeof type.fields)[number]) => {
    const parts: string[] = [];
    const text = f.type === "text" || f.type === "textarea";
    if (f.min !== null && f.max !== null)
      parts.push(t(text ? "permitCatalogue.lengthBetween" : "permitCatalogue.valueBetween", f));
    else if (f.max !== null)
      parts.push(t(text ? "permitCatalogue.lengthAtMost" : "permitCatalogue.valueAtMost", f));
    else if (f.min !== null)
      parts.push(t(text ? "permitCatalogue.lengthAtLeast" : "permitCatalogue.valueAtLeast", f));
    if (f.options.length) parts.push(f.options.join(t("permitCatalogue.listSeparator")));
    const joined = parts.join(" · ");
    if (!f.pattern) return joined || "—";
    return (
      <>
        {joined ? `${joined} · ` : null}
        {t("permitCatalogue.format")} <code dir="ltr">{f.pattern}</code>
      </>
    );
  };
  return (
    <>
      <title>{loaderData.title}</title>
      <p>
        <Link to="/permits">{t("permitCatalogue.title")}</Link>
      </p>
      <h1>{type.name}</h1>
      <p className="lead">
        {type.otherName} · <code dir="ltr">{type.code}</code>
      </p>
      {type.description ? <p className="preserve-lines prose">{type.description}</p> : null}
      <p className="button-row">
        <ButtonLink to={`/permits/apply/${type.id}`}>{t("permitCatalogue.apply")}</ButtonLink>
      </p>
      <PermitTypeFacts type={type} full />

      <h2>{t("permitCatalogue.formFields")}</h2>
      {type.fields.length === 0 ? (
        <p>{t("permitCatalogue.noFields")}</p>
      ) : (
        <DataTable
          caption={t("permitCatalogue.formFields")}
          captionHidden
          rows={type.fields}
          rowKey={(f) => f.key}
          columns={[
            { key: "label", header: t("permitCatalogue.fieldLabel"), cell: (f) => f.label },
            {
              key: "type",
              header: t("permitCatalogue.typeLabel"),
              cell: (f) => t(`permitCatalogue.fieldTypes.${f.type}`),
            },
            {
              key: "required",
              header: t("permitCatalogue.requiredLabel"),
              cell: (f) => (f.required ? t("permitCatalogue.yes") : t("permitCatalogue.no")),
            },
            { key: "rule", header: t("permitCatalogue.fieldRule"), cell: rule },
          ]}
        />
      )}

      {type.checklist.length > 0 ? (
        <>
          <h2>{t("permitCatalogue.officerChecks")}</h2>
          <ul className="documents">
            {type.checklist.map((item, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: the list is fixed for the page
              <li key={i}>{item}</li>
            ))}
          </ul>
        </>
      ) : null}
    </>
  );
}
