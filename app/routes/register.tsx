import { data, Form, redirect } from "react-router";
import { z } from "zod";
import { NewAccountFields } from "#app/components/new-account-fields.tsx";
import { Button, ErrorSummary, FileField, SelectField, TextField } from "#app/components/ui.tsx";
import { actorContext, sessionPolicy } from "#app/modules/accounts/context.server.ts";
import { COUNTRY_CODES, SECTORS } from "#app/modules/accounts/countries.ts";
import { switchOrganisation } from "#app/modules/accounts/members.server.ts";
import { registerBusiness } from "#app/modules/accounts/register-business.server.ts";
import { sessionCookieHeader } from "#app/modules/accounts/session-cookie.server.ts";
import { createSession } from "#app/modules/accounts/sessions.server.ts";
import { DOCUMENT_TYPES, formatBytes } from "#app/modules/files/media-types.ts";
import { i18nContext } from "#app/modules/i18n/context.server.ts";
import { LANGUAGES } from "#app/modules/i18n/i18n.ts";
import { useTranslation } from "#app/modules/i18n/use-translation.ts";
import { servicesContext } from "#app/server/context.ts";
import { isAppError } from "#app/utils/errors.ts";
import { formErrorsOf, parseWith } from "#app/utils/forms.server.ts";
import { clientIp, publicBaseUrl } from "#app/utils/http.server.ts";
import { discardUploads, type MultipartForm, readMultipartForm } from "#app/utils/uploads.server.ts";
import type { Route } from "./+types/register";

const required = (max: number) =>
  z.string().trim().min(1, { message: "errors.required" }).max(max, { message: "errors.VALIDATION" });

const BusinessFields = z.object({
  nameAr: required(200),
  nameEn: required(200),
  registrationNumber: required(40),
  taxNumber: required(40),
  country: z.enum(COUNTRY_CODES, { message: "errors.required" }),
  sector: z.enum(SECTORS, { message: "errors.required" }),
  address: required(500),
  contactEmail: z.email({ message: "errors.emailInvalid" }).max(320, { message: "errors.emailInvalid" }),
  contactPhone: z
    .string()
    .trim()
    .regex(/^\+?[0-9][0-9 -]{5,24}$/, { message: "errors.phoneInvalid" }),
});
const AccountFields = z.object({
  displayName: required(120),
  email: z.email({ message: "errors.emailInvalid" }).max(320, { message: "errors.emailInvalid" }),
  password: z.string().min(1, { message: "errors.passwordRequired" }),
  language: z.enum(LANGUAGES).catch("ar"),
});

export async function loader({ context }: Route.LoaderArgs) {
  const { t, lang } = context.get(i18nContext);
  const { env } = context.get(servicesContext);
  return {
    title: `${t("register.title")} – ${t("meta.siteName")}`,
    needsAccount: context.get(actorContext).actor.type === "anonymous",
    lang,
    uploadLimit: formatBytes(env.UPLOAD_MAX_BYTES),
  };
}

