import { DataTable, EmptyState } from "#app/components/ui.tsx";
import { useTranslation } from "#app/modules/i18n/use-translation.ts";
import type { PermitServiceLevel } from "#app/modules/permits/service-levels.server.ts";

/**
 * How fast permits are decided, per agency and permit type (from
 * `permitServiceLevels`): the transparency page shows every agency, an
 * agency's profile its own (`showAgency={false}`).
 */
export function PermitServiceLevelsTable({
  rows,
  showAgency = true,
}: {
  rows: PermitServiceLevel[];
  showAgency?: boolean;
}) {
  const { t, i18n } = useTranslation();
  const ar = i18n.language === "ar";
  if (rows.length === 0) return <EmptyState title={t("permitServiceLevels.none")} />;
  // Western digits in both languages, as everywhere else on the site; the same on server and browser.
  const locale = ar ? "ar-u-nu-latn" : "en-GB";
  const oneDecimal = new Intl.NumberFormat(locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  const percent = new Intl.NumberFormat(locale, {
    style: "percent",
    minimumFractionDigits: 0,
    maximumFractionDigits: 1,
  });
  const whole = new Intl.NumberFormat(locale);
  const dash = <span aria-hidden="true">–</span>;
  const name = (n: { nameAr: string; nameEn: string }) => (ar ? n.nameAr : n.nameEn);
  return (
    <DataTable
      caption={t("permitServiceLevels.caption")}
      captionHidden
      rows={rows}
      rowKey={(r) => r.permitType.id}
      columns={[
        ...(showAgency
          ? [
              {
                key: "agency",
                header: t("permitServiceLevels.agency"),
                cell: (r: PermitServiceLevel) => name(r.agency),
              },
            ]
          : []),
        { key: "type", header: t("permitServiceLevels.permitType"), cell: (r) => name(r.permitType) },
        {
          key: "target",
          header: t("permitServiceLevels.target"),
          numeric: true,
          cell: (r) => whole.format(r.permitType.serviceLevelDays),
        },
        {
          key: "decided",
          header: t("permitServiceLevels.decided"),
          numeric: true,
          cell: (r) => whole.format(r.decided),
        },
        {
          key: "median",
          header: t("permitServiceLevels.medianDays"),
          numeric: true,
          cell: (r) => (r.medianDaysToDecision === null ? dash : oneDecimal.format(r.medianDaysToDecision)),
        },
        {
          key: "onTime",
          header: t("permitServiceLevels.onTime"),
          numeric: true,
          cell: (r) => (r.onTimePercent === null ? dash : percent.format(r.onTimePercent / 100)),
        },
        {
          key: "open",
          header: t("permitServiceLevels.open"),
          numeric: true,
          cell: (r) => whole.format(r.open),
        },
      ]}
    />
  );
}
