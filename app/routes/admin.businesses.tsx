import { Link, useSearchParams } from "react-router";
import { DataTable, EmptyState, StatusTag } from "#app/components/ui.tsx";
import { requireUser } from "#app/modules/accounts/context.server.ts";
import { listBusinessesForReview } from "#app/modules/accounts/review-businesses.server.ts";
import { i18nContext } from "#app/modules/i18n/context.server.ts";
import { useTranslation } from "#app/modules/i18n/use-translation.ts";
import { servicesContext } from "#app/server/context.ts";
import { throwAsResponse } from "#app/utils/responses.server.ts";
import type { Route } from "./+types/admin.businesses";

const STATUSES = ["pending", "verified", "rejected"] as const;

export async function loader({ request, context }: Route.LoaderArgs) {
  const { t } = context.get(i18nContext);
  const { actor } = requireUser(request, context);
  const asked = new URL(request.url).searchParams.get("status");
  const status = STATUSES.find((s) => s === asked) ?? "pending";
  const rows = await listBusinessesForReview(actor, status, context.get(servicesContext).database.db).catch(
    throwAsResponse,
  );
  return {
    title: `${t("review.title")} – ${t("meta.siteName")}`,
    status,
    rows: rows.map((r) => ({ ...r, createdAt: r.createdAt.toISOString() })),
  };
}

export default function AdminBusinesses({ loaderData }: Route.ComponentProps) {
  const { t, i18n } = useTranslation();
  const [search] = useSearchParams();
  const region = new Intl.DisplayNames([i18n.language], { type: "region" });
  return (
    <>
      <title>{loaderData.title}</title>
      <h1>{t("review.title")}</h1>
      <nav className="tabs" aria-label={t("review.title")}>
        {STATUSES.map((s) => (
          <Link key={s} to={`?status=${s}`} aria-current={loaderData.status === s ? "page" : undefined}>
            {t(`review.${s}`)}
          </Link>
        ))}
      </nav>
      {loaderData.rows.length === 0 ? (
        <EmptyState title={t("review.empty")} />
      ) : (
        <DataTable
          caption={t(`review.${loaderData.status}`)}
          rows={loaderData.rows}
          rowKey={(r) => r.id}
          columns={[
            {
              key: "name",
              header: t("agencies.name"),
              cell: (r) => (
                <Link to={`/admin/businesses/${r.id}?${search.toString()}`}>
                  {i18n.language === "ar" ? r.nameAr : r.nameEn}
                </Link>
              ),
            },
            {
              key: "cr",
              header: t("register.registrationNumber"),
              cell: (r) => <span dir="ltr">{r.registrationNumber}</span>,
            },
            { key: "country", header: t("agencies.country"), cell: (r) => region.of(r.country) ?? r.country },
            {
              key: "sector",
              header: t("register.sector"),
              cell: (r) => (r.sector ? t(`sectors.${r.sector}`) : "—"),
            },
            {
              key: "when",
              header: t("review.registered"),
              cell: (r) => <span dir="ltr">{r.createdAt.slice(0, 10)}</span>,
            },
            {
              key: "status",
              header: t("agencies.status"),
              cell: (r) => (
                <StatusTag
                  tone={
                    r.verification === "verified"
                      ? "success"
                      : r.verification === "rejected"
                        ? "danger"
                        : "warning"
                  }
                >
                  {t(`review.${r.verification}`)}
                </StatusTag>
              ),
            },
          ]}
        />
      )}
    </>
  );
}
