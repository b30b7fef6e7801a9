import { data, Form, redirect } from "react-router";
import { z } from "zod";
import { Button, DataTable, ErrorSummary, SelectField, StatusTag, TextField } from "#app/components/ui.tsx";
import { requireUser } from "#app/modules/accounts/context.server.ts";
import { COUNTRY_CODES } from "#app/modules/accounts/countries.ts";
import { createAgency, listAgenciesForAdmin } from "#app/modules/accounts/create-agency.server.ts";
import { i18nContext } from "#app/modules/i18n/context.server.ts";
import { LANGUAGES } from "#app/modules/i18n/i18n.ts";
import { useTranslation } from "#app/modules/i18n/use-translation.ts";
import { servicesContext } from "#app/server/context.ts";
import { isAppError } from "#app/utils/errors.ts";
import { formErrorsOf, parseWith } from "#app/utils/forms.server.ts";
import { clientIp, publicBaseUrl } from "#app/utils/http.server.ts";
import { throwAsResponse } from "#app/utils/responses.server.ts";
import type { Route } from "./+types/admin.agencies";

const required = (max: number) =>
  z.string().trim().min(1, { message: "errors.required" }).max(max, { message: "errors.VALIDATION" });
const AgencyForm = z.object({
  nameAr: required(200),
  nameEn: required(200),
  country: z.enum(COUNTRY_CODES, { message: "errors.required" }),
  adminEmail: z.email({ message: "errors.emailInvalid" }).max(320, { message: "errors.emailInvalid" }),
  language: z.enum(LANGUAGES).catch("ar"),
});

export async function loader({ request, context }: Route.LoaderArgs) {
  const { t, lang } = context.get(i18nContext);
  const { actor } = requireUser(request, context);
  const agencies = await listAgenciesForAdmin(actor, context.get(servicesContext).database.db).catch(
    throwAsResponse,
  );
  return {
    title: `${t("adminAgencies.title")} – ${t("meta.siteName")}`,
    lang,
    agencies: agencies.map((a) => ({
      id: a.id,
      nameAr: a.nameAr,
      nameEn: a.nameEn,
      country: a.country,
      currency: a.currency,
      requireSecondFactor: a.requireSecondFactor,
    })),
  };
}

export async function action({ request, context }: Route.ActionArgs) {
  const { t } = context.get(i18nContext);
  const { actor } = requireUser(request, context);
  const { database, env } = context.get(servicesContext);
  const form = parseWith(AgencyForm, Object.fromEntries(await request.formData()), t);
  if (!form.ok) return data({ errors: form.errors }, { status: 400 });
  try {
    await createAgency(
      { actor, ...form.value, baseUrl: publicBaseUrl(request, env.PUBLIC_URL), ip: clientIp(request) },
      database.db,
    );
  } catch (e) {
    if (!isAppError(e)) throw e;
    return data({ errors: formErrorsOf(e, t, "nameEn") }, { status: e.status });
  }
  return redirect("/admin/agencies?notice=saved", 303);
}

export default function AdminAgencies({ loaderData, actionData }: Route.ComponentProps) {
  const { t, i18n } = useTranslation();
  const errors: Record<string, string | undefined> = actionData?.errors ?? {};
  const region = new Intl.DisplayNames([i18n.language], { type: "region" });
  return (
    <>
      <title>{loaderData.title}</title>
      <h1>{t("adminAgencies.title")}</h1>
      <DataTable
        caption={t("adminAgencies.title")}
        rows={loaderData.agencies}
        rowKey={(a) => a.id}
        columns={[
          {
            key: "name",
            header: t("agencies.name"),
            cell: (a) => (i18n.language === "ar" ? a.nameAr : a.nameEn),
          },
          { key: "country", header: t("agencies.country"), cell: (a) => region.of(a.country) ?? a.country },
          {
            key: "currency",
            header: t("agencies.currency"),
            cell: (a) => <span dir="ltr">{a.currency}</span>,
          },
          {
            key: "2fa",
            header: t("twoFactor.title"),
            cell: (a) =>
              a.requireSecondFactor ? (
                <StatusTag tone="success">{t("twoFactor.on")}</StatusTag>
              ) : (
                <StatusTag>{t("twoFactor.off")}</StatusTag>
              ),
          },
        ]}
      />
      <h2>{t("adminAgencies.create")}</h2>
      <ErrorSummary errors={errors} />
      <Form method="post" className="narrow" noValidate>
        <TextField name="nameAr" label={t("adminAgencies.nameAr")} error={errors.nameAr} dir="rtl" />
        <TextField name="nameEn" label={t("adminAgencies.nameEn")} error={errors.nameEn} dir="ltr" />
        <SelectField
          name="country"
          label={t("register.country")}
          error={errors.country}
          defaultValue="KW"
          options={COUNTRY_CODES.map((c) => ({ value: c, label: region.of(c) ?? c }))}
        />
        <TextField
          name="adminEmail"
          type="email"
          label={t("adminAgencies.adminEmail")}
          hint={t("adminAgencies.adminEmailHint")}
          error={errors.adminEmail}
          dir="ltr"
        />
        <SelectField
          name="language"
          label={t("signUp.language")}
          defaultValue={loaderData.lang}
          options={[
            { value: "ar", label: "العربية" },
            { value: "en", label: "English" },
          ]}
        />
        <Button>{t("adminAgencies.create")}</Button>
      </Form>
    </>
  );
}
