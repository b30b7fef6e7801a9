import type { ReactNode } from "react";
import { Link } from "react-router";
import { useTranslation } from "#app/modules/i18n/use-translation.ts";

/**
 * The small design system: GOV.UK patterns, right-to-left aware (CSS logical
 * properties only), every control labelled, every error both summarised at the
 * top of the form and shown beside its field.
 */

export type FieldErrors = Record<string, string | undefined>;

export function ErrorSummary({ errors }: { errors: FieldErrors }) {
  const { t } = useTranslation();
  const entries = Object.entries(errors).filter((e): e is [string, string] => Boolean(e[1]));
  if (entries.length === 0) return null;
  return (
    <div className="error-summary" role="alert" aria-labelledby="error-summary-title" tabIndex={-1}>
      <h2 id="error-summary-title" className="error-summary__title">
        {t("form.errorSummaryTitle")}
      </h2>
      <ul className="error-summary__list">
        {entries.map(([field, message]) => (
          <li key={field}>
            <a href={`#${field}`}>{message}</a>
          </li>
        ))}
      </ul>
    </div>
  );
}

/** Label, hint and error around a control: the one layout every field shares. */
function FieldShell({
  name,
  label,
  hint,
  error,
  children,
}: {
  name: string;
  label: string;
  hint?: string;
  error?: string;
  children: ReactNode;
}) {
  return (
    <div className={`field${error ? " field--error" : ""}`}>
      <label className="field__label" htmlFor={name}>
        {label}
      </label>
      {hint ? (
        <p className="field__hint" id={`${name}-hint`}>
          {hint}
        </p>
      ) : null}
      {error ? (
        <p className="field__error" id={`${name}-error`}>
          {error}
        </p>
      ) : null}
      {children}
    </div>
  );
}

/** The ids a control points at with aria-describedby. */
function describedBy(name: string, hint?: string, error?: string): string | undefined {
  return (
    [hint ? `${name}-hint` : null, error ? `${name}-error` : null].filter(Boolean).join(" ") || undefined
  );
}

export function TextField({
  name,
  label,
  hint,
  error,
  defaultValue,
  type = "text",
  autoComplete,
  inputMode,
  dir,
}: {
  name: string;
  label: string;
  hint?: string;
  error?: string;
  defaultValue?: string;
  type?: "text" | "email" | "password" | "search" | "tel" | "url" | "number" | "date" | "datetime-local";
  autoComplete?: string;
  inputMode?: "text" | "numeric" | "decimal" | "email" | "tel" | "search" | "url";
  /** "auto" for free text that may be Arabic or English. */
  dir?: "auto" | "ltr" | "rtl";
}) {
  return (
    <FieldShell name={name} label={label} hint={hint} error={error}>
      <input
        className="field__input"
        id={name}
        name={name}
        type={type}
        defaultValue={defaultValue}
        autoComplete={autoComplete}
        inputMode={inputMode}
        dir={dir}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(name, hint, error)}
      />
    </FieldShell>
  );
}

export function Button({
  children,
  variant = "primary",
  type = "submit",
  name,
  value,
}: {
  children: ReactNode;
  variant?: "primary" | "secondary" | "warning";
  type?: "submit" | "button";
  name?: string;
  value?: string;
}) {
  return (
    <button className={`button button--${variant}`} type={type} name={name} value={value}>
      {children}
    </button>
  );
}

export function ButtonLink({
  to,
  children,
  variant = "primary",
}: {
  to: string;
  children: ReactNode;
  variant?: "primary" | "secondary";
}) {
  return (
    <Link to={to} className={`button button--${variant}`}>
      {children}
    </Link>
  );
}

export type Tone = "neutral" | "info" | "success" | "warning" | "danger";

export function StatusTag({ tone = "neutral", children }: { tone?: Tone; children: ReactNode }) {
  return <strong className={`tag tag--${tone}`}>{children}</strong>;
}

export interface Column<Row> {
  key: string;
  header: string;
  cell: (row: Row) => ReactNode;
  /** Numbers and amounts line up on their digits. */
  numeric?: boolean;
}

