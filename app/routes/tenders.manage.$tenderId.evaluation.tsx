import { data, Form, Link, redirect } from "react-router";
import { z } from "zod";
import { CancelForm } from "#app/components/cancellation.tsx";
import { DoneNotice, ExcludedList, ResultTable } from "#app/components/evaluation.tsx";
import {
  Button,
  DataTable,
  EmptyState,
  ErrorSummary,
  SelectField,
  StatusTag,
  TextAreaField,
  TextField,
} from "#app/components/ui.tsx";
import { requireUser } from "#app/modules/accounts/context.server.ts";
import { can } from "#app/modules/accounts/permissions.ts";
import { recommendAward } from "#app/modules/awards/recommend-award.server.ts";
import {
  recordConsensus,
  recordPriceJustification,
} from "#app/modules/evaluations/chair-decisions.server.ts";
import { closeEvaluation } from "#app/modules/evaluations/close-evaluation.server.ts";
import { requestCorrection } from "#app/modules/evaluations/document-corrections.server.ts";
import { disqualificationOf } from "#app/modules/evaluations/evaluation-inputs.server.ts";
import { jsonify } from "#app/modules/evaluations/evaluation-snapshot.ts";
import {
  disqualificationText,
  ltr,
  reasonText,
  resultRows,
} from "#app/modules/evaluations/evaluation-view.ts";
import { evaluationWorkspace } from "#app/modules/evaluations/evaluation-workspace.server.ts";
import {
  assignEvaluator,
  nameChair,
  removeMember,
  setStandstillDays,
} from "#app/modules/evaluations/manage-committee.server.ts";
import { formatPoints } from "#app/modules/evaluations/points.ts";
import { recordQualification } from "#app/modules/evaluations/qualify-bid.server.ts";
import { meanScore } from "#app/modules/evaluations/scoring.ts";
import { i18nContext } from "#app/modules/i18n/context.server.ts";
import { useTranslation } from "#app/modules/i18n/use-translation.ts";
import { moneyText } from "#app/modules/payments/money-view.ts";
import { servicesContext } from "#app/server/context.ts";
import { isAppError } from "#app/utils/errors.ts";
import { formErrorsOf } from "#app/utils/forms.server.ts";
import { clientIp } from "#app/utils/http.server.ts";
import { throwAsResponse } from "#app/utils/responses.server.ts";
import { formatInZone } from "#app/utils/time-zones.ts";
import type { Route } from "./+types/tenders.manage.$tenderId.evaluation";

const TenderId = z.uuid();
const text = z.string().max(4000).optional().default("");
const Intent = z.discriminatedUnion("intent", [
  z.object({ intent: z.enum(["assign", "chair", "remove"]), userId: z.uuid() }),
  z.object({ intent: z.literal("standstill"), standstillDays: text }),
  z.object({ intent: z.literal("qualify"), bidId: z.uuid(), reason: text }).passthrough(),
  z.object({ intent: z.literal("correction"), bidId: z.uuid(), defect: text, windowHours: text }),
  z.object({
    intent: z.literal("consensus"),
    bidId: z.uuid(),
    criterionKey: z.string().max(20),
    points: text,
    note: text,
  }),
  z.object({ intent: z.literal("justify"), bidId: z.uuid(), lotId: z.uuid(), justification: text }),
  z.object({ intent: z.literal("close") }),
  z.object({ intent: z.literal("recommend"), lotId: z.uuid(), bidId: z.uuid(), justification: text }),
]);

