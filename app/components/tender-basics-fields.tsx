import { useTranslation } from "#app/modules/i18n/use-translation.ts";
import { TENDER_CATEGORIES, TENDER_METHODS } from "#db/schema/tender-kinds.ts";
import { CheckboxField, SelectField, TextAreaField, TextField } from "./ui.tsx";

/** The fields of a tender's basics, shared by the new-tender and edit pages. Values are form strings. */
export interface TenderBasicsValues {
  titleAr: string;
  titleEn: string;
  descriptionAr: string;
  descriptionEn: string;
  method: string;
  category: string;
  cpvCodes: string;
  estimatedValue: string;
  documentFee: string;
  submissionFee: string;
  bidSecurity: string;
  requireVerified: boolean;
  requiredPermitType: string;
  requiresApproval: boolean;
  enquiryDeadline: string;
  submissionDeadline: string;
  openingAt: string;
}

export function TenderBasicsFields({
  values,
  errors,
  currency,
  timeZone,
  permitTypes,
}: {
  values: TenderBasicsValues;
  errors: Record<string, string | undefined>;
  currency: string;
  timeZone: string;
  /** The catalogue's permit types a tender may require (code and name in the page's language). */
  permitTypes: Array<{ value: string; label: string }>;
}) {
  const { t } = useTranslation();
  const money = (name: keyof TenderBasicsValues, label: string) => (
    <TextField
      name={name}
      label={`${label} (${currency})`}
      hint={t("tenders.moneyHint", { currency })}
      defaultValue={String(values[name])}
      inputMode="decimal"
      dir="ltr"
      error={errors[name]}
    />
  );
  const when = (name: keyof TenderBasicsValues, label: string) => (
    <TextField
      name={name}
      type="datetime-local"
      label={label}
      hint={t("tenders.deadlineHint", { zone: timeZone })}
      defaultValue={String(values[name])}
      dir="ltr"
      error={errors[name]}
    />
  );
  return (
    <>
      <TextField
        name="titleAr"
        label={t("tenders.titleAr")}
        defaultValue={values.titleAr}
        dir="rtl"
        error={errors.titleAr}
      />
      <TextField
        name="titleEn"
        label={t("tenders.titleEn")}
        defaultValue={values.titleEn}
        dir="ltr"
        error={errors.titleEn}
      />
      <TextAreaField
        name="descriptionAr"
        label={t("tenders.descriptionAr")}
        defaultValue={values.descriptionAr}
        dir="rtl"
        error={errors.descriptionAr}
      />
      <TextAreaField
        name="descriptionEn"
        label={t("tenders.descriptionEn")}
        defaultValue={values.descriptionEn}
        dir="ltr"
        error={errors.descriptionEn}
      />
      <SelectField
        name="method"
        label={t("tenders.method")}
        defaultValue={values.method}
        options={TENDER_METHODS.map((m) => ({ value: m, label: t(`tenders.methods.${m}`) }))}
        error={errors.method}
      />
      <SelectField
        name="category"
        label={t("tenders.category")}
        defaultValue={values.category}
        options={TENDER_CATEGORIES.map((c) => ({ value: c, label: t(`tenders.categories.${c}`) }))}
        error={errors.category}
      />
      <TextField
        name="cpvCodes"
        label={t("tenders.cpvCodes")}
        hint={t("tenders.cpvHint")}
        defaultValue={values.cpvCodes}
        dir="ltr"
        error={errors.cpvCodes}
      />
      {money("estimatedValue", t("tenders.estimatedValue"))}
      {money("documentFee", t("tenders.documentFee"))}
      {money("submissionFee", t("tenders.submissionFee"))}
      {money("bidSecurity", t("tenders.bidSecurity"))}
      <CheckboxField
        name="requireVerified"
        label={t("tenders.requireVerified")}
        defaultChecked={values.requireVerified}
      />
      <SelectField
        name="requiredPermitType"
        label={t("tenders.requiredPermitType")}
        options={[{ value: "", label: t("tenders.noPermitRequired") }, ...permitTypes]}
        defaultValue={values.requiredPermitType}
        error={errors.requiredPermitType}
      />
      {when("enquiryDeadline", t("tenders.enquiryDeadline"))}
      {when("submissionDeadline", t("tenders.submissionDeadline"))}
      {when("openingAt", t("tenders.openingAt"))}
      <CheckboxField
        name="requiresApproval"
        label={t("tenders.requiresApproval")}
        defaultChecked={values.requiresApproval}
      />
    </>
  );
}
