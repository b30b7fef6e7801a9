import { data, Form, Link, redirect } from "react-router";
import { z } from "zod";
import { DoneNotice } from "#app/components/evaluation.tsx";
import { Button, DataTable, ErrorSummary, FileField, StatusTag } from "#app/components/ui.tsx";
import { requireUser } from "#app/modules/accounts/context.server.ts";
import { bidderResult } from "#app/modules/awards/award-views.server.ts";
import { sealingKeys } from "#app/modules/bids/sealing-keys.server.ts";
import { myCorrections, submitCorrection } from "#app/modules/evaluations/document-corrections.server.ts";
import { criterionName, ltr, reasonText } from "#app/modules/evaluations/evaluation-view.ts";
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
import { readSmallForm } from "#app/utils/uploads.server.ts";
import type { Route } from "./+types/tenders.$tenderId.result";

const TenderId = z.uuid();

/** A bidder's page after the opening: documents the committee asked to correct, then the result. */
export async function loader({ request, params, context }: Route.LoaderArgs) {
  const { t, lang } = context.get(i18nContext);
  const { actor } = requireUser(request, context);
  const id = TenderId.safeParse(params.tenderId);
  if (!id.success) throw new Response("Not found", { status: 404 });
  const db = context.get(servicesContext).database.db;
  const r = await bidderResult(actor, id.data, db).catch(throwAsResponse);
  const corrections = await myCorrections(actor, r.tender.id, db);
  const zone = r.tender.timeZone;
  const technical = r.criteria.filter((c) => c.kind === "technical");
  return {
    title: `${t("award.resultTitle")} – ${r.tender.reference} – ${t("meta.siteName")}`,
    tenderId: r.tender.id,
    tenderTitle: lang === "ar" ? r.tender.titleAr : r.tender.titleEn,
    evaluationStatus: r.evaluationStatus,
    corrections: corrections.map(({ correction: c, open }) => ({
      id: c.id,
      defect: c.defect,
      due: ltr(formatInZone(c.dueAt, zone)),
      state: c.submittedAt ? "answered" : open ? "open" : "expired",
      answeredAt: c.submittedAt ? ltr(formatInZone(c.submittedAt, zone)) : "",
      docName: c.name ?? "",
      sha256: c.sha256 ?? "",
    })),
    lots: r.lots.map((l) => ({
      lotId: l.lotId,
      title: `${t("evaluation.lot", { number: l.lotNumber })} – ${lang === "ar" ? l.lotTitleAr : l.lotTitleEn}`,
      won: l.won,
      winner: lang === "ar" ? l.winner.nameAr : l.winner.nameEn,
      winnerPrice: ltr(moneyText(l.winner.price, l.winner.currency, lang)),
      winnerTotal: ltr(formatPoints(l.winner.total)),
      standstillEnds: l.standstillEndsAt ? ltr(formatInZone(l.standstillEndsAt, zone)) : "",
      standstillOver: l.standstillOver,
      suspended: l.suspended,
      mine:
        l.mine.kind === "ranked"
          ? {
              kind: "ranked" as const,
              rank: l.mine.entry.rank,
              of: l.mine.of,
              price: moneyText(BigInt(l.mine.entry.price.amount), l.mine.entry.price.currency, lang),
              criteria: l.mine.entry.criteria.map((c) => ({
                key: c.criterionKey,
                name: criterionName(technical, c.criterionKey, lang),
                weight: c.weight,
                score: formatPoints(c.score),
              })),
              technical: formatPoints(l.mine.entry.technical),
              financial: formatPoints(l.mine.entry.financial),
              total: formatPoints(l.mine.entry.total),
            }
          : {
              kind: "excluded" as const,
              price: moneyText(BigInt(l.mine.entry.price.amount), l.mine.entry.price.currency, lang),
              reasons: l.mine.entry.reasons.map((x) => reasonText(x, r.criteria, t, lang)),
            },
    })),
  };
}

export async function action({ request, params, context }: Route.ActionArgs) {
  const { t } = context.get(i18nContext);
  const { actor } = requireUser(request, context);
  const id = TenderId.safeParse(params.tenderId);
  if (!id.success) throw new Response("Not found", { status: 404 });
  const { database, env, files } = context.get(servicesContext);
  let form: FormData;
  try {
    form = await readSmallForm(request, env.UPLOAD_MAX_BYTES);
  } catch (e) {
    if (!isAppError(e)) throw e;
    return data({ errors: formErrorsOf(e, t, "document") }, { status: e.status });
  }
  const correctionId = z.uuid().safeParse(form.get("correctionId"));
  const file = form.get("document");
  if (!correctionId.success || !(file instanceof File) || file.size === 0)
    return data({ errors: { document: t("errors.FILE_EMPTY") } }, { status: 400 });
  try {
    await submitCorrection(
      {
        actor,
        correctionId: correctionId.data,
        upload: { name: file.name, bytes: Buffer.from(await file.arrayBuffer()) },
        ip: clientIp(request),
      },
      { db: database.db, master: (await sealingKeys(env)).master, files, maxBytes: env.UPLOAD_MAX_BYTES },
    );
    return redirect(`/tenders/${id.data}/result?done=correctionSent`);
  } catch (e) {
    if (!isAppError(e)) throw e;
    if (e.code === "NOT_FOUND" || e.code === "UNAUTHENTICATED") throwAsResponse(e);
    return data({ errors: formErrorsOf(e, t, "document") }, { status: e.status });
  }
}