export async function loader({ request, params, context }: Route.LoaderArgs) {
  const { t, lang } = context.get(i18nContext);
  const { actor } = requireUser(request, context);
  const id = TenderId.safeParse(params.tenderId);
  if (!id.success) throw new Response("Not found", { status: 404 });
  const db = context.get(servicesContext).database.db;
  const w = await evaluationWorkspace(actor, id.data, db).catch((e) => {
    // A committee member who is not the chair works on their own page.
    if (isAppError(e) && e.code === "CHAIR_REQUIRED") throw redirect(`/evaluations/${id.data}`);
    return throwAsResponse(e);
  });
  const { tender, evaluation } = w;
  const zone = tender.timeZone;
  const name = (x: { nameAr: string; nameEn: string }) => (lang === "ar" ? x.nameAr : x.nameEn);
  const criterion = (c: { nameAr: string; nameEn: string }) => (lang === "ar" ? c.nameAr : c.nameEn);
  const bidderOf = (bidId: string) => {
    const e = w.record.find((x) => x.bidId === bidId);
    return e ? (lang === "ar" ? e.businessNameAr : e.businessNameEn) : "";
  };
  const bidders = w.record.map((e) => ({
    bidId: e.bidId,
    nameAr: e.businessNameAr,
    nameEn: e.businessNameEn,
  }));
  const technical = tender.criteria
    .filter((c) => c.kind === "technical")
    .map((c) => ({ key: c.key, name: criterion(c), weight: c.weight }));
  const passFail = tender.criteria
    .filter((c) => c.kind === "pass_fail")
    .map((c) => ({ key: c.key, name: criterion(c) }));
  const lotTitle = (lotId: string) => {
    const lot = w.lots.find((l) => l.id === lotId);
    return lot
      ? `${t("evaluation.lot", { number: lot.number })} – ${name({ nameAr: lot.titleAr, nameEn: lot.titleEn })}`
      : "";
  };
  const lotRows = (result: Parameters<typeof resultRows>[0]) => {
    const rows = resultRows(result, bidders, lang);
    return {
      ranked: rows.ranked,
      excluded: rows.excluded.map((r) => ({
        ...r,
        reasons: r.reasons.map((reason) => reasonText(reason, tender.criteria, t, lang)),
      })),
    };
  };
  const consensus = new Map(w.consensus.map((c) => [`${c.bidId}:${c.criterionKey}`, c]));
  const qualifiedBids = w.record.filter((e) => {
    const q = w.qualifications.find((x) => x.bidId === e.bidId);
    return q && !disqualificationOf(q, tender) && !Object.values(q.checks).includes(false);
  });

  return {
    title: `${t("evaluation.title")} – ${tender.reference} – ${t("meta.siteName")}`,
    tenderId: tender.id,
    tenderTitle: name({ nameAr: tender.titleAr, nameEn: tender.titleEn }),
    reference: tender.reference,
    role: w.role,
    status: evaluation?.status ?? "not_started",
    standstillDays: String(evaluation?.standstillDays ?? 10),
    committee: w.committee.map((m) => ({
      userId: m.userId,
      name: m.name,
      status: m.status,
      declared: m.declared,
      submitted: Boolean(m.scoresSubmittedAt),
      chair: evaluation?.chairUserId === m.userId,
    })),
    candidates: w.candidates
      .filter((c) => !w.committee.some((m) => m.userId === c.userId && m.status !== "removed"))
      .map((c) => ({ value: c.userId, label: `${c.name} (${c.email})` })),
    conflicts: w.conflicts.map((c) => ({
      key: `${c.userId}-${c.bidId}`,
      name: c.name,
      bidder: bidderOf(c.bidId),
      note: c.note ?? "",
      at: ltr(formatInZone(c.declaredAt, zone)),
    })),
    passFail,
    technical,
    bids: w.record.map((e) => {
      const q = w.qualifications.find((x) => x.bidId === e.bidId);
      const reason = q ? disqualificationOf(q, tender) : null;
      return {
        bidId: e.bidId,
        bidder: bidderOf(e.bidId),
        qualification: q
          ? {
              checks: q.checks,
              verified: q.businessVerified,
              permitType: q.permitType,
              permitValid: q.permitValid,
              reason: q.disqualificationReason ?? "",
              excluded: Boolean(reason) || Object.values(q.checks).includes(false),
              reasonText: reason ? disqualificationText(reason, t) : "",
              at: ltr(formatInZone(q.recordedAt, zone)),
            }
          : null,
        corrections: w.corrections
          .filter((c) => c.correction.bidId === e.bidId)
          .map(({ correction: c, open }) => ({
            id: c.id,
            defect: c.defect,
            due: ltr(formatInZone(c.dueAt, zone)),
            state: c.submittedAt ? "answered" : open ? "open" : "expired",
            answeredAt: c.submittedAt ? ltr(formatInZone(c.submittedAt, zone)) : "",
            docName: c.name ?? "",
            href: c.submittedAt ? `/evaluations/${tender.id}/corrections/${c.id}` : "",
          })),
      };
    }),
    chairSubmitted: w.chairSubmitted,
    scoreRows:
      w.role === "chair" && w.chairSubmitted
        ? qualifiedBids.flatMap((e) =>
            technical.map((c) => {
              const given = w.scores.filter((s) => s.bidId === e.bidId && s.criterionKey === c.key);
              const agreed = consensus.get(`${e.bidId}:${c.key}`);
              return {
                key: `${e.bidId}:${c.key}`,
                bidId: e.bidId,
                bidder: bidderOf(e.bidId),
                criterionKey: c.key,
                criterion: c.name,
                members: given.map((s) => ({ name: s.evaluatorName, score: formatPoints(s.score) })),
                mean: given.length ? formatPoints(meanScore(given.map((s) => s.score))) : "",
                consensus: agreed ? { score: formatPoints(agreed.score), note: agreed.note } : null,
              };
            }),
          )
        : [],
    preview: w.preview
      ? {
          pendingMembers: w.preview.pendingMembers.length,
          unqualified: w.preview.unqualified.length,
          lots: w.preview.outcomes.map(({ lotId, outcome }) => ({
            lotId,
            title: lotTitle(lotId),
            problems: outcome.ok
              ? []
              : [...new Set(outcome.problems.map((p) => p.code))].map((code) =>
                  t(`evaluation.problems.${code}`, { defaultValue: t("evaluation.problems.other") }),
                ),
            ...(outcome.ok ? lotRows(jsonify(outcome.result)) : { ranked: [], excluded: [] }),
          })),
        }
      : null,
    result: w.snapshot
      ? {
          closedAt: evaluation?.closedAt ? ltr(formatInZone(evaluation.closedAt, zone)) : "",
          sha256: evaluation?.resultSha256 ?? "",
          lots: w.snapshot.lots.map((l) => ({
            lotId: l.lotId,
            title: lotTitle(l.lotId),
            number: w.lots.find((x) => x.id === l.lotId)?.number ?? 0,
            cancelled: w.lots.find((x) => x.id === l.lotId)?.cancelReason ?? null,
            winner: l.result.recommendedWinner,
            ...lotRows(l.result),
            options: l.result.ranked
              .filter((b) => b.eligibleToWin)
              .map((b) => ({
                value: b.bidId,
                label: `${b.rank}. ${bidderOf(b.bidId)} – ${moneyText(BigInt(b.price.amount), b.price.currency, lang)} – ${formatPoints(b.total)}`,
              })),
            awards: w.awards
              .filter((a) => a.award.tenderLotId === l.lotId)
              .map((a) => ({
                id: a.award.id,
                bidder: name({ nameAr: a.bidderAr, nameEn: a.bidderEn }),
                price: moneyText(a.award.price, a.award.currency, lang),
                status: a.award.status,
                recommendedBy: a.recommendedByName,
                decidedBy: a.decidedByName ?? "",
                reason: a.award.sendBackReason ?? a.award.cancelReason ?? "",
                justification: a.award.justification ?? "",
                standstillEnds: a.award.standstillEndsAt
                  ? ltr(formatInZone(a.award.standstillEndsAt, zone))
                  : "",
              })),
          })),
        }
      : null,
    canRecommend: can(actor, "bids:open"),
  };
}

