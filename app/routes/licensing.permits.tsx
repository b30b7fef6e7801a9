import { Form, Link } from "react-router";
import { PermitStatusTag } from "#app/components/permit.tsx";
import { Button, DataTable, EmptyState, TextField } from "#app/components/ui.tsx";
import { requireUser } from "#app/modules/accounts/context.server.ts";
import { i18nContext } from "#app/modules/i18n/context.server.ts";
import { useTranslation } from "#app/modules/i18n/use-translation.ts";
import { agencyPermits } from "#app/modules/permits/permit-lists.server.ts";
import { pick } from "#app/modules/permits/permit-view.ts";
import { servicesContext } from "#app/server/context.ts";
import { throwAsResponse } from "#app/utils/responses.server.ts";
import type { Route } from "./+types/licensing.permits";

export async function loader({ request, context }: Route.LoaderArgs) {
  const { t, lang } = context.get(i18nContext);
  const { actor } = requireUser(request, context);
  const number = new URL(request.url).searchParams.get("number") ?? "";
  const rows = await agencyPermits(actor, { number }, context.get(servicesContext).database.db).catch(
    throwAsResponse,
  );
  return {
    title: `${t("licensing.permitsTitle")} – ${t("meta.siteName")}`,
    number: number.slice(0, 40),
    permits: rows.map((r) => ({
      id: r.permit.id,
      number: r.permit.number,
      type: pick(lang, r.type.nameAr, r.type.nameEn),
      holder: pick(lang, r.holderNameAr, r.holderNameEn),
      status: r.permit.status,
      validUntil: r.permit.validUntil,
    })),
  };
}

export default function AgencyPermits({ loaderData: d }: Route.ComponentProps) {
  const { t } = useTranslation();
  return (
    <>
      <title>{d.title}</title>
      <p>
        <Link to="/licensing">{t("licensing.queueTitle")}</Link>
      </p>
      <h1>{t("licensing.permitsTitle")}</h1>
      <Form method="get" className="inline-form">
        <TextField name="number" label={t("permits.number")} defaultValue={d.number} dir="ltr" />
        <Button variant="secondary">{t("licensing.find")}</Button>
      </Form>
      {d.permits.length === 0 ? (
        <EmptyState title={t("licensing.noPermits")} />
      ) : (
        <DataTable
          caption={t("licensing.permitsTitle")}
          captionHidden
          rows={d.permits}
          rowKey={(p) => p.id}
          columns={[
            {
              key: "number",
              header: t("permits.number"),
              cell: (p) => (
                <Link to={`/licensing/permits/${p.id}`} dir="ltr">
                  {p.number}
                </Link>
              ),
            },
            { key: "type", header: t("permits.type"), cell: (p) => p.type },
            { key: "holder", header: t("licensing.holder"), cell: (p) => p.holder },
            {
              key: "status",
              header: t("permits.statusLabel"),
              cell: (p) => <PermitStatusTag status={p.status} />,
            },
            {
              key: "until",
              header: t("permits.validUntil"),
              cell: (p) => <span dir="ltr">{p.validUntil}</span>,
            },
          ]}
        />
      )}
    </>
  );
}
