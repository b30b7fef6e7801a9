import { PermitServiceLevelsTable } from "#app/components/permit-service-levels.tsx";
import { DataTable, EmptyState } from "#app/components/ui.tsx";
import { i18nContext } from "#app/modules/i18n/context.server.ts";
import { useTranslation } from "#app/modules/i18n/use-translation.ts";
import { formatMoney } from "#app/modules/ledger/money.ts";
import { loadPlatformKey } from "#app/modules/ledger/platform-key.server.ts";
import { publicRevenue } from "#app/modules/ledger/public-revenue.server.ts";
import { permitServiceLevels } from "#app/modules/permits/service-levels.server.ts";
import { servicesContext } from "#app/server/context.ts";
import type { Route } from "./+types/transparency";

export async function loader({ context }: Route.LoaderArgs) {
  const { t } = context.get(i18nContext);
  const { database, env } = context.get(servicesContext);
  const { revenue, latestCheckpoint } = await publicRevenue(database.db);
  const key = await loadPlatformKey(env);
  const serviceLevels = await permitServiceLevels(database.db);
  return {
    title: `${t("transparency.title")} – ${t("meta.siteName")}`,
    revenue: revenue.map((r) => ({ ...r, received: r.received.toString() })),
    checkpoint: latestCheckpoint
      ? {
          id: latestCheckpoint.id.toString(),
          createdAt: latestCheckpoint.createdAt.toISOString(),
          transactionCount: latestCheckpoint.transactionCount.toString(),
          root: latestCheckpoint.root,
          hash: latestCheckpoint.hash,
          signature: latestCheckpoint.signature,
          keyId: latestCheckpoint.keyId,
        }
      : null,
    publicKeyPem: key.publicKeyPem,
    keyId: key.keyId,
    serviceLevels,
  };
}

export default function Transparency({ loaderData }: Route.ComponentProps) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language === "ar" ? "ar" : "en";
  const c = loaderData.checkpoint;
  return (
    <>
      <title>{loaderData.title}</title>
      <h1>{t("transparency.title")}</h1>
      <p className="lead">{t("transparency.lead")}</p>
      <h2>{t("transparency.revenue")}</h2>
      {loaderData.revenue.length === 0 ? (
        <EmptyState title={t("transparency.noRevenue")} />
      ) : (
        <DataTable
          caption={t("transparency.revenue")}
          rows={loaderData.revenue}
          rowKey={(r) => `${r.agencyId}-${r.feeType}-${r.currency}`}
          columns={[
            {
              key: "agency",
              header: t("agencies.name"),
              cell: (r) => (locale === "ar" ? r.nameAr : r.nameEn),
            },
            { key: "fee", header: t("transparency.feeType"), cell: (r) => t(`fees.${r.feeType ?? "other"}`) },
            {
              key: "received",
              header: t("transparency.received"),
              numeric: true,
              cell: (r) => (
                <span dir="ltr">
                  {formatMoney({ amount: BigInt(r.received), currency: r.currency }, locale)}
                </span>
              ),
            },
          ]}
        />
      )}
      <h2>{t("permitServiceLevels.title")}</h2>
      <p>{t("permitServiceLevels.lead")}</p>
      <PermitServiceLevelsTable rows={loaderData.serviceLevels} />
      <h2>{t("transparency.checkpoint")}</h2>
      <p>{t("transparency.checkpointLead")}</p>
      {c ? (
        <dl className="facts">
          <div>
            <dt>{t("transparency.checkpointNumber")}</dt>
            <dd>#{c.id}</dd>
          </div>
          <div>
            <dt>{t("transparency.closedAt")}</dt>
            <dd dir="ltr">{c.createdAt.replace("T", " ").slice(0, 19)} UTC</dd>
          </div>
          <div>
            <dt>{t("transparency.transactions")}</dt>
            <dd>{c.transactionCount}</dd>
          </div>
          <div>
            <dt>{t("transparency.root")}</dt>
            <dd>
              <code className="digest" dir="ltr">
                {c.root}
              </code>
            </dd>
          </div>
          <div>
            <dt>{t("transparency.signature")}</dt>
            <dd>
              <code className="digest" dir="ltr">
                {c.signature}
              </code>
            </dd>
          </div>
        </dl>
      ) : (
        <EmptyState title={t("transparency.noCheckpoint")} />
      )}
      <h3>{t("transparency.publicKey", { keyId: loaderData.keyId })}</h3>
      <pre className="digest" dir="ltr">
        {loaderData.publicKeyPem}
      </pre>
    </>
  );
}
