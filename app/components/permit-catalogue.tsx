import type { ReactNode } from "react";
import { Link } from "react-router";
import { SECTORS } from "#app/modules/accounts/countries.ts";
import { DOCUMENT_TYPES, labelOfMediaType } from "#app/modules/files/media-types.ts";
import { useTranslation } from "#app/modules/i18n/use-translation.ts";
import type {
  ChecklistRow,
  DocumentRow,
  FieldRow,
  PermitTypeFormValues,
  SpecList,
} from "#app/modules/permits/permit-type-form.ts";
import type { PermitTypeView } from "#app/modules/permits/permit-type-view.ts";
import { PERMIT_FIELD_TYPES } from "#db/schema/permit-kinds.ts";
import { Button, SelectField, TextAreaField, TextField } from "./ui.tsx";

/** Pieces shared by the public catalogue pages and the agency's permit-type pages. */

export function PermitFee({ fee }: { fee: PermitTypeView["fee"] }) {
  const { t } = useTranslation();
  if (!fee) return <>{t("permitCatalogue.free")}</>;
  if (fee.kind === "fixed") return <span dir="ltr">{fee.amount}</span>;
  return (
    <>
      <span dir="ltr">{`${fee.rate}%`}</span>
      {fee.minimum ? (
        <>
          {" · "}
          {t("permitCatalogue.feeMinimum")} <span dir="ltr">{fee.minimum}</span>
        </>
      ) : null}
      {fee.maximum ? (
        <>
          {" · "}
          {t("permitCatalogue.feeMaximum")} <span dir="ltr">{fee.maximum}</span>
        </>
      ) : null}
    </>
  );
}

/** The facts a business weighs before applying: what it needs, how long it takes, how long it lasts, what it costs. */
export function PermitTypeFacts({ type, full = false }: { type: PermitTypeView; full?: boolean }) {
  const { t } = useTranslation();
  const fact = (key: string, label: string, value: ReactNode) => (
    <div key={key}>
      <dt>{label}</dt>
      <dd>{value}</dd>
    </div>
  );
  const process = [
    type.inspectionRequired ? t("permitCatalogue.inspection") : null,
    type.secondApprovalRequired ? t("permitCatalogue.secondApproval") : null,
  ].filter(Boolean);
  return (
    <dl className="facts">
      {full ? fact("agency", t("permitCatalogue.agency"), type.agency) : null}
      {fact(
        "parent",
        t("permitCatalogue.requires"),
        type.parent ? (
          <Link to={`/permits/types/${type.parent.id}`}>{type.parent.name}</Link>
        ) : (
          t("permitCatalogue.requiresNothing")
        ),
      )}
      {fact(
        "documents",
        t("permitCatalogue.documents"),
        type.documents.length === 0 ? (
          t("permitCatalogue.noDocuments")
        ) : (
          <ul className="permit-docs">
            {type.documents.map((d) => (
              <li key={d.key}>
                {d.label}
                {full ? (
                  <>
                    {" "}
                    <small>({d.formats})</small>
                  </>
                ) : null}
              </li>
            ))}
          </ul>
        ),
      )}
      {fact(
        "sla",
        t("permitCatalogue.serviceLevel"),
        t("permitCatalogue.workingDays", { count: type.serviceLevelDays }),
      )}
      {fact(
        "validity",
        t("permitCatalogue.validity"),
        t("permitCatalogue.months", { count: type.validityMonths }),
      )}
      {fact("fee", t("permitCatalogue.fee"), <PermitFee fee={type.fee} />)}
      {full
        ? [
            fact(
              "renewal",
              t("permitCatalogue.renewal"),
              t("permitCatalogue.renewalText", {
                before: t("permitCatalogue.days", { count: type.renewalWindowDays }),
                after: t("permitCatalogue.days", { count: type.gracePeriodDays }),
              }),
            ),
            fact(
              "eligibility",
              t("permitCatalogue.eligibility"),
              <>
                {type.requireVerified ? t("permitCatalogue.verifiedOnly") : t("permitCatalogue.anyBusiness")}
                {type.sectors.length > 0 ? (
                  <>
                    <br />
                    {t("permitCatalogue.sectorsOnly", {
                      list: type.sectors
                        .map((s) => t(`sectors.${s}`, s))
                        .join(t("permitCatalogue.listSeparator")),
                    })}
                  </>
                ) : null}
              </>,
            ),
            process.length > 0 ? fact("process", t("permitCatalogue.process"), process.join(" · ")) : null,
          ]
        : null}
    </dl>
  );
}

