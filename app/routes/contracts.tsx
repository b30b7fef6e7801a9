import { Link } from "react-router";
import { ContractStatusTag } from "#app/components/contract.tsx";
import { DataTable, EmptyState } from "#app/components/ui.tsx";
import { requireUser } from "#app/modules/accounts/context.server.ts";
import { myContracts } from "#app/modules/contracts/contract-views.server.ts";
import { i18nContext } from "#app/modules/i18n/context.server.ts";
import { useTranslation } from "#app/modules/i18n/use-translation.ts";
import { moneyText } from "#app/modules/payments/money-view.ts";
import { servicesContext } from "#app/server/context.ts";
import { throwAsResponse } from "#app/utils/responses.server.ts";
import type { Route } from "./+types/contracts";

/** The contracts of the organisation one acts for: a supplier's, or an agency's. */
export async function loader({ request, context }: Route.LoaderArgs) {
  const { t, lang } = context.get(i18nContext);
  const { actor } = requireUser(request, context);
  const mine = await myContracts(actor, context.get(servicesContext).database.db).catch(throwAsResponse);
  const money = (amount: bigint, currency: string) => `\u2066${moneyText(amount, currency, lang)}\u2069`;
  return {
    title: `${t("contracts.title")} – ${t("meta.siteName")}`,
    side: mine.side,
    rows: mine.rows.map((r) => ({
      id: r.contract.id,
      href:
        mine.side === "supplier"
          ? `/contracts/${r.contract.id}`
          : `/tenders/manage/${r.contract.tenderId}/contract`,
      reference: r.contract.reference,
      tender: lang === "ar" ? r.tender.titleAr : r.tender.titleEn,
      party:
        mine.side === "supplier"
          ? lang === "ar"
            ? r.agency.nameAr
            : r.agency.nameEn
          : lang === "ar"
            ? r.supplier.nameAr
            : r.supplier.nameEn,
      value: money(r.contract.value, r.contract.currency),
      paid: money(r.books.paid, r.contract.currency),
      status: r.contract.status,
    })),
  };
}

export default function Contracts({ loaderData: d }: Route.ComponentProps) {
  const { t } = useTranslation();
  return (
    <>
      <title>{d.title}</title>
      <h1>{t("contracts.title")}</h1>
      <p className="lead">
        {d.side === "supplier" ? t("contracts.listLeadSupplier") : t("contracts.listLeadAgency")}
      </p>
      {d.rows.length === 0 ? (
        <EmptyState title={t("contracts.none")} />
      ) : (
        <DataTable
          caption={t("contracts.title")}
          captionHidden
          columns={[
            {
              key: "reference",
              header: t("contracts.reference"),
              cell: (r) => (
                <Link to={r.href} dir="ltr">
                  {r.reference}
                </Link>
              ),
            },
            { key: "tender", header: t("contracts.tender"), cell: (r) => r.tender },
            {
              key: "party",
              header: d.side === "supplier" ? t("contracts.agency") : t("contracts.supplier"),
              cell: (r) => r.party,
            },
            { key: "value", header: t("contracts.value"), cell: (r) => r.value, numeric: true },
            { key: "paid", header: t("contracts.paidToDate"), cell: (r) => r.paid, numeric: true },
            {
              key: "status",
              header: t("contracts.statusLabel"),
              cell: (r) => <ContractStatusTag status={r.status} />,
            },
          ]}
          rows={d.rows}
          rowKey={(r) => r.id}
        />
      )}
    </>
  );
}
