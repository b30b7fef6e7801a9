import type { TFunction } from "i18next";
import { data, Form, Link, redirect } from "react-router";
import { PermitFee, PermitTypeFields } from "#app/components/permit-catalogue.tsx";
import { Button, DataTable, EmptyState, ErrorSummary, SelectField, StatusTag } from "#app/components/ui.tsx";
import { requireUser } from "#app/modules/accounts/context.server.ts";
import { can } from "#app/modules/accounts/permissions.ts";
import { i18nContext } from "#app/modules/i18n/context.server.ts";
import { useTranslation } from "#app/modules/i18n/use-translation.ts";
import {
  agenciesKeptBy,
  createPermitType,
  listAgencyPermitTypes,
  listPublicPermitTypes,
} from "#app/modules/permits/permit-catalogue.server.ts";
import {
  applyRowIntent,
  checkPermitTypeForm,
  errorsOf,
  newPermitTypeValues,
  readPermitTypeForm,
  summaryOf,
  withoutBlankRows,
} from "#app/modules/permits/permit-type-form.ts";
import { permitTypeView } from "#app/modules/permits/permit-type-view.ts";
import { servicesContext } from "#app/server/context.ts";
import { isAppError } from "#app/utils/errors.ts";
import { formErrorsOf } from "#app/utils/forms.server.ts";
import { clientIp } from "#app/utils/http.server.ts";
import { throwAsResponse } from "#app/utils/responses.server.ts";
import type { Route } from "./+types/licensing.types";

export async function loader({ request, context }: Route.LoaderArgs) {
  const { t, lang } = context.get(i18nContext);
  const { actor } = requireUser(request, context);
  const db = context.get(servicesContext).database.db;
  const agencies = await agenciesKeptBy(actor, db).catch(throwAsResponse);
  const asked = new URL(request.url).searchParams.get("agency");
  const chosen = agencies.find((a) => a.id === asked) ?? agencies[0];
  if (!chosen) throw data({ code: "NOT_FOUND" }, { status: 404 });
  const [{ agency, types }, all] = await Promise.all([
    listAgencyPermitTypes({ actor, agencyId: chosen.id }, db).catch(throwAsResponse),
    listPublicPermitTypes(db),
  ]);
  const name = (x: { nameAr: string; nameEn: string }) => (lang === "ar" ? x.nameAr : x.nameEn);
  return {
    title: `${t("permitCatalogue.manageTitle")} – ${t("meta.siteName")}`,
    agencyId: agency.id,
    agency: name(agency),
    agencies: agencies.map((a) => ({ value: a.id, label: name(a) })),
    canSetFees: can(actor, "payments:configure"),
    types: types.map((e) => permitTypeView(e, lang)),
    parents: all.map((e) => ({
      value: e.type.code,
      label: `${name(e.type)} – ${name(e.agency)} (${e.type.code})`,
    })),
    values: newPermitTypeValues(agency.id),
  };
}

/** Inline messages by control, and the summary's lines naming each control. */
function withSummary(errors: Record<string, string>, t: TFunction) {
  return { errors, summary: summaryOf(errors, t) };
}

export async function action({ request, context }: Route.ActionArgs) {
  const { t } = context.get(i18nContext);
  const { actor } = requireUser(request, context);
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "save");
  const values = readPermitTypeForm(form);
  const formKey = crypto.randomUUID();
  const rows = applyRowIntent(values, intent);
  if (rows)
    return {
      values: rows,
      errors: {} as Record<string, string>,
      summary: {} as Record<string, string>,
      rowsChanged: true,
      formKey,
    };
  const compact = withoutBlankRows(values);
  const checked = checkPermitTypeForm(compact, "create");
  if (!checked.ok)
    return data(
      { values: compact, ...withSummary(errorsOf(checked.issues, t), t), rowsChanged: false, formKey },
      { status: 400 },
    );
  try {
    const created = await createPermitType(
      { actor, type: checked.value, ip: clientIp(request) },
      context.get(servicesContext).database.db,
    );
    return redirect(`/licensing/types/${created.id}?notice=saved`);
  } catch (e) {
    if (!isAppError(e)) throw e;
    if (e.code === "FORBIDDEN" || e.code === "UNAUTHENTICATED") throwAsResponse(e);
    return data(
      { values: compact, ...withSummary(formErrorsOf(e, t), t), rowsChanged: false, formKey },
      { status: e.status },
    );
  }
}

