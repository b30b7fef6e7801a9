import { Link } from "react-router";
import { DataTable, StatusTag, type Tone } from "#app/components/ui.tsx";
import type { AwardRowView } from "#app/modules/explore/explore-view.ts";
import { useTranslation } from "#app/modules/i18n/use-translation.ts";

const TONES: Record<AwardRowView["state"], Tone> = {
  standstill: "info",
  final: "success",
  suspended: "warning",
  contracted: "success",
};

/**
 * Public awards as a table (a labelled card per award on a phone): the award
 * explorer shows every column, an agency's profile leaves out the agency, a
 * supplier's profile the supplier.
 */
export function AwardTable({
  rows,
  caption,
  captionHidden = true,
  hide,
}: {
  rows: AwardRowView[];
  caption: string;
  captionHidden?: boolean;
  hide?: "agency" | "supplier";
}) {
  const { t } = useTranslation();
  return (
    <DataTable
      caption={caption}
      captionHidden={captionHidden}
      rows={rows}
      rowKey={(r) => r.id}
      columns={[
        {
          key: "date",
          header: t("explore.columns.decided"),
          cell: (r) => (
            <span dir="ltr" className="nowrap">
              {r.decidedOn}
            </span>
          ),
        },
        {
          key: "tender",
          header: t("explore.columns.tender"),
          cell: (r) => (
            <span className="award-cell">
              <Link to={`/tenders/${r.tenderId}`}>{r.title}</Link>
              <span className="hint">
                <bdi dir="ltr" className="nowrap">
                  {r.reference}
                </bdi>
                {r.lot ? <> · {r.lot}</> : null}
              </span>
            </span>
          ),
        },
        ...(hide === "agency"
          ? []
          : [
              {
                key: "agency",
                header: t("explore.columns.agency"),
                cell: (r: AwardRowView) => <Link to={`/agencies/${r.agency.slug}`}>{r.agency.name}</Link>,
              },
            ]),
        ...(hide === "supplier"
          ? []
          : [
              {
                key: "supplier",
                header: t("explore.columns.supplier"),
                cell: (r: AwardRowView) => (
                  <Link to={`/suppliers/${r.supplier.slug}`}>{r.supplier.name}</Link>
                ),
              },
            ]),
        {
          key: "amount",
          header: t("explore.columns.amount"),
          numeric: true,
          cell: (r) => <span className="nowrap">{r.amount}</span>,
        },
        {
          key: "state",
          header: t("explore.columns.status"),
          cell: (r) => <StatusTag tone={TONES[r.state]}>{r.stateText}</StatusTag>,
        },
        {
          key: "contract",
          header: t("explore.columns.contract"),
          cell: (r) =>
            r.contract ? (
              <span className="award-cell">
                <bdi dir="ltr" className="nowrap">
                  {r.contract.reference}
                </bdi>
                <span>{t("explore.contract.value", { amount: r.contract.value })}</span>
                <span>{t("explore.contract.paid", { amount: r.contract.paid })}</span>
                {r.contract.milestones ? <span className="hint">{r.contract.milestones}</span> : null}
              </span>
            ) : (
              <span className="hint">{t("explore.contract.none")}</span>
            ),
        },
      ]}
    />
  );
}
