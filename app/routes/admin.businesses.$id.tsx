import { data, Form, redirect } from "react-router";
import { z } from "zod";
import { Button, ErrorSummary, StatusTag } from "#app/components/ui.tsx";
import { requireUser } from "#app/modules/accounts/context.server.ts";
import {
  decideBusinessVerification,
  getBusinessForReview,
} from "#app/modules/accounts/review-businesses.server.ts";
import { formatBytes } from "#app/modules/files/media-types.ts";
import { i18nContext } from "#app/modules/i18n/context.server.ts";
import { useTranslation } from "#app/modules/i18n/use-translation.ts";
import { servicesContext } from "#app/server/context.ts";
import { isAppError } from "#app/utils/errors.ts";
import { formErrorsOf } from "#app/utils/forms.server.ts";
import { clientIp } from "#app/utils/http.server.ts";
import { throwAsResponse } from "#app/utils/responses.server.ts";
import type { Route } from "./+types/admin.businesses.$id";

const Decision = z.object({
  decision: z.enum(["verified", "rejected"]),
  reason: z.string().max(1000).default(""),
});
const isUuid = (v: string) => /^[0-9a-f-]{36}$/.test(v);

export async function loader({ request, params, context }: Route.LoaderArgs) {
  const { t } = context.get(i18nContext);
  const { actor } = requireUser(request, context);
  if (!isUuid(params.id)) throw data(null, { status: 404 });
  const { business, documents } = await getBusinessForReview(
    actor,
    params.id,
    context.get(servicesContext).database.db,
  ).catch(throwAsResponse);
  return {
    title: `${business.nameEn} – ${t("meta.siteName")}`,
    business: {
      ...business,
      createdAt: business.createdAt.toISOString(),
      verifiedAt: business.verifiedAt?.toISOString() ?? null,
    },
    documents: documents.map((d) => ({ ...d, size: formatBytes(Number(d.sizeBytes)), sizeBytes: undefined })),
  };
}

export async function action({ request, params, context }: Route.ActionArgs) {
  const { t } = context.get(i18nContext);
  const { actor } = requireUser(request, context);
  const form = Decision.safeParse(Object.fromEntries(await request.formData()));
  if (!form.success || !isUuid(params.id))
    return data({ errors: { reason: t("errors.VALIDATION") } }, { status: 400 });
  try {
    await decideBusinessVerification(
      { actor, organisationId: params.id, ...form.data, ip: clientIp(request) },
      context.get(servicesContext).database.db,
    );
  } catch (e) {
    if (!isAppError(e)) throw e;
    return data({ errors: formErrorsOf(e, t, "reason") }, { status: e.status });
  }
  return redirect("/admin/businesses?notice=decisionRecorded", 303);
}

export default function ReviewBusiness({ loaderData, actionData }: Route.ComponentProps) {
  const { t, i18n } = useTranslation();
  const b = loaderData.business;
  const errors: Record<string, string | undefined> = actionData?.errors ?? {};
  const region = new Intl.DisplayNames([i18n.language], { type: "region" });
  const facts: Array<[string, string | null, "ltr" | "auto"]> = [
    [t("register.nameAr"), b.nameAr, "auto"],
    [t("register.nameEn"), b.nameEn, "auto"],
    [t("register.registrationNumber"), b.registrationNumber, "ltr"],
    [t("register.taxNumber"), b.taxNumber, "ltr"],
    [t("register.country"), region.of(b.country) ?? b.country, "auto"],
    [t("register.sector"), b.sector ? t(`sectors.${b.sector}`) : null, "auto"],
    [t("register.address"), b.address, "auto"],
    [t("register.contactEmail"), b.contactEmail, "ltr"],
    [t("register.contactPhone"), b.contactPhone, "ltr"],
  ];
  return (
    <>
      <title>{loaderData.title}</title>
      <h1>{i18n.language === "ar" ? b.nameAr : b.nameEn}</h1>
      <p>
        <StatusTag
          tone={
            b.verification === "verified" ? "success" : b.verification === "rejected" ? "danger" : "warning"
          }
        >
          {t(`review.${b.verification}`)}
        </StatusTag>
      </p>
      <dl className="facts">
        {facts.map(([label, value]) => (
          <div key={label}>
            <dt>{label}</dt>
            <dd dir="auto">{value ?? "—"}</dd>
          </div>
        ))}
      </dl>
      <h2>{t("review.documents")}</h2>
      <ul className="documents">
        {loaderData.documents.map((d) => (
          <li key={d.fileId}>
            <a href={`/files/${d.fileId}`} download>
              {d.name}
            </a>{" "}
            <span className="hint">
              (
              {d.kind === "commercial_registration"
                ? t("register.commercialRegistration")
                : t("register.taxCertificate")}
              , {d.size})
            </span>
            <br />
            <code className="digest" dir="ltr">
              SHA-256 {d.sha256}
            </code>
          </li>
        ))}
      </ul>
      {b.verification === "pending" ? (
        <>
          <h2>{t("review.decision")}</h2>
          <ErrorSummary errors={errors} />
          <Form method="post" className="narrow">
            <div className={`field${errors.reason ? " field--error" : ""}`}>
              <label className="field__label" htmlFor="reason">
                {t("review.reason")}
              </label>
              {errors.reason ? (
                <p className="field__error" id="reason-error">
                  {errors.reason}
                </p>
              ) : null}
              <textarea className="field__input" id="reason" name="reason" rows={3} dir="auto" />
            </div>
            <div className="button-row">
              <Button name="decision" value="verified">
                {t("review.verify")}
              </Button>
              <Button name="decision" value="rejected" variant="warning">
                {t("review.reject")}
              </Button>
            </div>
          </Form>
        </>
      ) : null}
    </>
  );
}
