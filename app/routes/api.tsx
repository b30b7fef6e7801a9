import { DataTable, StatusTag } from "#app/components/ui.tsx";
import { apiReference } from "#app/modules/api/reference.ts";
import { i18nContext } from "#app/modules/i18n/context.server.ts";
import { useTranslation } from "#app/modules/i18n/use-translation.ts";
import { servicesContext } from "#app/server/context.ts";
import { publicBaseUrl } from "#app/utils/http.server.ts";
import type { Route } from "./+types/api";

/**
 * /api: the HTTP API for people, in Arabic and English, rendered from the
 * same registry as the handlers and the OpenAPI document (docs/api.md).
 */
export function loader({ request, context }: Route.LoaderArgs) {
  const { t, lang } = context.get(i18nContext);
  const { env } = context.get(servicesContext);
  return {
    title: `${t("apiDocs.title")} – ${t("meta.siteName")}`,
    limit: env.API_RATE_LIMIT_PER_MINUTE,
    reference: apiReference({ t, baseUrl: publicBaseUrl(request, env.PUBLIC_URL), lang }),
  };
}

function Code({ children }: { children: string }) {
  return (
    <code dir="ltr" className="api-code">
      {children}
    </code>
  );
}

/** Text whose `quoted` parts are code: kept left to right inside either language. */
function Inline({ text }: { text: string }) {
  return (
    <>
      {text.split("`").map((part, i) =>
        // biome-ignore lint/suspicious/noArrayIndexKey: the parts of one fixed text
        i % 2 === 1 ? <Code key={i}>{part}</Code> : <span key={i}>{part}</span>,
      )}
    </>
  );
}