export async function action({ request, context }: Route.ActionArgs) {
  const { t } = context.get(i18nContext);
  const { database, env, files } = context.get(servicesContext);
  const { actor } = context.get(actorContext);
  const deps = { db: database.db, files };
  let form: MultipartForm;
  try {
    form = await readMultipartForm(
      request,
      { maxBytes: env.UPLOAD_MAX_BYTES, accept: DOCUMENT_TYPES, maxFiles: 4 },
      deps,
    );
  } catch (e) {
    if (!isAppError(e)) throw e;
    return data({ errors: formErrorsOf(e, t, "commercialRegistration") }, { status: e.status });
  }
  const fields = Object.fromEntries(form.fields);
  const business = parseWith(BusinessFields, fields, t);
  const account = actor.type === "anonymous" ? parseWith(AccountFields, fields, t) : null;
  if (!business.ok || (account && !account.ok)) {
    await discardUploads(form, deps);
    const errors = {
      ...(account && !account.ok ? account.errors : {}),
      ...(!business.ok ? business.errors : {}),
    };
    return data({ errors }, { status: 400 });
  }
  const documents = [
    ...(form.files.get("commercialRegistration") ?? []).map((f) => ({
      fileId: f.id,
      kind: "commercial_registration" as const,
    })),
    ...(form.files.get("taxCertificate") ?? []).map((f) => ({
      fileId: f.id,
      kind: "tax_certificate" as const,
    })),
  ];
  const ip = clientIp(request);
  try {
    const { user, newAccount, organisation } = await registerBusiness(
      {
        actor,
        account: account?.ok ? account.value : undefined,
        business: business.value,
        documents,
        ip,
        baseUrl: publicBaseUrl(request, env.PUBLIC_URL),
      },
      database.db,
    );
    // From here on the owner acts for the new business.
    const current = context.get(actorContext).session;
    if (!newAccount && current) {
      await switchOrganisation(
        { actor, sessionId: current.id, organisationId: organisation.id, ip },
        database.db,
      );
      return redirect("/?notice=businessRegistered", 303);
    }
    const { token, session } = await createSession(
      database.db,
      { userId: user.id, organisationId: organisation.id, ip, userAgent: request.headers.get("user-agent") },
      sessionPolicy(env),
    );
    return redirect("/?notice=businessRegistered", {
      status: 303,
      headers: { "Set-Cookie": await sessionCookieHeader(request, token, session.absoluteExpiresAt) },
    });
  } catch (e) {
    await discardUploads(form, deps);
    if (!isAppError(e)) throw e;
    return data({ errors: formErrorsOf(e, t, "registrationNumber") }, { status: e.status });
  }
}

export default function Register({ loaderData, actionData }: Route.ComponentProps) {
  const { t, i18n } = useTranslation();
  const errors: Record<string, string | undefined> = actionData?.errors ?? {};
  const region = new Intl.DisplayNames([i18n.language], { type: "region" });
  return (
    <div className="narrow-wide">
      <title>{loaderData.title}</title>
      <h1>{t("register.title")}</h1>
      <p className="lead">{t("register.lead")}</p>
      <ErrorSummary errors={errors} />
      <Form method="post" encType="multipart/form-data" noValidate>
        {loaderData.needsAccount ? (
          <fieldset className="fieldset">
            <legend>{t("register.accountSection")}</legend>
            <NewAccountFields errors={errors} />
            <input type="hidden" name="language" value={loaderData.lang} />
          </fieldset>
        ) : null}
        <fieldset className="fieldset">
          <legend>{t("register.businessSection")}</legend>
          <TextField name="nameAr" label={t("register.nameAr")} error={errors.nameAr} dir="rtl" />
          <TextField name="nameEn" label={t("register.nameEn")} error={errors.nameEn} dir="ltr" />
          <SelectField
            name="country"
            label={t("register.country")}
            error={errors.country}
            defaultValue="KW"
            options={COUNTRY_CODES.map((c) => ({ value: c, label: region.of(c) ?? c }))}
          />
          <TextField
            name="registrationNumber"
            label={t("register.registrationNumber")}
            error={errors.registrationNumber}
            dir="ltr"
          />
          <TextField name="taxNumber" label={t("register.taxNumber")} error={errors.taxNumber} dir="ltr" />
          <SelectField
            name="sector"
            label={t("register.sector")}
            error={errors.sector}
            options={SECTORS.map((s) => ({ value: s, label: t(`sectors.${s}`) }))}
          />
          <TextField
            name="address"
            label={t("register.address")}
            error={errors.address}
            dir="auto"
            autoComplete="street-address"
          />
          <TextField
            name="contactEmail"
            type="email"
            label={t("register.contactEmail")}
            error={errors.contactEmail}
            dir="ltr"
          />
          <TextField
            name="contactPhone"
            type="tel"
            label={t("register.contactPhone")}
            error={errors.contactPhone}
            dir="ltr"
            autoComplete="tel"
          />
        </fieldset>
        <fieldset className="fieldset">
          <legend>{t("register.documentsSection")}</legend>
          <FileField
            name="commercialRegistration"
            label={t("register.commercialRegistration")}
            hint={t("register.documentsHint", { limit: loaderData.uploadLimit })}
            error={errors.commercialRegistration}
          />
          <FileField
            name="taxCertificate"
            label={t("register.taxCertificate")}
            error={errors.taxCertificate}
          />
        </fieldset>
        <Button>{t("register.submit")}</Button>
      </Form>
    </div>
  );
}
