import type { TFunction } from "i18next";
import { data, Form, Link, redirect } from "react-router";
import { PermitFee, PermitTypeFields } from "#app/components/permit-catalogue.tsx";
import { Button, ErrorSummary, TextField } from "#app/components/ui.tsx";
import { requireUser } from "#app/modules/accounts/context.server.ts";
import { can } from "#app/modules/accounts/permissions.ts";
import { i18nContext } from "#app/modules/i18n/context.server.ts";
import { useTranslation } from "#app/modules/i18n/use-translation.ts";
import { toDecimalString } from "#app/modules/ledger/money.ts";
import {
  listPublicPermitTypes,
  permitTypeForEditing,
  setPermitTypeFee,
  updatePermitType,
} from "#app/modules/permits/permit-catalogue.server.ts";
import {
  applyRowIntent,
  checkPermitTypeForm,
  errorsOf,
  readPermitTypeForm,
  summaryOf,
  valuesOfType,
  withoutBlankRows,
} from "#app/modules/permits/permit-type-form.ts";
import { permitTypeView } from "#app/modules/permits/permit-type-view.ts";
import { servicesContext } from "#app/server/context.ts";
import { isAppError } from "#app/utils/errors.ts";
import { formErrorsOf } from "#app/utils/forms.server.ts";
import { clientIp } from "#app/utils/http.server.ts";
import { throwAsResponse } from "#app/utils/responses.server.ts";
import type { Route } from "./+types/licensing.types.$typeId";

export async function loader({ request, params, context }: Route.LoaderArgs) {
  const { t, lang } = context.get(i18nContext);
  const { actor } = requireUser(request, context);
  const db = context.get(servicesContext).database.db;
  const entry = await permitTypeForEditing({ actor, typeId: params.typeId }, db).catch(throwAsResponse);
  const name = (x: { nameAr: string; nameEn: string }) => (lang === "ar" ? x.nameAr : x.nameEn);
  const parents = (await listPublicPermitTypes(db))
    .filter((e) => e.type.id !== entry.type.id)
    .map((e) => ({ value: e.type.code, label: `${name(e.type)} – ${name(e.agency)} (${e.type.code})` }));
  // A withdrawn parent stays selectable while it is this type's parent.
  if (entry.parent && !parents.some((p) => p.value === entry.parent!.code))
    parents.push({ value: entry.parent.code, label: `${name(entry.parent)} (${entry.parent.code})` });
  const view = permitTypeView(entry, lang);
  return {
    title: `${view.name} – ${t("permitCatalogue.manageTitle")} – ${t("meta.siteName")}`,
    type: view,
    agencyId: entry.agency.id,
    currency: entry.agency.currency,
    // The fee is set here by who keeps the agency's fee schedule, for their own agency.
    canSetFee:
      can(actor, "payments:configure") &&
      actor.membership?.organisationId === entry.type.agencyId &&
      (entry.fee === null || entry.fee.calculation === "fixed"),
    canOpenFees: can(actor, "payments:configure") && actor.membership?.organisationId === entry.type.agencyId,
    parents,
    // The current fixed fee as it is typed, to change it in place.
    feeAmount:
      entry.fee?.amount != null
        ? toDecimalString({ amount: entry.fee.amount, currency: entry.fee.currency })
        : "",
    values: valuesOfType(entry.type, entry.parent?.code ?? null),
  };
}

/** Inline messages by control, and the summary's lines naming each control. */
function withSummary(errors: Record<string, string>, t: TFunction) {
  return { errors, summary: summaryOf(errors, t) };
}

