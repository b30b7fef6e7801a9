import { data, Form, Link, redirect } from "react-router";
import { z } from "zod";
import { DoneNotice, ExcludedList, ResultTable } from "#app/components/evaluation.tsx";
import { Button, ErrorSummary, StatusTag, TextAreaField } from "#app/components/ui.tsx";
import { requireUser } from "#app/modules/accounts/context.server.ts";
import { awardForApprover } from "#app/modules/awards/award-views.server.ts";
import { approveAward, sendBackAward } from "#app/modules/awards/decide-award.server.ts";
import { ltr, reasonText, resultRows } from "#app/modules/evaluations/evaluation-view.ts";
import { formatPoints } from "#app/modules/evaluations/points.ts";
import { i18nContext } from "#app/modules/i18n/context.server.ts";
import { useTranslation } from "#app/modules/i18n/use-translation.ts";
import { moneyText } from "#app/modules/payments/money-view.ts";
import { servicesContext } from "#app/server/context.ts";
import { isAppError } from "#app/utils/errors.ts";
import { formErrorsOf } from "#app/utils/forms.server.ts";
import { clientIp } from "#app/utils/http.server.ts";
import { throwAsResponse } from "#app/utils/responses.server.ts";
import { formatInZone } from "#app/utils/time-zones.ts";
import type { Route } from "./+types/approvals.awards.$awardId";

const AwardId = z.uuid();

export async function loader({ request, params, context }: Route.LoaderArgs) {
  const { t, lang } = context.get(i18nContext);
  const { actor } = requireUser(request, context);
  const id = AwardId.safeParse(params.awardId);
  if (!id.success) throw new Response("Not found", { status: 404 });
  const a = await awardForApprover(actor, id.data, context.get(servicesContext).database.db).catch(
    throwAsResponse,
  );
  const zone = a.timeZone;
  const criteria = a.snapshot?.criteria ?? [];
  const rows = a.lot && a.snapshot ? resultRows(a.lot.result, a.snapshot.bidders, lang) : null;
  return {
    title: `${t("award.decideTitle")} – ${a.reference} – ${t("meta.siteName")}`,
    id: a.award.id,
    tenderId: a.award.tenderId,
    tender: `${a.reference} – ${lang === "ar" ? a.titleAr : a.titleEn}`,
    lot: `${t("evaluation.lot", { number: a.lotNumber })} – ${lang === "ar" ? a.lotTitleAr : a.lotTitleEn}`,
    bidder: lang === "ar" ? a.bidderAr : a.bidderEn,
    bidId: a.award.bidId,
    price: moneyText(a.award.price, a.award.currency, lang),
    total: formatPoints(a.award.total),
    rank: a.award.rank,
    firstChoice: a.lot?.result.recommendedWinner === a.award.bidId,
    justification: a.award.justification ?? "",
    recommendedBy: a.recommendedByName,
    recommendedAt: ltr(formatInZone(a.award.recommendedAt, zone)),
    status: a.award.status,
    decidedBy: a.decidedByName ?? "",
    decidedAt: a.award.decidedAt ? ltr(formatInZone(a.award.decidedAt, zone)) : "",
    sendBackReason: a.award.sendBackReason ?? "",
    standstillEnds: a.award.standstillEndsAt ? ltr(formatInZone(a.award.standstillEndsAt, zone)) : "",
    standstillDays: a.standstillDays ?? 10,
    mine: a.mine,
    technical: criteria
      .filter((c) => c.kind === "technical")
      .map((c) => ({ key: c.key, name: lang === "ar" ? c.nameAr : c.nameEn, weight: c.weight })),
    ranked: rows?.ranked ?? [],
    excluded: (rows?.excluded ?? []).map((r) => ({
      ...r,
      reasons: r.reasons.map((x) => reasonText(x, criteria, t, lang)),
    })),
  };
}

