import { Link } from "react-router";
import { DataTable, EmptyState, StatusTag } from "#app/components/ui.tsx";
import { requireUser } from "#app/modules/accounts/context.server.ts";
import { myEvaluations } from "#app/modules/evaluations/committee-views.server.ts";
import { i18nContext } from "#app/modules/i18n/context.server.ts";
import { useTranslation } from "#app/modules/i18n/use-translation.ts";
import { servicesContext } from "#app/server/context.ts";
import { throwAsResponse } from "#app/utils/responses.server.ts";
import type { Route } from "./+types/evaluations";

export async function loader({ request, context }: Route.LoaderArgs) {
  const { t, lang } = context.get(i18nContext);
  const { actor } = requireUser(request, context);
  const rows = await myEvaluations(actor, context.get(servicesContext).database.db).catch(throwAsResponse);
  return {
    title: `${t("evaluation.myTitle")} – ${t("meta.siteName")}`,
    rows: rows.map((r) => ({
      tenderId: r.tenderId,
      reference: r.reference,
      title: lang === "ar" ? r.titleAr : r.titleEn,
      chair: r.chair,
      step:
        r.evaluationStatus === "closed"
          ? "closed"
          : r.memberStatus !== "active"
            ? r.memberStatus
            : !r.declared
              ? "declare"
              : r.scoresSubmittedAt
                ? "submitted"
                : "score",
    })),
  };
}

export default function MyEvaluations({ loaderData }: Route.ComponentProps) {
  const { t } = useTranslation();
  const d = loaderData;
  return (
    <>
      <title>{d.title}</title>
      <h1>{t("evaluation.myTitle")}</h1>
      <p className="lead">{t("evaluation.myLead")}</p>
      {d.rows.length === 0 ? (
        <EmptyState title={t("evaluation.myEmpty")} />
      ) : (
        <DataTable
          caption={t("evaluation.myTitle")}
          captionHidden
          rows={d.rows}
          rowKey={(r) => r.tenderId}
          columns={[
            {
              key: "reference",
              header: t("evaluation.reference"),
              cell: (r) => <span dir="ltr">{r.reference}</span>,
            },
            {
              key: "title",
              header: t("evaluation.tender"),
              cell: (r) => (
                <>
                  <Link to={`/evaluations/${r.tenderId}`}>{r.title}</Link>{" "}
                  {r.chair ? <StatusTag tone="info">{t("evaluation.chairTag")}</StatusTag> : null}
                </>
              ),
            },
            {
              key: "step",
              header: t("evaluation.step"),
              cell: (r) => (
                <StatusTag
                  tone={
                    r.step === "closed" || r.step === "submitted"
                      ? "success"
                      : r.step === "conflicted"
                        ? "danger"
                        : "warning"
                  }
                >
                  {t(`evaluation.steps.${r.step as "declare"}`)}
                </StatusTag>
              ),
            },
          ]}
        />
      )}
    </>
  );
}