export default function BidResult({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useTranslation();
  const d = loaderData;
  const errors: Record<string, string | undefined> = actionData?.errors ?? {};
  return (
    <>
      <title>{d.title}</title>
      <p>
        <Link to={`/tenders/${d.tenderId}`}>{d.tenderTitle}</Link>
        {" · "}
        <Link to={`/tenders/${d.tenderId}/bid`}>{t("bidding.title")}</Link>
        {d.lots.length > 0 ? (
          <>
            {" · "}
            <Link to={`/tenders/${d.tenderId}/complaints`}>{t("complaints.link")}</Link>
          </>
        ) : null}
      </p>
      <h1>{t("award.resultTitle")}</h1>
      <DoneNotice messages={{ correctionSent: t("award.notices.correctionSent") }} />
      <ErrorSummary errors={errors} />

      {d.corrections.length > 0 ? (
        <>
          <h2>{t("award.correctionsTitle")}</h2>
          <p>{t("award.correctionsLead")}</p>
          {d.corrections.map((c) => (
            <section key={c.id} className="panel">
              <p className="preserve-lines" dir="auto">
                {c.defect}
              </p>
              {c.state === "answered" ? (
                <p>
                  <StatusTag tone="success">{t("award.correctionSent", { at: c.answeredAt })}</StatusTag>{" "}
                  {c.docName}{" "}
                  <code className="digest" dir="ltr">
                    {c.sha256}
                  </code>
                </p>
              ) : c.state === "open" ? (
                <Form method="post" encType="multipart/form-data" className="narrow" noValidate>
                  <input type="hidden" name="correctionId" value={c.id} />
                  <FileField
                    name="document"
                    label={t("award.correctedDocument")}
                    hint={t("award.correctedDocumentHint", { due: c.due })}
                    accept=".pdf,.png,.jpg,.jpeg,.docx,.xlsx"
                    error={errors.document}
                  />
                  <Button>{t("award.sendCorrection")}</Button>
                </Form>
              ) : (
                <p>
                  <StatusTag tone="danger">{t("evaluation.correctionExpired", { due: c.due })}</StatusTag>
                </p>
              )}
            </section>
          ))}
        </>
      ) : null}

      {d.lots.length === 0 ? (
        <p>{d.evaluationStatus === null ? t("award.notYetOpened") : t("award.notYet")}</p>
      ) : (
        d.lots.map((l) => (
          <section key={l.lotId} className="panel" aria-labelledby={`lot-${l.lotId}`}>
            <h2 id={`lot-${l.lotId}`}>
              {l.title}{" "}
              <StatusTag tone={l.won ? "success" : "neutral"}>
                {l.won ? t("award.youWon") : t("award.youDidNotWin")}
              </StatusTag>
            </h2>
            <p>
              {t("award.winnerLine", { winner: l.winner, price: l.winnerPrice, total: l.winnerTotal })}{" "}
              {l.suspended
                ? t("complaints.suspended")
                : l.standstillOver
                  ? t("award.standstillOver")
                  : t("award.standstillUntil", { until: l.standstillEnds })}
            </p>
            <h3>{t("award.yourBid")}</h3>
            {l.mine.kind === "ranked" ? (
              <>
                <p>
                  {t("award.yourRank", { rank: l.mine.rank, of: l.mine.of })} –{" "}
                  <span dir="ltr">{l.mine.price}</span>
                </p>
                <DataTable
                  caption={t("award.yourScores")}
                  captionHidden
                  rows={[
                    ...l.mine.criteria.map((c) => ({
                      key: c.key,
                      name: `${c.name} (${c.weight})`,
                      score: c.score,
                    })),
                    { key: "technical", name: t("evaluation.technical"), score: l.mine.technical },
                    { key: "financial", name: t("evaluation.financial"), score: l.mine.financial },
                    { key: "total", name: t("evaluation.total"), score: l.mine.total },
                  ]}
                  rowKey={(r) => r.key}
                  columns={[
                    { key: "name", header: t("evaluation.criterion"), cell: (r) => r.name },
                    {
                      key: "score",
                      header: t("evaluation.points"),
                      numeric: true,
                      cell: (r) => <span dir="ltr">{r.score}</span>,
                    },
                  ]}
                />
              </>
            ) : (
              <p>
                {t("award.yourBidExcluded")} {l.mine.reasons.join("; ")}
              </p>
            )}
          </section>
        ))
      )}
    </>
  );
}
