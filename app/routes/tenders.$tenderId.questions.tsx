import { data, Form, Link, redirect } from "react-router";
import { z } from "zod";
import { Button, EmptyState, ErrorSummary, StatusTag, TextAreaField } from "#app/components/ui.tsx";
import { actorContext, requireUser } from "#app/modules/accounts/context.server.ts";
import { can } from "#app/modules/accounts/permissions.ts";
import { assertVerifiedBusiness } from "#app/modules/accounts/verified-business.server.ts";
import { i18nContext } from "#app/modules/i18n/context.server.ts";
import { useTranslation } from "#app/modules/i18n/use-translation.ts";
import {
  ANSWER_MAX,
  ANSWER_MIN,
  answerQuestion,
  askQuestion,
  myQuestions,
  officerClarifications,
  publicClarifications,
  QUESTION_MAX,
  QUESTION_MIN,
  tenderForQuestions,
} from "#app/modules/tenders/clarifications.server.ts";
import { servicesContext } from "#app/server/context.ts";
import { type AppError, isAppError } from "#app/utils/errors.ts";
import { parseWith } from "#app/utils/forms.server.ts";
import { clientIp, publicBaseUrl } from "#app/utils/http.server.ts";
import { throwAsResponse } from "#app/utils/responses.server.ts";
import { formatInZone } from "#app/utils/time-zones.ts";
import type { Route } from "./+types/tenders.$tenderId.questions";

const TenderId = z.uuid();
const lengthMessage = (key: string, min: number, max: number) =>
  `errors.${key}|${JSON.stringify({ min, max })}`;
const questionMessage = lengthMessage("questionLength", QUESTION_MIN, QUESTION_MAX);
const answerMessage = lengthMessage("answerLength", ANSWER_MIN, ANSWER_MAX);
const AskForm = z.object({
  question: z
    .string({ error: questionMessage })
    .trim()
    .min(QUESTION_MIN, questionMessage)
    .max(QUESTION_MAX, questionMessage),
});
const AnswerForm = z.object({
  answer: z
    .string({ error: answerMessage })
    .trim()
    .min(ANSWER_MIN, answerMessage)
    .max(ANSWER_MAX, answerMessage),
});

/** The public Q&A of a tender; the ask form for bidders; the answer forms for the agency's officers. */
export async function loader({ params, context }: Route.LoaderArgs) {
  const { t, lang } = context.get(i18nContext);
  const { actor } = context.get(actorContext);
  const db = context.get(servicesContext).database.db;
  const id = TenderId.safeParse(params.tenderId);
  const tender = id.success ? await tenderForQuestions(id.data, db) : null;
  if (!tender) throw new Response("Not found", { status: 404 });
  const when = (d: Date) => formatInZone(d, tender.timeZone);

  const published = (await publicClarifications(tender.id, db)).map((c) => ({
    question: c.question,
    answer: c.answer,
    askedAt: when(c.askedAt),
    answeredAt: when(c.answeredAt),
  }));

  const isBidder = can(actor, "bid:submit") && actor.type === "user" && actor.membership?.kind === "business";
  const asker = isBidder
    ? {
        verified: await assertVerifiedBusiness(actor, db).then(
          () => true,
          (e) => {
            if (isAppError(e)) return false;
            throw e;
          },
        ),
        mine: (await myQuestions(actor, tender.id, db).catch(throwAsResponse)).map((q) => ({
          id: q.id,
          question: q.question,
          askedAt: when(q.askedAt),
          status: q.status,
        })),
      }
    : null;

  const isOfficer =
    can(actor, "tender:answer") &&
    actor.type === "user" &&
    actor.membership?.organisationId === tender.agencyId;
  const officer = isOfficer
    ? {
        pending: (await officerClarifications(actor, tender.id, db).catch(throwAsResponse))
          .filter((q) => q.answeredAt === null)
          .map((q) => ({
            id: q.id,
            question: q.question,
            askedAt: when(q.askedAt),
            askedBy: lang === "ar" ? q.askerNameAr : q.askerNameEn,
          })),
      }
    : null;

  const title = lang === "ar" ? tender.titleAr : tender.titleEn;
  return {
    title: `${t("clarifications.title")}: ${tender.reference} – ${t("meta.siteName")}`,
    tender: { id: tender.id, title, reference: tender.reference },
    enquiriesOpen: Boolean(tender.enquiriesOpen),
    // A tender cancelled or opened early closed its enquiries whatever the date said.
    enquiryDeadline:
      tender.enquiryDeadline && tender.status === "published" ? when(tender.enquiryDeadline) : null,
    signedIn: actor.type === "user",
    published,
    asker,
    officer,
    limits: {
      questionMin: QUESTION_MIN,
      questionMax: QUESTION_MAX,
      answerMin: ANSWER_MIN,
      answerMax: ANSWER_MAX,
    },
  };
}