export async function action({ request, params, context }: Route.ActionArgs) {
  const { t } = context.get(i18nContext);
  const { actor } = requireUser(request, context);
  const db = context.get(servicesContext).database.db;
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "save");
  const ip = clientIp(request);
  const formKey = crypto.randomUUID();
  if (intent === "fee") {
    try {
      await setPermitTypeFee(
        { actor, typeId: params.typeId, amount: String(form.get("amount") ?? ""), ip },
        db,
      );
      return redirect(`/licensing/types/${params.typeId}?notice=feeSaved`);
    } catch (e) {
      if (!isAppError(e)) throw e;
      if (e.code === "FORBIDDEN" || e.code === "UNAUTHENTICATED" || e.code === "NOT_FOUND")
        throwAsResponse(e);
      return data(
        { fee: true, values: null, ...withSummary(formErrorsOf(e, t), t), rowsChanged: false, formKey },
        { status: e.status },
      );
    }
  }
  const values = readPermitTypeForm(form);
  const rows = applyRowIntent(values, intent);
  if (rows)
    return {
      fee: false,
      values: rows,
      errors: {} as Record<string, string>,
      summary: {} as Record<string, string>,
      rowsChanged: true,
      formKey,
    };
  const compact = withoutBlankRows(values);
  const checked = checkPermitTypeForm(compact, "update");
  if (!checked.ok)
    return data(
      {
        fee: false,
        values: compact,
        ...withSummary(errorsOf(checked.issues, t), t),
        rowsChanged: false,
        formKey,
      },
      { status: 400 },
    );
  try {
    await updatePermitType({ actor, typeId: params.typeId, type: checked.value, ip }, db);
    return redirect(`/licensing/types/${params.typeId}?notice=saved`);
  } catch (e) {
    if (!isAppError(e)) throw e;
    if (e.code === "FORBIDDEN" || e.code === "UNAUTHENTICATED" || e.code === "NOT_FOUND") throwAsResponse(e);
    return data(
      { fee: false, values: compact, ...withSummary(formErrorsOf(e, t), t), rowsChanged: false, formKey },
      { status: e.status },
    );
  }
}

export default function EditPermitType({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useTranslation();
  const d = loaderData;
  const errors: Record<string, string | undefined> = actionData?.errors ?? {};
  const typeErrors = actionData?.fee ? {} : errors;
  const feeErrors = actionData?.fee ? errors : {};
  return (
    <>
      <title>{d.title}</title>
      <p>
        <Link to={`/licensing/types?agency=${d.agencyId}`}>{t("permitCatalogue.manageTitle")}</Link>
        {d.type.active ? (
          <>
            {" · "}
            <Link to={`/permits/types/${d.type.id}`}>{t("permitCatalogue.publicPage")}</Link>
          </>
        ) : null}
      </p>
      <h1>{d.type.name}</h1>
      <p className="lead">
        <span>{d.type.otherName}</span> · <code dir="ltr">{d.type.code}</code> · {d.type.agency}
      </p>
      <ErrorSummary errors={actionData?.summary ?? {}} />

      <section className="panel" aria-labelledby="fee">
        <h2 id="fee">{t("permitCatalogue.fee")}</h2>
        <p>
          {d.type.fee ? (
            <>
              {t("permitCatalogue.feeCurrent")} <PermitFee fee={d.type.fee} />
            </>
          ) : (
            t("permitCatalogue.feeNotSet")
          )}
        </p>
        {d.canSetFee ? (
          <Form method="post" className="narrow" noValidate>
            <input type="hidden" name="intent" value="fee" />
            <TextField
              name="amount"
              label={t("permitCatalogue.feeAmount", { currency: d.currency })}
              hint={t("permitCatalogue.feeHint")}
              defaultValue={d.feeAmount}
              inputMode="decimal"
              dir="ltr"
              error={feeErrors.amount}
            />
            <Button variant="secondary">{t("permitCatalogue.saveFee")}</Button>
          </Form>
        ) : d.canOpenFees ? (
          <p>
            {t("permitCatalogue.feeOnSchedule")} <Link to="/finance/fees">{t("feesPage.title")}</Link>
          </p>
        ) : (
          <p>{t("permitCatalogue.feeByAgency")}</p>
        )}
      </section>

      <h2 id="edit">{t("permitCatalogue.editTitle")}</h2>
      {actionData?.rowsChanged ? (
        <p className="notice notice--warning" role="status">
          {t("permitCatalogue.notSavedYet", { save: t("permitCatalogue.save") })}
        </p>
      ) : null}
      <Form
        method="post"
        className="permit-form"
        action={`/licensing/types/${d.type.id}#edit`}
        noValidate
        key={actionData?.formKey ?? "edit"}
      >
        <PermitTypeFields
          values={actionData?.values ?? d.values}
          errors={typeErrors}
          mode="update"
          parents={d.parents}
          saveLabel={t("permitCatalogue.save")}
        />
      </Form>
    </>
  );
}
