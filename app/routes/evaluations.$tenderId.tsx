import { data, Form, Link, redirect, useSearchParams } from "react-router";
import { z } from "zod";
import { DoneNotice } from "#app/components/evaluation.tsx";
import { Button, DataTable, ErrorSummary, StatusTag, TextAreaField, TextField } from "#app/components/ui.tsx";
import { requireUser } from "#app/modules/accounts/context.server.ts";
import { sealingKeys } from "#app/modules/bids/sealing-keys.server.ts";
import { committeeBids, evaluationForMember } from "#app/modules/evaluations/committee-views.server.ts";
import { declareConflicts } from "#app/modules/evaluations/declare-conflicts.server.ts";
import { disqualificationOf } from "#app/modules/evaluations/evaluation-inputs.server.ts";
import { disqualificationText } from "#app/modules/evaluations/evaluation-view.ts";
import { formatPoints } from "#app/modules/evaluations/points.ts";
import { saveScores, submitScores, visibleScores } from "#app/modules/evaluations/score-bids.server.ts";
import { i18nContext } from "#app/modules/i18n/context.server.ts";
import { useTranslation } from "#app/modules/i18n/use-translation.ts";
import { moneyText } from "#app/modules/payments/money-view.ts";
import { servicesContext } from "#app/server/context.ts";
import { isAppError } from "#app/utils/errors.ts";
import { formErrorsOf } from "#app/utils/forms.server.ts";
import { clientIp } from "#app/utils/http.server.ts";
import { throwAsResponse } from "#app/utils/responses.server.ts";
import type { Route } from "./+types/evaluations.$tenderId";

const TenderId = z.uuid();

