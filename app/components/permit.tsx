import { useTranslation } from "#app/modules/i18n/use-translation.ts";
import { DataTable, SelectField, StatusTag, TextAreaField, TextField, type Tone } from "./ui.tsx";

/** Shared pieces of the permit pages: status tags, the timeline, the application's fields. */

const APPLICATION_TONES: Record<string, Tone> = {
  draft: "neutral",
  submitted: "info",
  in_review: "info",
  information_requested: "warning",
  inspection_scheduled: "info",
  inspected: "info",
  approved: "success",
  rejected: "danger",
  issued: "success",
  withdrawn: "neutral",
};

export function ApplicationStatusTag({ status }: { status: string }) {
  const { t } = useTranslation();
  return <StatusTag tone={APPLICATION_TONES[status] ?? "neutral"}>{t(`permits.status.${status}`)}</StatusTag>;
}

const PERMIT_TONES: Record<string, Tone> = {
  valid: "success",
  suspended: "warning",
  revoked: "danger",
  expired: "neutral",
};

export function PermitStatusTag({ status }: { status: string }) {
  const { t } = useTranslation();
  return (
    <StatusTag tone={PERMIT_TONES[status] ?? "neutral"}>{t(`permits.permitStatus.${status}`)}</StatusTag>
  );
}

export function Timeline({
  events,
  showActors = false,
}: {
  events: Array<{ id: string; kind: string; note: string; at: string; actorName: string }>;
  showActors?: boolean;
}) {
  const { t } = useTranslation();
  return (
    <ol className="timeline">
      {events.map((e) => (
        <li key={e.id} className="timeline__item">
          <strong>{t(`permits.event.${e.kind}`)}</strong>{" "}
          <span className="timeline__time" dir="ltr">
            {e.at}
          </span>
          {showActors && e.actorName ? <span className="timeline__actor"> · {e.actorName}</span> : null}
          {e.note ? (
            <p className="timeline__note" dir="auto">
              {e.note}
            </p>
          ) : null}
        </li>
      ))}
    </ol>
  );
}

export interface FieldView {
  key: string;
  type: string;
  label: string;
  required: boolean;
  value: string;
  display: string;
  options: Array<{ value: string; label: string }>;
}

/** The application's answers, read-only. */
export function FieldsTable({ fields }: { fields: FieldView[] }) {
  const { t } = useTranslation();
  return (
    <DataTable
      caption={t("permits.fieldsCaption")}
      captionHidden
      rows={fields}
      rowKey={(f) => f.key}
      columns={[
        { key: "label", header: t("permits.field"), cell: (f) => f.label },
        { key: "value", header: t("permits.value"), cell: (f) => <span dir="auto">{f.display || "—"}</span> },
      ]}
    />
  );
}

/** The application's form fields, built from the permit type's field list. */
export function FieldInputs({
  fields,
  values,
  errors,
}: {
  fields: FieldView[];
  values?: Record<string, string>;
  errors: Record<string, string | undefined>;
}) {
  const { t } = useTranslation();
  return (
    <>
      {fields.map((f) => {
        const name = `field-${f.key}`;
        const label = f.required ? f.label : `${f.label} (${t("permits.optional")})`;
        const value = values?.[name] ?? f.value;
        if (f.type === "textarea")
          return (
            <TextAreaField
              key={f.key}
              name={name}
              label={label}
              defaultValue={value}
              error={errors[name]}
              dir="auto"
            />
          );
        if (f.type === "select")
          return (
            <SelectField
              key={f.key}
              name={name}
              label={label}
              options={[{ value: "", label: t("permits.choose") }, ...f.options]}
              defaultValue={value}
              error={errors[name]}
            />
          );
        return (
          <TextField
            key={f.key}
            name={name}
            label={label}
            type={f.type === "date" ? "date" : "text"}
            inputMode={f.type === "number" ? "decimal" : undefined}
            dir={f.type === "number" || f.type === "date" ? "ltr" : "auto"}
            defaultValue={value}
            error={errors[name]}
          />
        );
      })}
    </>
  );
}