export default function PermitTypes({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useTranslation();
  const d = loaderData;
  const errors: Record<string, string | undefined> = actionData?.errors ?? {};
  const values = actionData?.values ?? d.values;
  return (
    <>
      <title>{d.title}</title>
      <h1>{t("permitCatalogue.manageTitle")}</h1>
      <p className="lead">{t("permitCatalogue.manageLead", { agency: d.agency })}</p>
      {d.agencies.length > 1 ? (
        <Form method="get" className="inline-form">
          <SelectField
            name="agency"
            label={t("permitCatalogue.agencyLabel")}
            options={d.agencies}
            defaultValue={d.agencyId}
          />
          <Button variant="secondary">{t("permitCatalogue.show")}</Button>
        </Form>
      ) : null}
      <p>
        <Link to="/permits">{t("permitCatalogue.publicCatalogue")}</Link>
        {d.canSetFees ? (
          <>
            {" · "}
            <Link to="/finance/fees">{t("feesPage.title")}</Link>
          </>
        ) : null}
      </p>
      {d.types.length === 0 ? (
        <EmptyState title={t("permitCatalogue.noneYet")} />
      ) : (
        <DataTable
          caption={t("permitCatalogue.manageTitle")}
          captionHidden
          rows={d.types}
          rowKey={(r) => r.id}
          columns={[
            {
              key: "name",
              header: t("permitCatalogue.name"),
              cell: (r) => (
                <>
                  <Link to={`/licensing/types/${r.id}`}>{r.name}</Link>
                  <br />
                  <small>{r.otherName}</small>
                </>
              ),
            },
            {
              key: "code",
              header: t("permitCatalogue.codeLabel"),
              cell: (r) => <code dir="ltr">{r.code}</code>,
            },
            {
              key: "status",
              header: t("permitCatalogue.status"),
              cell: (r) =>
                r.active ? (
                  <StatusTag tone="success">{t("permitCatalogue.active")}</StatusTag>
                ) : (
                  <StatusTag>{t("permitCatalogue.withdrawn")}</StatusTag>
                ),
            },
            {
              key: "sla",
              header: t("permitCatalogue.serviceLevel"),
              cell: (r) => t("permitCatalogue.workingDays", { count: r.serviceLevelDays }),
            },
            {
              key: "validity",
              header: t("permitCatalogue.validity"),
              cell: (r) => t("permitCatalogue.months", { count: r.validityMonths }),
            },
            {
              key: "fee",
              header: t("permitCatalogue.fee"),
              cell: (r) => (r.fee ? <PermitFee fee={r.fee} /> : t("permitCatalogue.feeNotSet")),
            },
            {
              key: "edit",
              header: t("permitCatalogue.edit"),
              cell: (r) => <Link to={`/licensing/types/${r.id}`}>{t("permitCatalogue.edit")}</Link>,
            },
          ]}
        />
      )}

      <details className="new-permit-type" open={Boolean(actionData)} id="new">
        <summary>{t("permitCatalogue.newTitle")}</summary>
        <ErrorSummary errors={actionData?.summary ?? {}} />
        {actionData?.rowsChanged ? (
          <p className="notice notice--warning" role="status">
            {t("permitCatalogue.notSavedYet", { save: t("permitCatalogue.create") })}
          </p>
        ) : null}
        <Form
          method="post"
          className="permit-form"
          action={`/licensing/types?agency=${d.agencyId}#new`}
          noValidate
          key={actionData?.formKey ?? "new"}
        >
          <input type="hidden" name="agencyId" value={d.agencyId} />
          <PermitTypeFields
            values={values}
            errors={errors}
            mode="create"
            parents={d.parents}
            saveLabel={t("permitCatalogue.create")}
          />
        </Form>
      </details>
    </>
  );
}