type ActionErrors = { errors: Record<string, string>; values: Record<string, string> };

export async function action({ request, params, context }: Route.ActionArgs) {
  const { t } = context.get(i18nContext);
  const { actor } = requireUser(request, context);
  const id = TenderId.safeParse(params.tenderId);
  if (!id.success) throw new Response("Not found", { status: 404 });
  const { database, env } = context.get(servicesContext);
  const db = database.db;
  const tenderId = id.data;
  const body = await request.formData();
  const text = (name: string) => {
    const value = body.get(name);
    return typeof value === "string" ? value : "";
  };
  const ip = clientIp(request);
  const failed = (e: AppError, field: string) => {
    if (e.code === "NOT_FOUND" || e.code === "FORBIDDEN" || e.code === "UNAUTHENTICATED") throwAsResponse(e);
    return data<ActionErrors>(
      { errors: { [field]: String(t(e.messageKey, e.params)) }, values: { [field]: text(field) } },
      { status: e.status },
    );
  };

  const intent = text("intent");
  if (intent === "ask") {
    const form = parseWith(AskForm, { question: text("question") }, t);
    if (!form.ok)
      return data<ActionErrors>(
        { errors: form.errors, values: { question: text("question") } },
        { status: 400 },
      );
    try {
      await askQuestion({ actor, tenderId, question: form.value.question, ip }, db);
    } catch (e) {
      if (!isAppError(e)) throw e;
      return failed(e, "question");
    }
    return redirect(`/tenders/${tenderId}/questions?notice=questionAsked#mine`);
  }
  if (intent === "answer") {
    const clarificationId = z.uuid().safeParse(text("clarificationId"));
    if (!clarificationId.success)
      return data<ActionErrors>({ errors: { form: t("errors.VALIDATION") }, values: {} }, { status: 400 });
    // One answer box per question: each has its own name, so errors land beside the right one.
    const field = `answer-${clarificationId.data}`;
    const form = parseWith(AnswerForm, { answer: text(field) }, t);
    if (!form.ok)
      return data<ActionErrors>(
        {
          errors: { [field]: form.errors.answer ?? t("errors.VALIDATION") },
          values: { [field]: text(field) },
        },
        { status: 400 },
      );
    try {
      await answerQuestion(
        {
          actor,
          clarificationId: clarificationId.data,
          answer: form.value.answer,
          ip,
          baseUrl: publicBaseUrl(request, env.PUBLIC_URL),
        },
        db,
      );
    } catch (e) {
      if (!isAppError(e)) throw e;
      return failed(e, field);
    }
    return redirect(`/tenders/${tenderId}/questions?notice=questionAnswered#published`);
  }
  return data<ActionErrors>({ errors: { form: t("errors.VALIDATION") }, values: {} }, { status: 400 });
}

