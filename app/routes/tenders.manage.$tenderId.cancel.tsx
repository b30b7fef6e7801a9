import { data, Link, redirect } from "react-router";
import { z } from "zod";
import { CancelForm } from "#app/components/cancellation.tsx";
import { DoneNotice } from "#app/components/evaluation.tsx";
import { ErrorSummary, StatusTag } from "#app/components/ui.tsx";
import { requireUser } from "#app/modules/accounts/context.server.ts";
import { cancelLot, cancelTender } from "#app/modules/cancellations/cancel-tender.server.ts";
import { cancellationView } from "#app/modules/cancellations/cancellation-view.server.ts";
import { ltr } from "#app/modules/evaluations/evaluation-view.ts";
import { i18nContext } from "#app/modules/i18n/context.server.ts";
import { useTranslation } from "#app/modules/i18n/use-translation.ts";
import { moneyText } from "#app/modules/payments/money-view.ts";
import { cardPaymentsFrom } from "#app/modules/payments/stripe-client.server.ts";
import { servicesContext } from "#app/server/context.ts";
import { isAppError } from "#app/utils/errors.ts";
import { clientIp, publicBaseUrl } from "#app/utils/http.server.ts";
import { throwAsResponse } from "#app/utils/responses.server.ts";
import { formatInZone } from "#app/utils/time-zones.ts";
import type { Route } from "./+types/tenders.manage.$tenderId.cancel";

const TenderId = z.uuid();
const Intent = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("tender"), reason: z.string().max(4000).default("") }),
  z.object({ intent: z.literal("lot"), lotId: z.uuid() }).passthrough(),
]);

/** The procurement officer cancels the tender, or one lot, with a reason; what it refunds and releases, first. */
export async function loader({ request, params, context }: Route.LoaderArgs) {
  const { t, lang } = context.get(i18nContext);
  const { actor } = requireUser(request, context);
  const id = TenderId.safeParse(params.tenderId);
  if (!id.success) throw new Response("Not found", { status: 404 });
  const v = await cancellationView(actor, id.data, context.get(servicesContext).database.db).catch(
    throwAsResponse,
  );
  const zone = v.tender.timeZone;
  const when = (d: Date | null) => (d ? ltr(formatInZone(d, zone)) : "");
  return {
    title: `${t("complaints.cancel.title")} – ${v.tender.reference} – ${t("meta.siteName")}`,
    tenderId: v.tender.id,
    tenderTitle: `${v.tender.reference} – ${lang === "ar" ? v.tender.titleAr : v.tender.titleEn}`,
    status: v.tender.status,
    cancelledAt: when(v.tender.cancelledAt),
    cancelReason: v.tender.cancelReason ?? "",
    cancellable: v.cancellable,
    contracted: v.lots.some((l) => l.contract !== null),
    refundDocumentFees: v.refundDocumentFees,
    documentFees: {
      count: v.documentFees.count,
      total: v.documentFees.currency ? moneyText(v.documentFees.total, v.documentFees.currency, lang) : "",
    },
    heldSecurities: v.heldSecurities,
    lots: v.lots.map((l) => ({
      id: l.lot.id,
      number: l.lot.number,
      title: lang === "ar" ? l.lot.titleAr : l.lot.titleEn,
      awardStatus: l.awardStatus,
      contract: l.contract,
      cancelledAt: when(l.lot.cancelledAt),
      cancelReason: l.lot.cancelReason ?? "",
    })),
    openLots: v.lots.filter((l) => !l.lot.cancelledAt).length,
  };
}

