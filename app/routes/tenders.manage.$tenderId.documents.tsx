import { data, Form, Link, redirect } from "react-router";
import { z } from "zod";
import { TenderDocumentsList } from "#app/components/tender-documents.tsx";
import { Button, ErrorSummary, FileField } from "#app/components/ui.tsx";
import { requireUser } from "#app/modules/accounts/context.server.ts";
import { formatBytes, TENDER_DOCUMENT_TYPES } from "#app/modules/files/media-types.ts";
import { i18nContext } from "#app/modules/i18n/context.server.ts";
import { useTranslation } from "#app/modules/i18n/use-translation.ts";
import {
  addTenderDocument,
  normaliseDocumentTitle,
  TITLE_MAX,
  TITLE_MIN,
  tenderDocumentsForOfficer,
  tenderDocumentsView,
} from "#app/modules/tenders/tender-documents.server.ts";
import { servicesContext } from "#app/server/context.ts";
import { isAppError } from "#app/utils/errors.ts";
import { formErrorsOf, parseWith } from "#app/utils/forms.server.ts";
import { clientIp } from "#app/utils/http.server.ts";
import { throwAsResponse } from "#app/utils/responses.server.ts";
import { discardUploads, readMultipartForm } from "#app/utils/uploads.server.ts";
import type { Route } from "./+types/tenders.manage.$tenderId.documents";

const TenderId = z.uuid();
const titleLength = `tenderDocuments.titleLength|${JSON.stringify({ min: TITLE_MIN, max: TITLE_MAX })}`;
const Fields = z.object({
  title: z
    .string({ message: titleLength })
    .transform(normaliseDocumentTitle)
    .pipe(z.string().min(TITLE_MIN, { message: titleLength }).max(TITLE_MAX, { message: titleLength })),
});
/** What the file picker offers; the server decides from the bytes whatever it says. */
const ACCEPT = [...TENDER_DOCUMENT_TYPES, ".docx", ".xlsx"].join(",");

export async function loader({ request, params, context }: Route.LoaderArgs) {
  const { t, lang } = context.get(i18nContext);
  const { actor } = requireUser(request, context);
  const id = TenderId.safeParse(params.tenderId);
  if (!id.success) throw new Response("Not found", { status: 404 });
  const { database, env } = context.get(servicesContext);
  const page = await tenderDocumentsForOfficer(actor, id.data, database.db).catch(throwAsResponse);
  const documents = tenderDocumentsView(page.documents);
  return {
    title: `${t("tenderDocuments.title")} – ${page.tender.reference} – ${t("meta.siteName")}`,
    tenderId: page.tender.id,
    tenderTitle: lang === "ar" ? page.tender.titleAr : page.tender.titleEn,
    published: page.tender.status === "published",
    canAdd: page.canAdd,
    documents,
    titles: [...new Set(documents.map((d) => d.title))],
    // "25 MB" kept whole and left-to-right inside an Arabic sentence.
    uploadLimit: `\u2066${formatBytes(env.UPLOAD_MAX_BYTES).replace(" ", "\u00a0")}\u2069`,
    titleMax: TITLE_MAX,
  };
}

