import { data, Form, Link, redirect } from "react-router";
import { z } from "zod";
import { OpeningRecordTable } from "#app/components/tender.tsx";
import { Button, EmptyState, ErrorSummary } from "#app/components/ui.tsx";
import { requireUser } from "#app/modules/accounts/context.server.ts";
import { confirmOpening, startOpening } from "#app/modules/bids/open-bids.server.ts";
import { openingForOfficer, openingRows } from "#app/modules/bids/opening-view.server.ts";
import { sealingKeys } from "#app/modules/bids/sealing-keys.server.ts";
import { i18nContext } from "#app/modules/i18n/context.server.ts";
import { useTranslation } from "#app/modules/i18n/use-translation.ts";
import { servicesContext } from "#app/server/context.ts";
import { isAppError } from "#app/utils/errors.ts";
import { formErrorsOf } from "#app/utils/forms.server.ts";
import { clientIp } from "#app/utils/http.server.ts";
import { throwAsResponse } from "#app/utils/responses.server.ts";
import { formatInZone } from "#app/utils/time-zones.ts";
import type { Route } from "./+types/tenders.manage.$tenderId.opening";

const TenderId = z.uuid();

export async function loader({ request, params, context }: Route.LoaderArgs) {
  const { t, lang } = context.get(i18nContext);
  const { actor } = requireUser(request, context);
  const id = TenderId.safeParse(params.tenderId);
  if (!id.success) throw new Response("Not found", { status: 404 });
  const v = await openingForOfficer(actor, id.data, context.get(servicesContext).database.db).catch(
    throwAsResponse,
  );
  const rows = openingRows(v.opening?.record ?? [], v.tender.currency, lang);
  // The bids' documents, unsealed on request (officers only, after the opening).
  const documents = (v.opening?.record ?? []).flatMap((entry) =>
    (entry.documents ?? []).map((doc) => ({
      key: `${entry.bidId}-${doc.docId}`,
      bidder: lang === "ar" ? entry.businessNameAr : entry.businessNameEn,
      name: doc.name,
      sha256: doc.sha256,
      href: `/tenders/manage/${v.tender.id}/bids/${entry.bidId}/documents/${doc.docId}`,
    })),
  );
  return {
    title: `${t("opening.title")} – ${v.tender.reference} – ${t("meta.siteName")}`,
    tenderId: v.tender.id,
    tenderTitle: lang === "ar" ? v.tender.titleAr : v.tender.titleEn,
    openingAt: formatInZone(v.tender.openingAt!, v.tender.timeZone),
    due: v.tender.openingAt!.getTime() <= Date.now(),
    started: v.opening
      ? {
          by: v.startedByName,
          at: formatInZone(v.opening.startedAt, v.tender.timeZone),
          mine: v.opening.startedBy === v.userId,
        }
      : null,
    confirmedAt: v.opening?.confirmedAt ? formatInZone(v.opening.confirmedAt, v.tender.timeZone) : null,
    rows,
    documents,
  };
}

export async function action({ request, params, context }: Route.ActionArgs) {
  const { t } = context.get(i18nContext);
  const { actor } = requireUser(request, context);
  const id = TenderId.safeParse(params.tenderId);
  if (!id.success) throw new Response("Not found", { status: 404 });
  const { database, env } = context.get(servicesContext);
  const intent = String((await request.formData()).get("intent") ?? "");
  const ip = clientIp(request);
  try {
    if (intent === "start") await startOpening({ actor, tenderId: id.data, ip }, database.db);
    else if (intent === "confirm")
      await confirmOpening(
        { actor, tenderId: id.data, ip },
        { db: database.db, master: (await sealingKeys(env)).master },
      );
    else return data({ errors: { form: t("errors.VALIDATION") } }, { status: 400 });
    return redirect(`/tenders/manage/${id.data}/opening`);
  } catch (e) {
    if (!isAppError(e)) throw e;
    if (e.code === "NOT_FOUND" || e.code === "FORBIDDEN" || e.code === "UNAUTHENTICATED") throwAsResponse(e);
    return data({ errors: formErrorsOf(e, t) }, { status: e.status });
  }
}

export default function Opening({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useTranslation();
  const d = loaderData;
  return (
    <>
      <title>{d.title}</title>
      <p>
        <Link to={`/tenders/manage/${d.tenderId}`}>{d.tenderTitle}</Link>
      </p>
      <h1>{t("opening.title")}</h1>
      <p className="lead">{t("opening.lead")}</p>
      <ErrorSummary errors={actionData?.errors ?? {}} />
      {d.confirmedAt ? (
        <>
          <div className="notice" role="status">
            {t("opening.openedAt", { at: d.confirmedAt })}
          </div>
          <h2>{t("opening.record")}</h2>
          {d.rows.length === 0 ? (
            <EmptyState title={t("opening.noBids")} />
          ) : (
            <OpeningRecordTable rows={d.rows} />
          )}
          {d.documents.length > 0 ? (
            <>
              <h2>{t("bidding.documents")}</h2>
              <ul className="cpv-hits">
                {d.documents.map((doc) => (
                  <li key={doc.key}>
                    {doc.bidder}: <a href={doc.href}>{doc.name}</a>{" "}
                    <code className="digest" dir="ltr">
                      {doc.sha256}
                    </code>
                  </li>
                ))}
              </ul>
            </>
          ) : null}
        </>
      ) : d.started ? (
        <section className="panel">
          <p>
            {d.started.mine
              ? t("opening.youStarted")
              : t("opening.startedBy", { name: d.started.by, at: d.started.at })}
          </p>
          {d.started.mine ? null : (
            <Form method="post">
              <input type="hidden" name="intent" value="confirm" />
              <Button>{t("opening.confirm")}</Button>
            </Form>
          )}
        </section>
      ) : (
        <section className="panel">
          <p>{t("opening.notYet", { at: d.openingAt })}</p>
          {d.due ? (
            <Form method="post">
              <input type="hidden" name="intent" value="start" />
              <Button>{t("opening.start")}</Button>
            </Form>
          ) : null}
        </section>
      )}
    </>
  );
}