export async function action({ request, params, context }: Route.ActionArgs) {
  const { t } = context.get(i18nContext);
  const { actor } = requireUser(request, context);
  const id = TenderId.safeParse(params.tenderId);
  if (!id.success) throw new Response("Not found", { status: 404 });
  const db = context.get(servicesContext).database.db;
  const form = Object.fromEntries(await request.formData()) as Record<string, string>;
  const parsed = Intent.safeParse(form);
  if (!parsed.success) return data({ errors: { form: t("errors.VALIDATION") } }, { status: 400 });
  const input = parsed.data;
  const ip = clientIp(request);
  const tenderId = id.data;
  try {
    switch (input.intent) {
      case "assign":
        await assignEvaluator({ actor, tenderId, userId: input.userId, ip }, db);
        break;
      case "chair":
        await nameChair({ actor, tenderId, userId: input.userId, ip }, db);
        break;
      case "remove":
        await removeMember({ actor, tenderId, userId: input.userId, ip }, db);
        break;
      case "standstill":
        await setStandstillDays({ actor, tenderId, days: input.standstillDays, ip }, db);
        break;
      case "qualify": {
        const checks: Record<string, boolean> = {};
        for (const [key, value] of Object.entries(form))
          if (key.startsWith("check-") && (value === "pass" || value === "fail"))
            checks[key.slice(6)] = value === "pass";
        await recordQualification(
          { actor, tenderId, bidId: input.bidId, checks, disqualificationReason: input.reason, ip },
          db,
        );
        break;
      }
      case "correction":
        await requestCorrection(
          { actor, tenderId, bidId: input.bidId, defect: input.defect, windowHours: input.windowHours, ip },
          db,
        );
        break;
      case "consensus":
        await recordConsensus({ actor, tenderId, ...input, ip }, db);
        break;
      case "justify":
        await recordPriceJustification({ actor, tenderId, ...input, ip }, db);
        break;
      case "close":
        await closeEvaluation({ actor, tenderId, ip }, db);
        return redirect(`/tenders/manage/${tenderId}/evaluation?done=closed`);
      case "recommend":
        await recommendAward({ actor, tenderId, ...input, ip }, db);
        return redirect(`/tenders/manage/${tenderId}/evaluation?done=recommended#awards`);
    }
    return redirect(`/tenders/manage/${tenderId}/evaluation?done=saved`);
  } catch (e) {
    if (!isAppError(e)) throw e;
    if (e.code === "NOT_FOUND" || e.code === "UNAUTHENTICATED") throwAsResponse(e);
    return data({ errors: formErrorsOf(e, t) }, { status: e.status });
  }
}