export async function loader({ request, params, context }: Route.LoaderArgs) {
  const { t, lang } = context.get(i18nContext);
  const { actor } = requireUser(request, context);
  const id = TenderId.safeParse(params.tenderId);
  if (!id.success) throw new Response("Not found", { status: 404 });
  const { database, env } = context.get(servicesContext);
  const db = database.db;
  const v = await evaluationForMember(actor, id.data, db).catch(throwAsResponse);
  const { tender } = v;
  const name = (x: { nameAr: string; nameEn: string }) => (lang === "ar" ? x.nameAr : x.nameEn);
  const technical = tender.criteria
    .filter((c) => c.kind === "technical")
    .map((c) => ({ key: c.key, name: name(c), weight: c.weight }));
  const base = {
    title: `${t("evaluation.title")} – ${tender.reference} – ${t("meta.siteName")}`,
    tenderId: tender.id,
    tenderTitle: name({ nameAr: tender.titleAr, nameEn: tender.titleEn }),
    reference: tender.reference,
    memberStatus: v.member.status,
    evaluationStatus: v.evaluation.status,
    isChair: v.isChair,
    declared: v.declarations.length > 0,
    bidders: v.record.map((e) => ({
      bidId: e.bidId,
      name: lang === "ar" ? e.businessNameAr : e.businessNameEn,
    })),
    technical,
    submitted: Boolean(v.member.scoresSubmittedAt),
  };
  if (!v.cleared || v.member.status !== "active") return { ...base, bids: [], others: [] };

  const seen = await committeeBids(
    { actor, tenderId: tender.id, ip: clientIp(request) },
    { db, master: (await sealingKeys(env)).master },
  ).catch(throwAsResponse);
  const qualifications = await db.query.bidQualifications.findMany({
    where: (q, { eq }) => eq(q.tenderId, tender.id),
  });
  const scores = await visibleScores(actor, tender.id, db);
  const mine = new Map(
    scores.filter((s) => s.evaluatorId === actor.userId).map((s) => [`${s.bidId}:${s.criterionKey}`, s]),
  );
  const lots = new Map(
    (await db.query.tenderLots.findMany({ where: (l, { eq }) => eq(l.tenderId, tender.id) })).map((l) => [
      l.id,
      l,
    ]),
  );
  return {
    ...base,
    bids: seen.bids.map(({ entry, content, corrections }) => {
      const q = qualifications.find((x) => x.bidId === entry.bidId);
      const reason = q ? disqualificationOf(q, tender) : null;
      const excluded = q ? Boolean(reason) || Object.values(q.checks).includes(false) : false;
      return {
        bidId: entry.bidId,
        bidder: lang === "ar" ? entry.businessNameAr : entry.businessNameEn,
        receivedAt: entry.receivedAt,
        prices: content.lots.map((l) => {
          const lot = lots.get(l.lotId);
          return {
            lotId: l.lotId,
            lot: lot
              ? `${t("evaluation.lot", { number: lot.number })} – ${name({ nameAr: lot.titleAr, nameEn: lot.titleEn })}`
              : "",
            price: moneyText(BigInt(l.price), tender.currency, lang),
          };
        }),
        responses: tender.criteria
          .filter((c) => c.kind !== "financial")
          .map((c) => ({ key: c.key, name: name(c), text: content.responses[c.key] ?? "" })),
        documents: (content.documents ?? []).map((doc) => ({
          docId: doc.docId,
          name: doc.name,
          href: `/evaluations/${tender.id}/bids/${entry.bidId}/documents/${doc.docId}`,
        })),
        corrections: corrections
          .filter((c) => c.correction.submittedAt)
          .map(({ correction: c }) => ({
            id: c.id,
            name: c.name ?? "",
            href: `/evaluations/${tender.id}/corrections/${c.id}`,
          })),
        qualification: q ? (excluded ? "excluded" : "qualified") : "pending",
        reason: reason ? disqualificationText(reason, t) : "",
        scorable: !excluded,
        mine: Object.fromEntries(
          technical.map((c) => {
            const s = mine.get(`${entry.bidId}:${c.key}`);
            return [c.key, { points: s ? formatPoints(s.score) : "", note: s?.note ?? "" }];
          }),
        ),
      };
    }),
    others: scores
      .filter((s) => s.evaluatorId !== actor.userId)
      .map((s) => ({
        key: `${s.evaluatorId}:${s.bidId}:${s.criterionKey}`,
        evaluator: s.evaluatorName,
        bidder: base.bidders.find((b) => b.bidId === s.bidId)?.name ?? "",
        criterion: technical.find((c) => c.key === s.criterionKey)?.name ?? s.criterionKey,
        score: formatPoints(s.score),
      })),
  };
}

export async function action({ request, params, context }: Route.ActionArgs) {
  const { t } = context.get(i18nContext);
  const { actor } = requireUser(request, context);
  const id = TenderId.safeParse(params.tenderId);
  if (!id.success) throw new Response("Not found", { status: 404 });
  const db = context.get(servicesContext).database.db;
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "");
  const ip = clientIp(request);
  const tenderId = id.data;
  try {
    if (intent === "declare") {
      const declarations = [];
      for (const [key, value] of form) {
        if (!key.startsWith("declare-") || typeof value !== "string") continue;
        const bidId = key.slice(8);
        if (!z.uuid().safeParse(bidId).success || (value !== "none" && value !== "conflict"))
          return data({ errors: { form: t("errors.VALIDATION") } }, { status: 400 });
        declarations.push({
          bidId,
          conflict: value === "conflict",
          note: String(form.get(`note-${bidId}`) ?? ""),
        });
      }
      const { conflicted } = await declareConflicts({ actor, tenderId, declarations, ip }, db);
      return redirect(`/evaluations/${tenderId}?done=${conflicted ? "conflicted" : "declared"}`);
    }
    if (intent === "save" || intent === "submit") {
      const scores = [];
      for (const [key, value] of form) {
        const m = /^score-([0-9a-f-]{36})-(c\d{1,3})$/.exec(key);
        if (!m || typeof value !== "string") continue;
        if (!z.uuid().safeParse(m[1]).success)
          return data({ errors: { form: t("errors.VALIDATION") } }, { status: 400 });
        scores.push({
          bidId: m[1]!,
          criterionKey: m[2]!,
          points: value.slice(0, 20),
          note: String(form.get(`note-${m[1]}-${m[2]}`) ?? "").slice(0, 2000),
        });
      }
      await saveScores({ actor, tenderId, scores, ip }, db);
      if (intent === "submit") await submitScores({ actor, tenderId, ip }, db);
      return redirect(`/evaluations/${tenderId}?done=${intent === "submit" ? "submitted" : "saved"}`);
    }
    return data({ errors: { form: t("errors.VALIDATION") } }, { status: 400 });
  } catch (e) {
    if (!isAppError(e)) throw e;
    if (e.code === "NOT_FOUND" || e.code === "UNAUTHENTICATED") throwAsResponse(e);
    return data({ errors: formErrorsOf(e, t) }, { status: e.status });
  }
}

