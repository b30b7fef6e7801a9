import { eq } from "drizzle-orm";
import { data, Form, Link, redirect } from "react-router";
import { TenderBasicsFields } from "#app/components/tender-basics-fields.tsx";
import { Button, ErrorSummary } from "#app/components/ui.tsx";
import { requireUser } from "#app/modules/accounts/context.server.ts";
import { assertCan } from "#app/modules/accounts/permissions.ts";
import { i18nContext } from "#app/modules/i18n/context.server.ts";
import { useTranslation } from "#app/modules/i18n/use-translation.ts";
import { permitTypeOptions } from "#app/modules/permits/permit-eligibility.server.ts";
import { createTenderDraft } from "#app/modules/tenders/author-tender.server.ts";
import { servicesContext } from "#app/server/context.ts";
import { isAppError } from "#app/utils/errors.ts";
import { formErrorsOf } from "#app/utils/forms.server.ts";
import { clientIp } from "#app/utils/http.server.ts";
import { throwAsResponse } from "#app/utils/responses.server.ts";
import { organisations } from "#db/schema/index.ts";
import type { Route } from "./+types/tenders.manage.new";

export async function loader({ request, context }: Route.LoaderArgs) {
  const { t, lang } = context.get(i18nContext);
  const { actor } = requireUser(request, context);
  try {
    assertCan(actor, "tender:draft");
  } catch (e) {
    throwAsResponse(e);
  }
  const agency = await context.get(servicesContext).database.db.query.organisations.findFirst({
    where: eq(organisations.id, actor.membership!.organisationId),
  });
  return {
    title: `${t("tenders.newTender")} – ${t("meta.siteName")}`,
    currency: agency!.currency,
    timeZone: agency!.timeZone,
    permitTypes: await permitTypeOptions(lang, context.get(servicesContext).database.db),
  };
}

export async function action({ request, context }: Route.ActionArgs) {
  const { t } = context.get(i18nContext);
  const { actor } = requireUser(request, context);
  const form = Object.fromEntries(await request.formData()) as Record<string, string>;
  try {
    const tender = await createTenderDraft(
      { actor, form: form as never, ip: clientIp(request) },
      context.get(servicesContext).database.db,
    );
    return redirect(`/tenders/manage/${tender.id}?notice=saved`);
  } catch (e) {
    if (!isAppError(e)) throw e;
    if (e.code === "FORBIDDEN" || e.code === "UNAUTHENTICATED") throwAsResponse(e);
    return data({ errors: formErrorsOf(e, t), values: form }, { status: e.status });
  }
}

export default function NewTender({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useTranslation();
  const v = actionData?.values;
  return (
    <>
      <title>{loaderData.title}</title>
      <p>
        <Link to="/tenders/manage">{t("tenders.manageTitle")}</Link>
      </p>
      <h1>{t("tenders.newTender")}</h1>
      <ErrorSummary errors={actionData?.errors ?? {}} />
      <Form method="post" className="narrow" noValidate>
        <TenderBasicsFields
          permitTypes={loaderData.permitTypes}
          currency={loaderData.currency}
          timeZone={loaderData.timeZone}
          errors={actionData?.errors ?? {}}
          values={{
            titleAr: v?.titleAr ?? "",
            titleEn: v?.titleEn ?? "",
            descriptionAr: v?.descriptionAr ?? "",
            descriptionEn: v?.descriptionEn ?? "",
            method: v?.method ?? "open",
            category: v?.category ?? "works",
            cpvCodes: v?.cpvCodes ?? "",
            estimatedValue: v?.estimatedValue ?? "",
            documentFee: v?.documentFee ?? "",
            submissionFee: v?.submissionFee ?? "",
            bidSecurity: v?.bidSecurity ?? "",
            requireVerified: v ? Boolean(v.requireVerified) : true,
            requiredPermitType: v?.requiredPermitType ?? "",
            requiresApproval: Boolean(v?.requiresApproval),
            enquiryDeadline: v?.enquiryDeadline ?? "",
            submissionDeadline: v?.submissionDeadline ?? "",
            openingAt: v?.openingAt ?? "",
          }}
        />
        <Button>{t("tenders.createDraft")}</Button>
      </Form>
    </>
  );
}