export async function action({ request, params, context }: Route.ActionArgs) {
  const { t } = context.get(i18nContext);
  const { actor } = requireUser(request, context);
  const id = TenderId.safeParse(params.tenderId);
  if (!id.success) throw new Response("Not found", { status: 404 });
  const { database, env } = context.get(servicesContext);
  const form = Object.fromEntries(await request.formData()) as Record<string, string>;
  const parsed = Intent.safeParse(form);
  if (!parsed.success)
    return data({ errors: { form: t("errors.VALIDATION") }, values: form }, { status: 400 });
  const input = parsed.data;
  const notice = { ip: clientIp(request), baseUrl: publicBaseUrl(request, env.PUBLIC_URL) };
  const deps = { db: database.db, card: cardPaymentsFrom(env) };
  const field = input.intent === "lot" ? `reason-${input.lotId}` : "reason";
  try {
    if (input.intent === "tender") {
      await cancelTender({ actor, tenderId: id.data, reason: input.reason, ...notice }, deps);
      return redirect(`/tenders/manage/${id.data}/cancel?done=tender`);
    }
    const { tender } = await cancelLot(
      { actor, tenderId: id.data, lotId: input.lotId, reason: String(form[field] ?? ""), ...notice },
      deps,
    );
    return redirect(
      `/tenders/manage/${id.data}/cancel?done=${tender.status === "cancelled" ? "tender" : "lot"}`,
    );
  } catch (e) {
    if (!isAppError(e)) throw e;
    if (e.code === "NOT_FOUND" || e.code === "FORBIDDEN" || e.code === "UNAUTHENTICATED") throwAsResponse(e);
    const message = String(t(e.messageKey, e.params));
    return data(
      { errors: { [e.field === "reason" ? field : "form"]: message }, values: form },
      { status: e.status },
    );
  }
}

export default function CancelTender({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useTranslation();
  const d = loaderData;
  const errors: Record<string, string | undefined> = actionData?.errors ?? {};
  const values: Record<string, string | undefined> = actionData?.values ?? {};
  return (
    <>
      <title>{d.title}</title>
      <p>
        <Link to={`/tenders/manage/${d.tenderId}`}>{d.tenderTitle}</Link>
      </p>
      <h1>{t("complaints.cancel.title")}</h1>
      <DoneNotice
        messages={{ tender: t("complaints.cancel.notices.tender"), lot: t("complaints.cancel.notices.lot") }}
      />
      <ErrorSummary errors={errors} />
      {d.status === "cancelled" ? (
        <div className="notice notice--warning">
          {t("complaints.cancel.cancelledOn", { at: d.cancelledAt, reason: d.cancelReason })}
        </div>
      ) : d.contracted ? (
        <div className="notice notice--warning">{t("complaints.cancel.contractBlocks")}</div>
      ) : !d.cancellable ? (
        <div className="notice notice--warning">{t("complaints.cancel.notCancellable")}</div>
      ) : (
        <>
          <p className="lead">{t("complaints.cancel.lead")}</p>
          <ul>
            <li>
              {!d.refundDocumentFees
                ? t("complaints.cancel.refundOff")
                : d.documentFees.count > 0
                  ? t("complaints.cancel.refundOn", {
                      count: d.documentFees.count,
                      total: d.documentFees.total,
                    })
                  : t("complaints.cancel.refundOnNone")}
            </li>
            <li>{t("complaints.cancel.securities", { count: d.heldSecurities })}</li>
          </ul>
          <section className="panel" aria-labelledby="cancel-tender">
            <h2 id="cancel-tender">{t("complaints.cancel.tenderTitle")}</h2>
            <CancelForm
              tenderId={d.tenderId}
              error={errors.reason}
              defaultReason={values.intent === "tender" ? values.reason : undefined}
            />
          </section>
        </>
      )}
      {d.lots.length > 1 || d.lots.some((l) => l.cancelledAt)
        ? d.lots.map((l) => (
            <section key={l.id} className="panel" aria-labelledby={`lot-${l.id}`}>
              <h2 id={`lot-${l.id}`}>
                {t("complaints.cancel.lotState", { number: l.number, title: l.title })}
              </h2>
              {l.cancelledAt ? (
                <p>
                  <StatusTag tone="danger">{t("award.status.cancelled")}</StatusTag>{" "}
                  {t("complaints.cancel.lotCancelledOn", {
                    number: l.number,
                    at: l.cancelledAt,
                    reason: l.cancelReason,
                  })}
                </p>
              ) : (
                <>
                  <p>
                    {l.awardStatus
                      ? t("complaints.cancel.awardState", { status: t(`award.status.${l.awardStatus}`) })
                      : t("complaints.cancel.noAwardState")}
                  </p>
                  {d.cancellable && !l.contract && d.openLots > 1 ? (
                    <>
                      <p>{t("complaints.cancel.lotLead")}</p>
                      <CancelForm
                        tenderId={d.tenderId}
                        lot={{ id: l.id, number: l.number }}
                        error={errors[`reason-${l.id}`]}
                        defaultReason={values.lotId === l.id ? values[`reason-${l.id}`] : undefined}
                      />
                    </>
                  ) : null}
                </>
              )}
            </section>
          ))
        : null}
    </>
  );
}