export default function MemberEvaluation({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useTranslation();
  const d = loaderData;
  const errors: Record<string, string | undefined> = actionData?.errors ?? {};
  const canScore = d.memberStatus === "active" && d.evaluationStatus === "in_progress" && !d.submitted;
  // Just submitted: the notice above already says so.
  const [search] = useSearchParams();
  const lead = d.submitted
    ? search.get("done") === "submitted"
      ? null
      : t("evaluation.submittedLead")
    : t("evaluation.scoreLead");
  return (
    <>
      <title>{d.title}</title>
      <p>
        <Link to="/evaluations">{t("evaluation.myTitle")}</Link>
        {d.isChair ? (
          <>
            {" · "}
            <Link to={`/tenders/manage/${d.tenderId}/evaluation`}>{t("evaluation.chairPage")}</Link>
          </>
        ) : null}
      </p>
      <h1>{d.tenderTitle}</h1>
      <p>
        {d.reference}{" "}
        <StatusTag tone={d.evaluationStatus === "closed" ? "success" : "info"}>
          {t(`evaluation.status.${d.evaluationStatus}`)}
        </StatusTag>
      </p>
      <DoneNotice
        messages={{
          declared: t("evaluation.notices.declared"),
          conflicted: t("evaluation.notices.conflicted"),
          saved: t("evaluation.notices.scoresSaved"),
          submitted: t("evaluation.notices.scoresSubmitted"),
        }}
      />
      <ErrorSummary errors={errors} />

      {d.memberStatus === "conflicted" ? (
        <div className="notice notice--warning">{t("evaluation.youConflicted")}</div>
      ) : d.memberStatus === "removed" ? (
        <div className="notice notice--warning">{t("evaluation.youRemoved")}</div>
      ) : !d.declared ? (
        <>
          <h2>{t("evaluation.declareTitle")}</h2>
          <p className="lead">{t("evaluation.declareLead")}</p>
          <Form method="post" noValidate>
            <input type="hidden" name="intent" value="declare" />
            {d.bidders.map((b) => (
              <fieldset key={b.bidId} className="fieldset">
                <legend>{b.name}</legend>
                {(["none", "conflict"] as const).map((v) => (
                  <div key={v} className="checkbox">
                    <input
                      type="radio"
                      id={`declare-${b.bidId}-${v}`}
                      name={`declare-${b.bidId}`}
                      value={v}
                    />
                    <label htmlFor={`declare-${b.bidId}-${v}`}>{t(`evaluation.declare.${v}`)}</label>
                  </div>
                ))}
                <TextAreaField
                  name={`note-${b.bidId}`}
                  label={t("evaluation.conflictNote")}
                  hint={t("evaluation.conflictNoteHint")}
                  rows={2}
                  dir="auto"
                  error={errors[`note-${b.bidId}`]}
                />
              </fieldset>
            ))}
            <Button>{t("evaluation.declareSubmit")}</Button>
          </Form>
        </>
      ) : (
        <>
          {lead ? <p className="lead">{lead}</p> : null}
          <Form method="post" noValidate>
            {d.bids.map((b) => (
              <section key={b.bidId} className="panel" aria-labelledby={`bid-${b.bidId}`}>
                <h2 id={`bid-${b.bidId}`}>
                  {b.bidder}{" "}
                  <StatusTag
                    tone={
                      b.qualification === "excluded"
                        ? "danger"
                        : b.qualification === "qualified"
                          ? "success"
                          : "neutral"
                    }
                  >
                    {t(`evaluation.qualificationState.${b.qualification}`)}
                  </StatusTag>
                </h2>
                {b.reason ? <p>{t("evaluation.disqualifiedFor", { reason: b.reason })}</p> : null}
                <ul>
                  {b.prices.map((p) => (
                    <li key={p.lotId}>
                      {p.lot}: <strong dir="ltr">{p.price}</strong>
                    </li>
                  ))}
                  <li>
                    {t("opening.receivedAt")}: <span dir="ltr">{b.receivedAt}</span>
                  </li>
                </ul>
                {b.responses.map((r) => (
                  <div key={r.key}>
                    <h3>{r.name}</h3>
                    <p className="preserve-lines" dir="auto">
                      {r.text || "—"}
                    </p>
                  </div>
                ))}
                {b.documents.length + b.corrections.length > 0 ? (
                  <ul>
                    {b.documents.map((doc) => (
                      <li key={doc.docId}>
                        <a href={doc.href}>{doc.name}</a>
                      </li>
                    ))}
                    {b.corrections.map((c) => (
                      <li key={c.id}>
                        <a href={c.href}>{c.name}</a> ({t("evaluation.corrected")})
                      </li>
                    ))}
                  </ul>
                ) : null}
                {b.scorable && d.technical.length > 0 ? (
                  <div className="pair">
                    {d.technical.map((c) =>
                      canScore ? (
                        <div key={c.key}>
                          <TextField
                            name={`score-${b.bidId}-${c.key}`}
                            label={t("evaluation.scoreLabel", { name: c.name, weight: c.weight })}
                            hint={t("evaluation.scoreHint")}
                            defaultValue={b.mine[c.key]?.points}
                            inputMode="decimal"
                            dir="ltr"
                            error={errors[`score-${b.bidId}-${c.key}`]}
                          />
                          <TextField
                            name={`note-${b.bidId}-${c.key}`}
                            label={t("evaluation.scoreNote")}
                            defaultValue={b.mine[c.key]?.note}
                            dir="auto"
                          />
                        </div>
                      ) : (
                        <p key={c.key}>
                          {c.name}: <strong dir="ltr">{b.mine[c.key]?.points || "—"}</strong>
                        </p>
                      ),
                    )}
                  </div>
                ) : null}
              </section>
            ))}
            {canScore ? (
              <div className="actions">
                <Button name="intent" value="save" variant="secondary">
                  {t("evaluation.saveScores")}
                </Button>
                <Button name="intent" value="submit">
                  {t("evaluation.submitScores")}
                </Button>
              </div>
            ) : null}
          </Form>
          {canScore ? <p>{t("evaluation.submitHint")}</p> : null}
          {d.submitted ? (
            <>
              <h2>{t("evaluation.othersScores")}</h2>
              {d.others.length === 0 ? (
                <p>{t("evaluation.othersNotYet")}</p>
              ) : (
                <DataTable
                  caption={t("evaluation.othersScores")}
                  captionHidden
                  rows={d.others}
                  rowKey={(s) => s.key}
                  columns={[
                    { key: "evaluator", header: t("evaluation.member"), cell: (s) => s.evaluator },
                    { key: "bidder", header: t("evaluation.bidder"), cell: (s) => s.bidder },
                    { key: "criterion", header: t("evaluation.criterion"), cell: (s) => s.criterion },
                    {
                      key: "score",
                      header: t("evaluation.points"),
                      numeric: true,
                      cell: (s) => <span dir="ltr">{s.score}</span>,
                    },
                  ]}
                />
              )}
            </>
          ) : null}
        </>
      )}
    </>
  );
}