/** One checkbox of a group (several share a name, each with its own value). */
function Tick({
  id,
  name,
  value,
  label,
  checked,
}: {
  id: string;
  name: string;
  value?: string;
  label: string;
  checked: boolean;
}) {
  return (
    <div className="checkbox">
      <input type="checkbox" id={id} name={name} value={value ?? "on"} defaultChecked={checked} />
      <label htmlFor={id}>{label}</label>
    </div>
  );
}

type Errors = Record<string, string | undefined>;

/** "Remove" on a row: a submit button, so it works without JavaScript (the page comes back without the row, unsaved). */
function RemoveRow({ list, index }: { list: SpecList; index: number }) {
  const { t } = useTranslation();
  return (
    <Button variant="secondary" name="intent" value={`remove:${list}:${index}`}>
      {t("permitCatalogue.removeRow")}
    </Button>
  );
}

function FieldRowControls({ row, index, errors }: { row: FieldRow; index: number; errors: Errors }) {
  const { t } = useTranslation();
  const n = (prop: string) => `fields.${index}.${prop}`;
  return (
    <fieldset className="spec-row">
      <legend>{t("permitCatalogue.fieldRow", { number: index + 1 })}</legend>
      <div className="pair">
        <TextField
          name={n("key")}
          label={t("permitCatalogue.keyLabel")}
          hint={index === 0 ? t("permitCatalogue.keyHint") : undefined}
          defaultValue={row.key}
          dir="ltr"
          error={errors[n("key")]}
        />
        <SelectField
          name={n("type")}
          label={t("permitCatalogue.typeLabel")}
          defaultValue={row.type}
          options={PERMIT_FIELD_TYPES.map((ft) => ({
            value: ft,
            label: t(`permitCatalogue.fieldTypes.${ft}`),
          }))}
          error={errors[n("type")]}
        />
      </div>
      <div className="pair">
        <TextField
          name={n("labelAr")}
          label={t("permitCatalogue.labelAr")}
          defaultValue={row.labelAr}
          dir="rtl"
          error={errors[n("labelAr")]}
        />
        <TextField
          name={n("labelEn")}
          label={t("permitCatalogue.labelEn")}
          defaultValue={row.labelEn}
          dir="ltr"
          error={errors[n("labelEn")]}
        />
      </div>
      <div className="pair pair--3">
        <TextField
          name={n("min")}
          label={t("permitCatalogue.minLabel")}
          hint={t("permitCatalogue.boundsHint")}
          defaultValue={row.min}
          inputMode="decimal"
          dir="ltr"
          error={errors[n("min")]}
        />
        <TextField
          name={n("max")}
          label={t("permitCatalogue.maxLabel")}
          hint={t("permitCatalogue.boundsHint")}
          defaultValue={row.max}
          inputMode="decimal"
          dir="ltr"
          error={errors[n("max")]}
        />
        <TextField
          name={n("pattern")}
          label={t("permitCatalogue.patternLabel")}
          hint={t("permitCatalogue.patternHint")}
          defaultValue={row.pattern}
          dir="ltr"
          error={errors[n("pattern")]}
        />
      </div>
      <TextAreaField
        name={n("options")}
        label={t("permitCatalogue.optionsLabel")}
        hint={t("permitCatalogue.optionsHint")}
        defaultValue={row.options}
        rows={Math.max(3, row.options.split("\n").length + 1)}
        dir="auto"
        error={errors[n("options")]}
      />
      <Tick
        id={n("required")}
        name={n("required")}
        label={t("permitCatalogue.requiredLabel")}
        checked={row.required}
      />
      <RemoveRow list="fields" index={index} />
    </fieldset>
  );
}

function LabelPair({
  prefix,
  row,
  errors,
}: {
  prefix: string;
  row: { key: string; labelAr: string; labelEn: string };
  errors: Errors;
}) {
  const { t } = useTranslation();
  return (
    <div className="pair pair--key">
      <TextField
        name={`${prefix}.key`}
        label={t("permitCatalogue.keyLabel")}
        defaultValue={row.key}
        dir="ltr"
        error={errors[`${prefix}.key`]}
      />
      <TextField
        name={`${prefix}.labelAr`}
        label={t("permitCatalogue.labelAr")}
        defaultValue={row.labelAr}
        dir="rtl"
        error={errors[`${prefix}.labelAr`]}
      />
      <TextField
        name={`${prefix}.labelEn`}
        label={t("permitCatalogue.labelEn")}
        defaultValue={row.labelEn}
        dir="ltr"
        error={errors[`${prefix}.labelEn`]}
      />
    </div>
  );
}