export async function action({ request, params, context }: Route.ActionArgs) {
  const { t } = context.get(i18nContext);
  const { actor } = requireUser(request, context);
  const id = AwardId.safeParse(params.awardId);
  if (!id.success) throw new Response("Not found", { status: 404 });
  const db = context.get(servicesContext).database.db;
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "");
  const ip = clientIp(request);
  try {
    if (intent === "approve") await approveAward({ actor, awardId: id.data, ip }, db);
    else if (intent === "sendBack")
      await sendBackAward(
        { actor, awardId: id.data, reason: String(form.get("reason") ?? "").slice(0, 4000), ip },
        db,
      );
    else return data({ errors: { form: t("errors.VALIDATION") } }, { status: 400 });
    return redirect(`/approvals/awards/${id.data}?done=${intent === "approve" ? "approved" : "sentBack"}`);
  } catch (e) {
    if (!isAppError(e)) throw e;
    if (e.code === "NOT_FOUND" || e.code === "UNAUTHENTICATED") throwAsResponse(e);
    return data({ errors: formErrorsOf(e, t) }, { status: e.status });
  }
}

export default function DecideAward({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useTranslation();
  const d = loaderData;
  const errors: Record<string, string | undefined> = actionData?.errors ?? {};
  return (
    <>
      <title>{d.title}</title>
      <p>
        <Link to="/approvals">{t("award.queueTitle")}</Link>
      </p>
      <h1>{t("award.decideTitle")}</h1>
      <DoneNotice
        messages={{ approved: t("award.notices.approved"), sentBack: t("award.notices.sentBack") }}
      />
      <ErrorSummary errors={errors} />
      <dl className="facts">
        <dt>{t("evaluation.tender")}</dt>
        <dd>{d.tender}</dd>
        <dt>{t("award.lot")}</dt>
        <dd>{d.lot}</dd>
        <dt>{t("award.bidder")}</dt>
        <dd>{d.bidder}</dd>
        <dt>{t("evaluation.price")}</dt>
        <dd dir="ltr">{d.price}</dd>
        <dt>{t("evaluation.total")}</dt>
        <dd>
          <span dir="ltr">{d.total}</span> ({t("award.rankOf", { rank: d.rank })})
        </dd>
        <dt>{t("award.recommendedByLabel")}</dt>
        <dd>
          <bdi>{d.recommendedBy}</bdi> – <span dir="ltr">{d.recommendedAt}</span>
        </dd>
        <dt>{t("award.statusLabel")}</dt>
        <dd>
          <StatusTag
            tone={d.status === "approved" ? "success" : d.status === "sent_back" ? "warning" : "info"}
          >
            {t(`award.status.${d.status}`)}
          </StatusTag>
        </dd>
      </dl>
      {d.firstChoice ? (
        <p>{t("award.isFirstChoice")}</p>
      ) : (
        <div className="notice notice--warning">
          <p>{t("award.notFirstChoice")}</p>
          <p className="preserve-lines" dir="auto">
            {d.justification}
          </p>
        </div>
      )}

      {d.status === "recommended" ? (
        d.mine ? (
          <div className="notice notice--warning">{t("award.cannotDecideOwn")}</div>
        ) : (
          <div className="pair">
            <Form method="post" className="panel">
              <input type="hidden" name="intent" value="approve" />
              <p>{t("award.approveLead", { count: d.standstillDays })}</p>
              <Button>{t("award.approve")}</Button>
            </Form>
            <Form method="post" className="panel" noValidate>
              <input type="hidden" name="intent" value="sendBack" />
              <TextAreaField
                name="reason"
                label={t("award.sendBackReason")}
                rows={3}
                dir="auto"
                error={errors.reason}
              />
              <Button variant="warning">{t("award.sendBack")}</Button>
            </Form>
          </div>
        )
      ) : d.status === "approved" ? (
        <p>{t("award.approvedBy", { name: d.decidedBy, until: d.standstillEnds })}</p>
      ) : (
        <p>{t("award.sentBackBy", { name: d.decidedBy, reason: d.sendBackReason })}</p>
      )}

      <h2>{t("award.rankingTitle")}</h2>
      <ResultTable caption={d.lot} rows={d.ranked} technical={d.technical} highlight={d.bidId} />
      <ExcludedList rows={d.excluded} />
    </>
  );
}