export default function TenderQuestions({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useTranslation();
  const d = loaderData;
  const errors: Record<string, string | undefined> = actionData?.errors ?? {};
  const values: Record<string, string | undefined> = actionData?.values ?? {};
  return (
    <>
      <title>{d.title}</title>
      <p>
        <Link to={`/tenders/${d.tender.id}`}>{t("clarifications.backToTender")}</Link>
      </p>
      <h1>{t("clarifications.title")}</h1>
      <p className="lead">{d.tender.title}</p>
      <p className="hint">
        {t("tenders.reference")}: <span dir="ltr">{d.tender.reference}</span>
      </p>
      <ErrorSummary errors={errors} />
      <p className="prose">{t("clarifications.lead")}</p>
      <p>
        {d.enquiryDeadline ? (
          <DeadlineSentence
            template={d.enquiriesOpen ? "clarifications.enquiriesOpen" : "clarifications.enquiriesClosed"}
            deadline={d.enquiryDeadline}
          />
        ) : (
          t("clarifications.enquiriesClosedNoDate")
        )}
      </p>

      {d.officer ? (
        <section aria-labelledby="officer-title" id="officer">
          <h2 id="officer-title">{t("clarifications.officer")}</h2>
          <p className="hint">{t("clarifications.officerLead")}</p>
          {d.officer.pending.length === 0 ? (
            <p>{t("clarifications.officerNone")}</p>
          ) : (
            d.officer.pending.map((q) => {
              const field = `answer-${q.id}`;
              return (
                <article className="panel" key={q.id} aria-label={t("clarifications.question")}>
                  <p className="hint">
                    {t("clarifications.askedBy")}: <strong>{q.askedBy}</strong>
                    <br />
                    <DeadlineSentence template="clarifications.askedAt" param="when" deadline={q.askedAt} />
                  </p>
                  <p className="preserve-lines" dir="auto">
                    {q.question}
                  </p>
                  <Form method="post" noValidate>
                    <input type="hidden" name="intent" value="answer" />
                    <input type="hidden" name="clarificationId" value={q.id} />
                    <TextAreaField
                      name={field}
                      label={t("clarifications.answerLabel")}
                      hint={t("clarifications.answerHint", {
                        min: d.limits.answerMin,
                        max: d.limits.answerMax,
                      })}
                      error={errors[field]}
                      defaultValue={values[field]}
                      dir="auto"
                    />
                    <Button>{t("clarifications.submitAnswer")}</Button>
                  </Form>
                </article>
              );
            })
          )}
        </section>
      ) : null}

      {d.asker ? (
        <>
          {d.enquiriesOpen ? (
            <section aria-labelledby="ask-title" id="ask">
              <h2 id="ask-title">{t("clarifications.ask")}</h2>
              {d.asker.verified ? (
                <Form method="post" className="narrow-wide" noValidate>
                  <input type="hidden" name="intent" value="ask" />
                  <TextAreaField
                    name="question"
                    label={t("clarifications.askLabel")}
                    hint={t("clarifications.askHint", {
                      min: d.limits.questionMin,
                      max: d.limits.questionMax,
                    })}
                    error={errors.question}
                    defaultValue={values.question}
                    dir="auto"
                  />
                  <Button>{t("clarifications.submitQuestion")}</Button>
                </Form>
              ) : (
                <p className="notice notice--warning">{t("clarifications.notVerified")}</p>
              )}
            </section>
          ) : null}
          {d.asker.mine.length ? (
            <section aria-labelledby="mine-title" id="mine">
              <h2 id="mine-title">{t("clarifications.mine")}</h2>
              <p className="hint">{t("clarifications.mineLead")}</p>
              {d.asker.mine.map((q) => (
                <article className="panel" key={q.id} aria-label={t("clarifications.question")}>
                  <p>
                    <StatusTag tone={q.status === "answered" ? "success" : "info"}>
                      {t(`clarifications.status.${q.status}`)}
                    </StatusTag>{" "}
                    <span className="hint">
                      <DeadlineSentence template="clarifications.askedAt" param="when" deadline={q.askedAt} />
                    </span>
                  </p>
                  <p className="preserve-lines" dir="auto">
                    {q.question}
                  </p>
                </article>
              ))}
            </section>
          ) : null}
        </>
      ) : d.enquiriesOpen && !d.officer ? (
        <p className="panel">
          {d.signedIn ? (
            t("clarifications.signInToAsk")
          ) : (
            <Link to={`/login?redirectTo=${encodeURIComponent(`/tenders/${d.tender.id}/questions`)}`}>
              {t("clarifications.signInToAsk")}
            </Link>
          )}
        </p>
      ) : null}

      <section aria-labelledby="published-title" id="published">
        <h2 id="published-title">{t("clarifications.published")}</h2>
        {d.published.length === 0 ? (
          <EmptyState title={t("clarifications.none")}>
            <p>{t("clarifications.noneBody")}</p>
          </EmptyState>
        ) : (
          d.published.map((c, i) => (
            // Published answers never change, and their order is the order of publication.
            // biome-ignore lint/suspicious/noArrayIndexKey: the public list carries no ids, by design
            <article className="panel" key={i} aria-labelledby={`q-${i + 1}`}>
              <h3 id={`q-${i + 1}`}>{t("clarifications.questionNumber", { number: i + 1 })}</h3>
              <p className="preserve-lines" dir="auto">
                {c.question}
              </p>
              <p className="hint">
                <DeadlineSentence template="clarifications.askedAt" param="when" deadline={c.askedAt} />
              </p>
              <h4>{t("clarifications.answer")}</h4>
              <p className="preserve-lines" dir="auto">
                {c.answer}
              </p>
              <p className="hint">
                <DeadlineSentence template="clarifications.answeredAt" param="when" deadline={c.answeredAt} />
              </p>
            </article>
          ))
        )}
      </section>
    </>
  );
}

/** A translated sentence with a date in it, the date kept left-to-right (it is "2026-12-01 10:00 (Asia/Kuwait)"). */
function DeadlineSentence({
  template,
  deadline,
  param = "deadline",
}: {
  template: string;
  deadline: string;
  param?: string;
}) {
  const { t } = useTranslation();
  const marker = "\u0000";
  const [before = "", after = ""] = String(t(template, { [param]: marker })).split(marker);
  return (
    <>
      {before}
      <span dir="ltr">{deadline}</span>
      {after}
    </>
  );
}