export default function EvaluationPage({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useTranslation();
  const d = loaderData;
  const errors: Record<string, string | undefined> = actionData?.errors ?? {};
  const officer = d.role === "officer";
  const inProgress = d.status !== "closed";
  const yesNo = (v: boolean) => (v ? t("evaluation.yes") : t("evaluation.no"));
  const hidden = (fields: Record<string, string>) =>
    Object.entries(fields).map(([k, v]) => <input key={k} type="hidden" name={k} value={v} />);
  const activeMembers = d.committee.filter((m) => m.status === "active");
  return (
    <>
      <title>{d.title}</title>
      <p>
        <Link to={`/tenders/manage/${d.tenderId}`}>{d.tenderTitle}</Link>
        {" · "}
        <Link to={`/tenders/manage/${d.tenderId}/opening`}>{t("opening.link")}</Link>
        {d.role === "chair" ? (
          <>
            {" · "}
            <Link to={`/evaluations/${d.tenderId}`}>{t("evaluation.myScoring")}</Link>
          </>
        ) : null}
      </p>
      <h1>{t("evaluation.title")}</h1>
      <p className="lead">{officer ? t("evaluation.leadOfficer") : t("evaluation.leadChair")}</p>
      <p>
        <StatusTag tone={d.status === "closed" ? "success" : d.status === "in_progress" ? "info" : "neutral"}>
          {t(`evaluation.status.${d.status}`)}
        </StatusTag>{" "}
        {d.reference}
      </p>
      <DoneNotice
        messages={{
          saved: t("evaluation.notices.saved"),
          closed: t("evaluation.notices.closed"),
          recommended: t("evaluation.notices.recommended"),
        }}
      />
      <ErrorSummary errors={errors} />

      <h2 id="committee">{t("evaluation.committee")}</h2>
      {d.committee.length === 0 ? (
        <EmptyState title={t("evaluation.noMembers")} />
      ) : (
        <DataTable
          caption={t("evaluation.committee")}
          captionHidden
          rows={d.committee}
          rowKey={(m) => m.userId}
          columns={[
            {
              key: "name",
              header: t("evaluation.member"),
              cell: (m) => (
                <>
                  {m.name} {m.chair ? <StatusTag tone="info">{t("evaluation.chairTag")}</StatusTag> : null}
                </>
              ),
            },
            {
              key: "status",
              header: t("evaluation.memberStatusLabel"),
              cell: (m) => (
                <StatusTag
                  tone={m.status === "active" ? "success" : m.status === "conflicted" ? "danger" : "neutral"}
                >
                  {t(`evaluation.memberStatus.${m.status}`)}
                </StatusTag>
              ),
            },
            { key: "declared", header: t("evaluation.declared"), cell: (m) => yesNo(m.declared) },
            { key: "submitted", header: t("evaluation.submitted"), cell: (m) => yesNo(m.submitted) },
            ...(officer && inProgress
              ? [
                  {
                    key: "actions",
                    header: t("evaluation.actions"),
                    cell: (m: (typeof d.committee)[number]) =>
                      m.status === "active" ? (
                        <Form method="post">
                          {hidden({ intent: "remove", userId: m.userId })}
                          <Button variant="secondary">{t("evaluation.remove")}</Button>
                        </Form>
                      ) : null,
                  },
                ]
              : []),
          ]}
        />
      )}
      {officer && inProgress ? (
        <div className="pair">
          <Form method="post" className="panel" noValidate>
            <input type="hidden" name="intent" value="assign" />
            {d.candidates.length === 0 ? (
              <p>{t("evaluation.noCandidates")}</p>
            ) : (
              <>
                <SelectField
                  name="userId"
                  label={t("evaluation.assignLabel")}
                  options={d.candidates}
                  error={errors.userId}
                />
                <Button>{t("evaluation.assign")}</Button>
              </>
            )}
          </Form>
          {activeMembers.length > 0 ? (
            <Form method="post" className="panel" noValidate>
              <input type="hidden" name="intent" value="chair" />
              <SelectField
                name="userId"
                label={t("evaluation.chairLabel")}
                options={activeMembers.map((m) => ({ value: m.userId, label: m.name }))}
                defaultValue={activeMembers.find((m) => m.chair)?.userId}
                error={errors.chair}
              />
              <Button variant="secondary">{t("evaluation.nameChair")}</Button>
            </Form>
          ) : null}
        </div>
      ) : null}

      {d.conflicts.length > 0 ? (
        <>
          <h2>{t("evaluation.conflicts")}</h2>
          <DataTable
            caption={t("evaluation.conflicts")}
            captionHidden
            rows={d.conflicts}
            rowKey={(c) => c.key}
            columns={[
              { key: "name", header: t("evaluation.member"), cell: (c) => c.name },
              { key: "bidder", header: t("evaluation.bidder"), cell: (c) => c.bidder },
              {
                key: "note",
                header: t("evaluation.conflictNote"),
                cell: (c) => <span dir="auto">{c.note}</span>,
              },
              { key: "at", header: t("evaluation.declaredAt"), cell: (c) => <span dir="ltr">{c.at}</span> },
            ]}
          />
        </>
      ) : null}

      {d.status === "not_started" ? null : (
        <>
          <h2 id="qualification">{t("evaluation.qualification")}</h2>
          <p>{t("evaluation.qualificationLead")}</p>
          {d.bids.map((b) => (
            <section key={b.bidId} className="panel" aria-labelledby={`bid-${b.bidId}`}>
              <h3 id={`bid-${b.bidId}`}>
                {b.bidder}{" "}
                {b.qualification ? (
                  <StatusTag tone={b.qualification.excluded ? "danger" : "success"}>
                    {b.qualification.excluded ? t("evaluation.excluded") : t("evaluation.qualified")}
                  </StatusTag>
                ) : (
                  <StatusTag>{t("evaluation.notRecorded")}</StatusTag>
                )}
              </h3>
              {b.qualification ? (
                <ul>
                  <li>{b.qualification.verified ? t("evaluation.verified") : t("evaluation.notVerified")}</li>
                  {b.qualification.permitType ? (
                    <li>
                      {b.qualification.permitValid
                        ? t("evaluation.permitValid", { type: b.qualification.permitType })
                        : t("evaluation.permitNotValid", { type: b.qualification.permitType })}
                    </li>
                  ) : null}
                  {b.qualification.reasonText ? (
                    <li>{t("evaluation.disqualifiedFor", { reason: b.qualification.reasonText })}</li>
                  ) : null}
                  <li>{t("evaluation.recordedAt", { at: b.qualification.at })}</li>
                </ul>
              ) : null}
              {inProgress ? (
                <>
                  <Form method="post" noValidate>
                    {hidden({ intent: "qualify", bidId: b.bidId })}
                    {d.passFail.map((c) => (
                      <fieldset key={c.key} className="fieldset">
                        <legend>{c.name}</legend>
                        {(["pass", "fail"] as const).map((v) => (
                          <div key={v} className="checkbox">
                            <input
                              type="radio"
                              id={`check-${b.bidId}-${c.key}-${v}`}
                              name={`check-${c.key}`}
                              value={v}
                              defaultChecked={
                                b.qualification?.checks[c.key] === undefined
                                  ? false
                                  : b.qualification.checks[c.key] === (v === "pass")
                              }
                            />
                            <label htmlFor={`check-${b.bidId}-${c.key}-${v}`}>{t(`evaluation.${v}`)}</label>
                          </div>
                        ))}
                      </fieldset>
                    ))}
                    <TextAreaField
                      name="reason"
                      label={t("evaluation.disqualificationReason")}
                      hint={t("evaluation.disqualificationHint")}
                      defaultValue={b.qualification?.reason}
                      rows={2}
                      dir="auto"
                    />
                    <Button variant="secondary">{t("evaluation.saveQualification")}</Button>
                  </Form>
                  <details>
                    <summary>{t("evaluation.requestCorrection")}</summary>
                    <Form method="post" className="narrow" noValidate>
                      {hidden({ intent: "correction", bidId: b.bidId })}
                      <TextAreaField
                        name="defect"
                        label={t("evaluation.defect")}
                        hint={t("evaluation.defectHint")}
                        rows={2}
                        dir="auto"
                        error={errors.defect}
                      />
                      <TextField
                        name="windowHours"
                        label={t("evaluation.windowHours")}
                        hint={t("evaluation.windowHint")}
                        defaultValue="24"
                        inputMode="numeric"
                        dir="ltr"
                        error={errors.windowHours}
                      />
                      <Button variant="secondary">{t("evaluation.requestCorrection")}</Button>
                    </Form>
                  </details>
                </>
              ) : null}
              {b.corrections.length > 0 ? (
                <>
                  <h4>{t("evaluation.corrections")}</h4>
                  <ul>
                    {b.corrections.map((c) => (
                      <li key={c.id}>
                        <span dir="auto">{c.defect}</span> –{" "}
                        {c.state === "answered" ? (
                          <>
                            {t("evaluation.correctionAnswered", { at: c.answeredAt })}{" "}
                            <a href={c.href}>{c.docName}</a>
                          </>
                        ) : c.state === "open" ? (
                          t("evaluation.correctionOpen", { due: c.due })
                        ) : (
                          t("evaluation.correctionExpired", { due: c.due })
                        )}
                      </li>
                    ))}
                  </ul>
                </>
              ) : null}
            </section>
          ))}
        </>
      )}

      {officer && inProgress && d.status !== "not_started" ? (
        <>
          <h2 id="standstill">{t("evaluation.standstill")}</h2>
          <Form method="post" className="inline-form" noValidate>
            <input type="hidden" name="intent" value="standstill" />
            <TextField
              name="standstillDays"
              label={t("evaluation.standstillDays")}
              hint={t("evaluation.standstillHint")}
              defaultValue={d.standstillDays}
              inputMode="numeric"
              dir="ltr"
              error={errors.standstillDays}
            />
            <Button variant="secondary">{t("evaluation.save")}</Button>
          </Form>
        </>
      ) : null}

      {d.role === "chair" && inProgress ? (
        <>
          <h2 id="scores">{t("evaluation.scores")}</h2>
          {!d.chairSubmitted ? (
            <p>{t("evaluation.scoresHidden")}</p>
          ) : (
            <DataTable
              caption={t("evaluation.scores")}
              captionHidden
              rows={d.scoreRows}
              rowKey={(r) => r.key}
              columns={[
                { key: "bidder", header: t("evaluation.bidder"), cell: (r) => r.bidder },
                { key: "criterion", header: t("evaluation.criterion"), cell: (r) => r.criterion },
                {
                  key: "members",
                  header: t("evaluation.memberScores"),
                  cell: (r) => (
                    <ul className="cpv-hits">
                      {r.members.map((m) => (
                        <li key={m.name}>
                          <bdi>{m.name}</bdi>: <span dir="ltr">{m.score}</span>
                        </li>
                      ))}
                    </ul>
                  ),
                },
                {
                  key: "mean",
                  header: t("evaluation.mean"),
                  numeric: true,
                  cell: (r) => <span dir="ltr">{r.mean}</span>,
                },
                {
                  key: "consensus",
                  header: t("evaluation.consensus"),
                  cell: (r) => (
                    <Form method="post" noValidate>
                      {hidden({ intent: "consensus", bidId: r.bidId, criterionKey: r.criterionKey })}
                      <TextField
                        name="points"
                        label={t("evaluation.points")}
                        defaultValue={r.consensus?.score}
                        inputMode="decimal"
                        dir="ltr"
                        error={errors[`consensus-${r.bidId}-${r.criterionKey}`]}
                      />
                      <TextField
                        name="note"
                        label={t("evaluation.consensusNote")}
                        defaultValue={r.consensus?.note}
                        dir="auto"
                        error={errors[`consensus-${r.bidId}-${r.criterionKey}-note`]}
                      />
                      <Button variant="secondary">{t("evaluation.recordConsensus")}</Button>
                    </Form>
                  ),
                },
              ]}
            />
          )}

          <h2 id="preview">{t("evaluation.resultSoFar")}</h2>
          {d.preview ? (
            <>
              {d.preview.unqualified > 0 ? (
                <p>{t("evaluation.unqualifiedLeft", { count: d.preview.unqualified })}</p>
              ) : null}
              {d.preview.pendingMembers > 0 ? (
                <p>{t("evaluation.membersPending", { count: d.preview.pendingMembers })}</p>
              ) : null}
              {d.preview.lots.map((lot) => (
                <section key={lot.lotId}>
                  <h3>{lot.title}</h3>
                  {lot.problems.length > 0 ? (
                    <ul>
                      {lot.problems.map((p) => (
                        <li key={p}>{p}</li>
                      ))}
                    </ul>
                  ) : (
                    <>
                      <ResultTable caption={lot.title} rows={lot.ranked} technical={d.technical} />
                      <ExcludedList rows={lot.excluded} />
                      {lot.ranked
                        .filter((r) => r.abnormallyLow)
                        .map((r) => (
                          <Form key={r.bidId} method="post" className="narrow" noValidate>
                            {hidden({ intent: "justify", bidId: r.bidId, lotId: lot.lotId })}
                            <TextAreaField
                              name="justification"
                              label={t("evaluation.justifyLabel", { bidder: r.bidder })}
                              hint={t("evaluation.justifyHint")}
                              rows={3}
                              dir="auto"
                              error={errors[`justification-${r.bidId}-${lot.lotId}`]}
                            />
                            <Button variant="secondary">{t("evaluation.recordJustification")}</Button>
                          </Form>
                        ))}
                    </>
                  )}
                </section>
              ))}
              <Form method="post" className="panel">
                <input type="hidden" name="intent" value="close" />
                <p>{t("evaluation.closeLead")}</p>
                <Button>{t("evaluation.close")}</Button>
              </Form>
            </>
          ) : null}
        </>
      ) : null}

      {d.result ? (
        <>
          <h2 id="result">{t("evaluation.resultTitle")}</h2>
          <p>
            {t("evaluation.closedAt", { at: d.result.closedAt })}{" "}
            <code className="digest" dir="ltr">
              SHA-256 {d.result.sha256}
            </code>
          </p>
          {d.result.lots.map((lot) => (
            <section key={lot.lotId}>
              <h3>{lot.title}</h3>
              <ResultTable
                caption={lot.title}
                rows={lot.ranked}
                technical={d.technical}
                highlight={lot.winner}
              />
              <ExcludedList rows={lot.excluded} />
            </section>
          ))}
          <h2 id="awards">{t("award.title")}</h2>
          {d.result.lots.map((lot) => (
            <section key={lot.lotId} className="panel">
              <h3>{lot.title}</h3>
              {lot.awards.length > 0 ? (
                <ul>
                  {lot.awards.map((a) => (
                    <li key={a.id}>
                      <StatusTag
                        tone={
                          a.status === "approved"
                            ? "success"
                            : a.status === "sent_back" || a.status === "suspended"
                              ? "warning"
                              : a.status === "cancelled"
                                ? "danger"
                                : "info"
                        }
                      >
                        {t(`award.status.${a.status}`)}
                      </StatusTag>{" "}
                      {a.bidder} – <span dir="ltr">{a.price}</span> –{" "}
                      {t("award.recommendedBy", { name: a.recommendedBy })}
                      {a.justification ? (
                        <> – {t("award.justificationGiven", { text: a.justification })}</>
                      ) : null}
                      {a.status === "sent_back" ? (
                        <> – {t("award.sentBackBy", { name: a.decidedBy, reason: a.reason })}</>
                      ) : null}
                      {a.status === "cancelled" ? <> – {a.reason}</> : null}
                      {a.status === "approved" ? (
                        <> – {t("award.approvedBy", { name: a.decidedBy, until: a.standstillEnds })}</>
                      ) : null}
                    </li>
                  ))}
                </ul>
              ) : (
                <p>{t("award.none")}</p>
              )}
              {lot.cancelled ? (
                <p>
                  <StatusTag tone="danger">{t("award.status.cancelled")}</StatusTag> {lot.cancelled}
                </p>
              ) : null}
              {d.canRecommend &&
              !lot.cancelled &&
              lot.options.length > 0 &&
              !lot.awards.some((a) => a.status !== "sent_back" && a.status !== "cancelled") ? (
                <Form method="post" className="narrow" noValidate>
                  {hidden({ intent: "recommend", lotId: lot.lotId })}
                  <SelectField
                    name="bidId"
                    label={t("award.recommendLabel")}
                    options={lot.options}
                    defaultValue={lot.winner ?? undefined}
                    error={errors.bidId}
                  />
                  <TextAreaField
                    name="justification"
                    label={t("award.justification")}
                    hint={t("award.justificationHint")}
                    rows={3}
                    dir="auto"
                    error={errors.justification}
                  />
                  <Button>{t("award.recommend")}</Button>
                </Form>
              ) : null}
              {d.canRecommend && !lot.cancelled ? (
                <details>
                  <summary>{t("complaints.cancel.lotTitle", { number: lot.number })}</summary>
                  <p>{t("complaints.cancel.lotLead")}</p>
                  <CancelForm tenderId={d.tenderId} lot={{ id: lot.lotId, number: lot.number }} />
                </details>
              ) : null}
            </section>
          ))}
        </>
      ) : null}
    </>
  );
}