export async function action({ request, params, context }: Route.ActionArgs) {
  const { t } = context.get(i18nContext);
  const { actor } = requireUser(request, context);
  const id = TenderId.safeParse(params.tenderId);
  if (!id.success) throw new Response("Not found", { status: 404 });
  const { database, env, files } = context.get(servicesContext);
  const deps = { db: database.db, files };
  // Who is asking, before a single byte is stored.
  const page = await tenderDocumentsForOfficer(actor, id.data, database.db).catch(throwAsResponse);
  if (!page.canAdd)
    return data({ errors: { file: t("errors.TENDER_DOCUMENTS_CLOSED") }, values: {} }, { status: 409 });
  let form: Awaited<ReturnType<typeof readMultipartForm>>;
  try {
    form = await readMultipartForm(
      request,
      { maxBytes: env.UPLOAD_MAX_BYTES, accept: TENDER_DOCUMENT_TYPES, maxFiles: 1 },
      deps,
    );
  } catch (e) {
    if (!isAppError(e)) throw e;
    return data({ errors: formErrorsOf(e, t, "file"), values: {} }, { status: e.status });
  }
  const values = { title: (form.fields.get("title") ?? "").slice(0, 1000) };
  const fields = parseWith(Fields, values, t);
  const file = form.files.get("file")?.[0];
  if (!fields.ok || !file) {
    await discardUploads(form, deps);
    const errors = {
      ...(fields.ok ? {} : fields.errors),
      ...(file ? {} : { file: t("tenderDocuments.fileRequired") }),
    };
    return data({ errors, values }, { status: 400 });
  }
  try {
    await addTenderDocument(
      { actor, tenderId: id.data, title: fields.value.title, file, ip: clientIp(request) },
      database.db,
    );
  } catch (e) {
    await discardUploads(form, deps);
    if (!isAppError(e)) throw e;
    if (e.code === "NOT_FOUND" || e.code === "FORBIDDEN" || e.code === "UNAUTHENTICATED") throwAsResponse(e);
    const errors =
      e.code === "VALIDATION" && e.field === "title"
        ? { title: t("tenderDocuments.titleLength", e.params) }
        : formErrorsOf(e, t, "file");
    return data({ errors, values }, { status: e.status });
  }
  return redirect(`/tenders/manage/${id.data}/documents?notice=documentAdded`, 303);
}

export default function TenderDocumentsPage({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useTranslation();
  const d = loaderData;
  const errors: Record<string, string | undefined> = actionData?.errors ?? {};
  const titleError = errors.title;
  return (
    <>
      <title>{d.title}</title>
      <p>
        <Link to={`/tenders/manage/${d.tenderId}`}>{d.tenderTitle}</Link>
      </p>
      <h1>{t("tenderDocuments.title")}</h1>
      <p className="lead">{t("tenderDocuments.lead")}</p>
      {d.canAdd ? (
        d.published ? (
          <div className="notice" role="note">
            {t("tenderDocuments.published")}
          </div>
        ) : null
      ) : (
        <div className="notice" role="note">
          {t("tenderDocuments.closed")}
        </div>
      )}
      <TenderDocumentsList documents={d.documents} showFileName />
      {d.documents.length ? <p className="hint">{t("tenderDocuments.checkHint")}</p> : null}
      {d.canAdd ? (
        <section className="panel">
          <h2>{t("tenderDocuments.uploadHeading")}</h2>
          <ErrorSummary errors={errors} />
          <Form method="post" encType="multipart/form-data" noValidate className="narrow">
            <div className={`field${titleError ? " field--error" : ""}`}>
              <label className="field__label" htmlFor="title">
                {t("tenderDocuments.titleLabel")}
              </label>
              <p className="field__hint" id="title-hint">
                {t("tenderDocuments.titleHint")}
              </p>
              {titleError ? (
                <p className="field__error" id="title-error">
                  {titleError}
                </p>
              ) : null}
              <input
                className="field__input"
                id="title"
                name="title"
                type="text"
                dir="auto"
                maxLength={d.titleMax}
                list={d.titles.length ? "document-titles" : undefined}
                defaultValue={
                  actionData?.values && "title" in actionData.values ? actionData.values.title : ""
                }
                aria-invalid={titleError ? true : undefined}
                aria-describedby={titleError ? "title-hint title-error" : "title-hint"}
              />
              {d.titles.length ? (
                <datalist id="document-titles">
                  {d.titles.map((title) => (
                    <option key={title} value={title} />
                  ))}
                </datalist>
              ) : null}
            </div>
            <FileField
              name="file"
              label={t("tenderDocuments.fileLabel")}
              hint={t("tenderDocuments.fileHint", { limit: d.uploadLimit })}
              error={errors.file}
              accept={ACCEPT}
            />
            <Button>{t("tenderDocuments.submit")}</Button>
          </Form>
        </section>
      ) : null}
    </>
  );
}