function DocumentRowControls({ row, index, errors }: { row: DocumentRow; index: number; errors: Errors }) {
  const { t } = useTranslation();
  const prefix = `documents.${index}`;
  return (
    <fieldset className="spec-row">
      <legend>{t("permitCatalogue.documentRow", { number: index + 1 })}</legend>
      <LabelPair prefix={prefix} row={row} errors={errors} />
      <fieldset className="ticks" id={`${prefix}.mediaTypes`}>
        <legend>{t("permitCatalogue.mediaTypesLabel")}</legend>
        {errors[`${prefix}.mediaTypes`] ? (
          <p className="field__error">{errors[`${prefix}.mediaTypes`]}</p>
        ) : null}
        <div className="tick-row">
          {DOCUMENT_TYPES.map((m) => (
            <Tick
              key={m}
              id={`${prefix}.mediaTypes.${labelOfMediaType(m)}`}
              name={`${prefix}.mediaTypes`}
              value={m}
              label={labelOfMediaType(m)}
              checked={row.mediaTypes.includes(m)}
            />
          ))}
        </div>
      </fieldset>
      <RemoveRow list="documents" index={index} />
    </fieldset>
  );
}

function ChecklistRowControls({ row, index, errors }: { row: ChecklistRow; index: number; errors: Errors }) {
  const { t } = useTranslation();
  return (
    <fieldset className="spec-row">
      <legend>{t("permitCatalogue.checklistRow", { number: index + 1 })}</legend>
      <LabelPair prefix={`checklist.${index}`} row={row} errors={errors} />
      <RemoveRow list="checklist" index={index} />
    </fieldset>
  );
}

/**
 * Every control of a permit type, for the new-type and edit pages. Rows are
 * added and removed with submit buttons (the page comes back with the change,
 * nothing saved yet), so the form works without JavaScript; the first button
 * in the form is a hidden "save", so Enter in a text box saves.
 */