export default function ApiPage({ loaderData }: Route.ComponentProps) {
  const { t } = useTranslation();
  const { reference, limit } = loaderData;
  return (
    <>
      <title>{loaderData.title}</title>
      <h1>{t("apiDocs.title")}</h1>
      <p className="lead">{t("apiDocs.lead")}</p>
      <p>
        <a href={reference.openApiUrl}>
          {t("apiDocs.openApiLink")} <code dir="ltr">openapi.json</code>
        </a>
        <br />
        <span className="hint">{t("apiDocs.openApiHint")}</span>
      </p>

      <nav aria-labelledby="api-contents" className="api-toc">
        <h2 id="api-contents">{t("apiDocs.contentsTitle")}</h2>
        <ul>
          <li>
            <a href="#start">{t("apiDocs.startTitle")}</a>
          </li>
          <li>
            <a href="#scopes">{t("apiDocs.scopesTitle")}</a>
          </li>
          <li>
            <a href="#errors">{t("apiDocs.errorsTitle")}</a>
          </li>
          <li>
            <a href="#rate-limits">{t("apiDocs.rateTitle")}</a>
          </li>
          <li>
            <a href="#endpoints">{t("apiDocs.endpointsTitle")}</a>
            <ul>
              {reference.groups.map((g) => (
                <li key={g.tag}>
                  <a href={`#tag-${g.tag}`}>{g.title}</a>
                </li>
              ))}
            </ul>
          </li>
          <li>
            <a href="#schemas">{t("apiDocs.schemasTitle")}</a>
          </li>
          <li>
            <a href="#error-codes">{t("apiDocs.errorCodesTitle")}</a>
          </li>
        </ul>
      </nav>

      <section aria-labelledby="start">
        <h2 id="start">{t("apiDocs.startTitle")}</h2>
        <ol className="prose">
          {t("apiDocs.startSteps")
            .split("|")
            .map((step) => (
              <li key={step}>
                <Inline text={step} />
              </li>
            ))}
        </ol>
        <p className="prose">
          <Inline text={t("apiDocs.authentication")} />
        </p>
      </section>

      <section aria-labelledby="scopes">
        <h2 id="scopes">{t("apiDocs.scopesTitle")}</h2>
        <p className="prose">{t("apiDocs.scopesLead")}</p>
        <DataTable
          caption={t("apiDocs.scopesTitle")}
          captionHidden
          rows={reference.scopes}
          rowKey={(s) => s.scope}
          columns={[
            { key: "scope", header: t("apiDocs.scopesLabel"), cell: (s) => <Code>{s.scope}</Code> },
            { key: "kinds", header: t("apiDocs.kindsLabel"), cell: (s) => s.kinds.join("، ") },
            { key: "description", header: t("apiDocs.description"), cell: (s) => s.description },
          ]}
        />
      </section>

      <section aria-labelledby="errors">
        <h2 id="errors">{t("apiDocs.errorsTitle")}</h2>
        <p className="prose">
          <Inline text={t("apiDocs.errorsLead")} />
        </p>
        <pre dir="ltr" className="api-pre">
          {JSON.stringify(
            {
              type: `${reference.openApiUrl.replace("/api/v1/openapi.json", "")}/api#error-VALIDATION`,
              title: t("apiDocs.status.400"),
              status: 400,
              detail: t("errors.VALIDATION"),
              instance: "/api/v1/tenders",
              code: "VALIDATION",
              errors: [
                { detail: t("apiDocs.validation.required", { name: "titleEn" }), pointer: "#/titleEn" },
              ],
            },
            null,
            2,
          )}
        </pre>
      </section>

      <section aria-labelledby="rate-limits">
        <h2 id="rate-limits">{t("apiDocs.rateTitle")}</h2>
        <p className="prose">
          <Inline text={t("apiDocs.rateLead", { limit })} />
        </p>
      </section>

      <section aria-labelledby="endpoints">
        <h2 id="endpoints">{t("apiDocs.endpointsTitle")}</h2>
        {reference.groups.map((group) => (
          <section key={group.tag} aria-labelledby={`tag-${group.tag}`} className="api-group">
            <h3 id={`tag-${group.tag}`}>{group.title}</h3>
            {group.endpoints.map((e) => (
              <article
                key={e.id}
                id={e.anchor}
                className="api-endpoint"
                aria-labelledby={`${e.anchor}-title`}
              >
                <h4 id={`${e.anchor}-title`} className="api-endpoint__title">
                  <span dir="ltr" className="api-endpoint__route">
                    <StatusTag tone={e.method === "GET" ? "info" : "warning"}>{e.method}</StatusTag>{" "}
                    <code>{e.path}</code>
                  </span>
                  <span className="api-endpoint__summary">{e.summary}</span>
                </h4>
                <p>
                  {e.public
                    ? t("apiDocs.public")
                    : t("apiDocs.access", {
                        scopes: e.scopes.join(", ") || t("apiDocs.none"),
                        kinds: e.kinds.join("، "),
                      })}
                </p>
                {e.parameters.length > 0 ? (
                  <DataTable
                    caption={t("apiDocs.parameters")}
                    rows={e.parameters}
                    rowKey={(p) => `${p.in}-${p.name}`}
                    columns={[
                      { key: "name", header: t("apiDocs.parameter"), cell: (p) => <Code>{p.name}</Code> },
                      { key: "in", header: t("apiDocs.in"), cell: (p) => <Code>{p.in}</Code> },
                      { key: "type", header: t("apiDocs.type"), cell: (p) => <Code>{p.type}</Code> },
                      {
                        key: "required",
                        header: t("apiDocs.required"),
                        cell: (p) => (p.required ? t("apiDocs.yes") : t("apiDocs.no")),
                      },
                    ]}
                  />
                ) : null}
                {e.bodyType ? (
                  <>
                    <p>
                      <strong>{t("apiDocs.requestBody")}:</strong> <Code>{e.bodyType}</Code>
                      {e.bodyDescription ? (
                        <>
                          {" "}
                          <span className="hint">{e.bodyDescription}</span>
                        </>
                      ) : null}
                    </p>
                    <DataTable
                      caption={t("apiDocs.requestBody")}
                      captionHidden
                      rows={e.bodyFields}
                      rowKey={(f) => f.name}
                      columns={[
                        { key: "name", header: t("apiDocs.field"), cell: (f) => <Code>{f.name}</Code> },
                        { key: "type", header: t("apiDocs.type"), cell: (f) => <Code>{f.type}</Code> },
                        {
                          key: "required",
                          header: t("apiDocs.required"),
                          cell: (f) => (f.required ? t("apiDocs.yes") : t("apiDocs.no")),
                        },
                        {
                          key: "description",
                          header: t("apiDocs.description"),
                          cell: (f) => f.description,
                        },
                      ]}
                    />
                  </>
                ) : null}
                <p>
                  <strong>{t("apiDocs.response", { status: e.status })}:</strong>{" "}
                  <Code>{e.responseType}</Code>
                </p>
                {e.problems.length > 0 ? (
                  <p>
                    <strong>{t("apiDocs.possibleErrors")}:</strong>{" "}
                    <span dir="ltr">
                      {e.problems.map((p, i) => (
                        <span key={p.status}>
                          {i > 0 ? "; " : ""}
                          {p.status}{" "}
                          {p.codes.map((code, j) => (
                            <span key={code}>
                              {j > 0 ? ", " : ""}
                              <a href={`#error-${code}`}>{code}</a>
                            </span>
                          ))}
                        </span>
                      ))}
                    </span>
                  </p>
                ) : null}
                <p>
                  <strong>{t("apiDocs.example")}:</strong>
                </p>
                <pre dir="ltr" className="api-pre">
                  {e.curl}
                </pre>
              </article>
            ))}
          </section>
        ))}
      </section>

      <section aria-labelledby="schemas">
        <h2 id="schemas">{t("apiDocs.schemasTitle")}</h2>
        {reference.schemas.map((schema) => (
          <details key={schema.name} id={`schema-${schema.name}`} className="api-schema">
            <summary dir="ltr">
              <code>{schema.name}</code>
            </summary>
            {schema.description ? <p className="hint">{schema.description}</p> : null}
            {schema.fields.length > 0 ? (
              <DataTable
                caption={schema.name}
                captionHidden
                rows={schema.fields}
                rowKey={(f) => f.name}
                columns={[
                  { key: "name", header: t("apiDocs.field"), cell: (f) => <Code>{f.name}</Code> },
                  { key: "type", header: t("apiDocs.type"), cell: (f) => <Code>{f.type}</Code> },
                  {
                    key: "required",
                    header: t("apiDocs.required"),
                    cell: (f) => (f.required ? t("apiDocs.yes") : t("apiDocs.no")),
                  },
                  {
                    key: "description",
                    header: t("apiDocs.description"),
                    cell: (f) => f.description,
                  },
                ]}
              />
            ) : null}
          </details>
        ))}
      </section>

      <section aria-labelledby="error-codes">
        <h2 id="error-codes">{t("apiDocs.errorCodesTitle")}</h2>
        <div className="table-wrap">
          <table className="table">
            <caption className="table__caption visually-hidden">{t("apiDocs.errorCodesTitle")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("apiDocs.code")}</th>
                <th scope="col">HTTP</th>
                <th scope="col">{t("apiDocs.description")}</th>
              </tr>
            </thead>
            <tbody>
              {reference.errorCodes.map((c) => (
                <tr key={c.code} id={`error-${c.code}`}>
                  <td data-label={t("apiDocs.code")}>
                    <Code>{c.code}</Code>
                  </td>
                  <td data-label="HTTP">{c.status}</td>
                  <td data-label={t("apiDocs.description")}>{c.message}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </>
  );
}