export function DataTable<Row>({
  caption,
  columns,
  rows,
  rowKey,
  captionHidden = false,
}: {
  caption: string;
  columns: Column<Row>[];
  rows: Row[];
  rowKey: (row: Row) => string;
  /** When a heading right above already says it: kept for screen readers, not shown twice. */
  captionHidden?: boolean;
}) {
  return (
    <div className="table-wrap">
      <table className="table">
        <caption className={captionHidden ? "table__caption visually-hidden" : "table__caption"}>
          {caption}
        </caption>
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c.key} scope="col" className={c.numeric ? "numeric" : undefined}>
                {c.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={rowKey(row)}>
              {columns.map((c) => (
                <td key={c.key} className={c.numeric ? "numeric" : undefined} data-label={c.header}>
                  {c.cell(row)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="empty-state">
      <h2 className="empty-state__title">{title}</h2>
      {children ? <div className="empty-state__body">{children}</div> : null}
    </div>
  );
}

/** Previous / next links that keep every other search parameter, so a paged search stays shareable. */
export function Pagination({
  page,
  pages,
  search,
}: {
  page: number;
  pages: number;
  search: URLSearchParams;
}) {
  const { t } = useTranslation();
  if (pages <= 1) return null;
  const hrefFor = (p: number) => {
    const next = new URLSearchParams(search);
    if (p === 1) next.delete("page");
    else next.set("page", String(p));
    const qs = next.toString();
    return qs ? `?${qs}` : "?";
  };
  return (
    <nav className="pagination" aria-label={t("pagination.label")}>
      {page > 1 ? (
        <Link className="pagination__prev" rel="prev" to={hrefFor(page - 1)}>
          {t("pagination.previous")}
        </Link>
      ) : null}
      <span className="pagination__status">{t("pagination.page", { page, pages })}</span>
      {page < pages ? (
        <Link className="pagination__next" rel="next" to={hrefFor(page + 1)}>
          {t("pagination.next")}
        </Link>
      ) : null}
    </nav>
  );
}

export function SelectField({
  name,
  label,
  options,
  defaultValue,
  error,
  hint,
}: {
  name: string;
  label: string;
  options: Array<{ value: string; label: string }>;
  defaultValue?: string;
  error?: string;
  hint?: string;
}) {
  return (
    <FieldShell name={name} label={label} hint={hint} error={error}>
      <select
        className="field__input"
        id={name}
        name={name}
        defaultValue={defaultValue}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(name, hint, error)}
      >
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </FieldShell>
  );
}

export function FileField({
  name,
  label,
  hint,
  error,
  accept = "application/pdf,image/png,image/jpeg",
  multiple = false,
}: {
  name: string;
  label: string;
  hint?: string;
  error?: string;
  /** What the picker offers; the server checks the bytes whatever this says. */
  accept?: string;
  multiple?: boolean;
}) {
  return (
    <FieldShell name={name} label={label} hint={hint} error={error}>
      <input
        className="field__input"
        type="file"
        id={name}
        name={name}
        accept={accept}
        multiple={multiple}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(name, hint, error)}
      />
    </FieldShell>
  );
}

export function TextAreaField({
  name,
  label,
  hint,
  error,
  defaultValue,
  rows = 5,
  dir,
}: {
  name: string;
  label: string;
  hint?: string;
  error?: string;
  defaultValue?: string;
  rows?: number;
  dir?: "auto" | "ltr" | "rtl";
}) {
  return (
    <FieldShell name={name} label={label} hint={hint} error={error}>
      <textarea
        className="field__input"
        id={name}
        name={name}
        rows={rows}
        defaultValue={defaultValue}
        dir={dir}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(name, hint, error)}
      />
    </FieldShell>
  );
}

/** One yes/no choice; unticked sends nothing, which the server reads as no. */
export function CheckboxField({
  name,
  label,
  defaultChecked,
}: {
  name: string;
  label: string;
  defaultChecked?: boolean;
}) {
  return (
    <div className="checkbox">
      <input type="checkbox" id={name} name={name} defaultChecked={defaultChecked} />
      <label htmlFor={name}>{label}</label>
    </div>
  );
}