export function PermitTypeFields({
  values,
  errors,
  mode,
  parents,
  saveLabel,
}: {
  values: PermitTypeFormValues;
  errors: Errors;
  mode: "create" | "update";
  /** Types that may be required first: code and label. */
  parents: Array<{ value: string; label: string }>;
  saveLabel: string;
}) {
  const { t } = useTranslation();
  const list = <Row,>(
    key: SpecList,
    rows: Row[],
    render: (row: Row, index: number) => ReactNode,
    addLabel: string,
  ) => (
    <fieldset className="fieldset" id={key}>
      <legend>{t(`permitCatalogue.${key}Legend`)}</legend>
      <p className="hint">{t(`permitCatalogue.${key}Lead`)}</p>
      {errors[key] ? <p className="field__error">{errors[key]}</p> : null}
      <div className="spec-rows">{rows.map(render)}</div>
      <Button variant="secondary" name="intent" value={`add:${key}`}>
        {addLabel}
      </Button>
    </fieldset>
  );
  return (
    <>
      <button type="submit" name="intent" value="save" className="visually-hidden" tabIndex={-1}>
        {saveLabel}
      </button>
      <fieldset className="fieldset">
        <legend>{t("permitCatalogue.basicsLegend")}</legend>
        {mode === "create" ? (
          <TextField
            name="code"
            label={t("permitCatalogue.codeLabel")}
            hint={t("permitCatalogue.codeHint")}
            defaultValue={values.code}
            dir="ltr"
            error={errors.code}
          />
        ) : null}
        <div className="pair">
          <TextField
            name="nameAr"
            label={t("permitCatalogue.nameAr")}
            defaultValue={values.nameAr}
            dir="rtl"
            error={errors.nameAr}
          />
          <TextField
            name="nameEn"
            label={t("permitCatalogue.nameEn")}
            defaultValue={values.nameEn}
            dir="ltr"
            error={errors.nameEn}
          />
        </div>
        <div className="pair">
          <TextAreaField
            name="descriptionAr"
            label={t("permitCatalogue.descriptionAr")}
            defaultValue={values.descriptionAr}
            dir="rtl"
            error={errors.descriptionAr}
          />
          <TextAreaField
            name="descriptionEn"
            label={t("permitCatalogue.descriptionEn")}
            defaultValue={values.descriptionEn}
            dir="ltr"
            error={errors.descriptionEn}
          />
        </div>
      </fieldset>

      <fieldset className="fieldset">
        <legend>{t("permitCatalogue.eligibilityLegend")}</legend>
        <div className="wide-select">
          <SelectField
            name="parentCode"
            label={t("permitCatalogue.parentLabel")}
            hint={t("permitCatalogue.parentHint")}
            defaultValue={values.parentCode}
            options={[{ value: "", label: t("permitCatalogue.parentNone") }, ...parents]}
            error={errors.parentCode}
          />
        </div>
        <Tick
          id="requireVerified"
          name="requireVerified"
          label={t("permitCatalogue.requireVerifiedLabel")}
          checked={values.requireVerified}
        />
        <fieldset className="ticks" id="eligibleSectors">
          <legend>{t("permitCatalogue.sectorsLabel")}</legend>
          {errors.eligibleSectors ? <p className="field__error">{errors.eligibleSectors}</p> : null}
          <div className="tick-grid">
            {SECTORS.map((s) => (
              <Tick
                key={s}
                id={`eligibleSectors.${s}`}
                name="eligibleSectors"
                value={s}
                label={t(`sectors.${s}`)}
                checked={values.eligibleSectors.includes(s)}
              />
            ))}
          </div>
        </fieldset>
      </fieldset>

      <fieldset className="fieldset">
        <legend>{t("permitCatalogue.processLegend")}</legend>
        <div className="pair">
          <TextField
            name="serviceLevelDays"
            label={t("permitCatalogue.serviceLevelLabel")}
            hint={t("permitCatalogue.serviceLevelHint")}
            defaultValue={values.serviceLevelDays}
            inputMode="numeric"
            dir="ltr"
            error={errors.serviceLevelDays}
          />
          <TextField
            name="validityMonths"
            label={t("permitCatalogue.validityLabel")}
            hint={t("permitCatalogue.validityHint")}
            defaultValue={values.validityMonths}
            inputMode="numeric"
            dir="ltr"
            error={errors.validityMonths}
          />
        </div>
        <div className="pair">
          <TextField
            name="renewalWindowDays"
            label={t("permitCatalogue.renewalWindowLabel")}
            hint={t("permitCatalogue.renewalWindowHint")}
            defaultValue={values.renewalWindowDays}
            inputMode="numeric"
            dir="ltr"
            error={errors.renewalWindowDays}
          />
          <TextField
            name="gracePeriodDays"
            label={t("permitCatalogue.gracePeriodLabel")}
            hint={t("permitCatalogue.gracePeriodHint")}
            defaultValue={values.gracePeriodDays}
            inputMode="numeric"
            dir="ltr"
            error={errors.gracePeriodDays}
          />
        </div>
        <Tick
          id="inspectionRequired"
          name="inspectionRequired"
          label={t("permitCatalogue.inspectionLabel")}
          checked={values.inspectionRequired}
        />
        <Tick
          id="secondApprovalRequired"
          name="secondApprovalRequired"
          label={t("permitCatalogue.secondApprovalLabel")}
          checked={values.secondApprovalRequired}
        />
        <Tick id="active" name="active" label={t("permitCatalogue.activeLabel")} checked={values.active} />
      </fieldset>

      {list(
        "fields",
        values.fields,
        (row, i) => (
          <FieldRowControls key={`f${i}`} row={row} index={i} errors={errors} />
        ),
        t("permitCatalogue.addField"),
      )}
      {list(
        "documents",
        values.documents,
        (row, i) => (
          <DocumentRowControls key={`d${i}`} row={row} index={i} errors={errors} />
        ),
        t("permitCatalogue.addDocument"),
      )}
      {list(
        "checklist",
        values.checklist,
        (row, i) => (
          <ChecklistRowControls key={`c${i}`} row={row} index={i} errors={errors} />
        ),
        t("permitCatalogue.addChecklistItem"),
      )}
      <Button name="intent" value="save">
        {saveLabel}
      </Button>
    </>
  );
}
