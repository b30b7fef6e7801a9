import { data, Form } from "react-router";
import { z } from "zod";
import { Button, DataTable, EmptyState, ErrorSummary, StatusTag, TextField } from "#app/components/ui.tsx";
import { scopesFor } from "#app/modules/accounts/api-scopes.ts";
import { createApiToken, listApiTokens, revokeApiToken } from "#app/modules/accounts/api-tokens.server.ts";
import { requireUser } from "#app/modules/accounts/context.server.ts";
import { i18nContext } from "#app/modules/i18n/context.server.ts";
import { useTranslation } from "#app/modules/i18n/use-translation.ts";
import { servicesContext } from "#app/server/context.ts";
import { isAppError } from "#app/utils/errors.ts";
import { formErrorsOf } from "#app/utils/forms.server.ts";
import { clientIp } from "#app/utils/http.server.ts";
import { throwAsResponse } from "#app/utils/responses.server.ts";
import type { Route } from "./+types/organisation.tokens";

const Intent = z.discriminatedUnion("intent", [
  z.object({
    intent: z.literal("create"),
    name: z.string().trim().min(1).max(100),
    scopes: z.array(z.string()),
  }),
  z.object({ intent: z.literal("revoke"), tokenId: z.uuid() }),
]);

export async function loader({ request, context }: Route.LoaderArgs) {
  const { t } = context.get(i18nContext);
  const { actor } = requireUser(request, context);
  const tokens = await listApiTokens(actor, context.get(servicesContext).database.db).catch(throwAsResponse);
  return {
    title: `${t("tokens.title")} – ${t("meta.siteName")}`,
    // The scopes this kind of organisation may give a token.
    scopes: actor.membership ? scopesFor(actor.membership.kind) : [],
    tokens: tokens.map((k) => ({
      ...k,
      createdAt: k.createdAt.toISOString(),
      lastUsedAt: k.lastUsedAt?.toISOString() ?? null,
      revokedAt: k.revokedAt?.toISOString() ?? null,
    })),
  };
}

export async function action({ request, context }: Route.ActionArgs) {
  const { t } = context.get(i18nContext);
  const { actor } = requireUser(request, context);
  const db = context.get(servicesContext).database.db;
  const body = await request.formData();
  const parsed = Intent.safeParse({ ...Object.fromEntries(body), scopes: body.getAll("scopes") });
  if (!parsed.success)
    return data({ errors: { name: t("errors.required") }, created: null }, { status: 400 });
  try {
    if (parsed.data.intent === "create") {
      const { token } = await createApiToken(
        { actor, name: parsed.data.name, scopes: parsed.data.scopes, ip: clientIp(request) },
        db,
      );
      // Shown once, in this response only.
      return { errors: {}, created: token };
    }
    await revokeApiToken({ actor, tokenId: parsed.data.tokenId, ip: clientIp(request) }, db);
    return { errors: {}, created: null };
  } catch (e) {
    if (!isAppError(e)) throw e;
    return data({ errors: formErrorsOf(e, t, "name"), created: null }, { status: e.status });
  }
}

export default function Tokens({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useTranslation();
  const errors: Record<string, string | undefined> = actionData?.errors ?? {};
  return (
    <>
      <title>{loaderData.title}</title>
      <h1>{t("tokens.title")}</h1>
      <p className="lead">{t("tokens.lead")}</p>
      <p>
        <a href="/api">{t("apiDocs.link")}</a>
      </p>
      {actionData?.created ? (
        <div className="notice" role="status">
          <p>{t("tokens.createdOnce")}</p>
          <code className="token" dir="ltr">
            {actionData.created}
          </code>
        </div>
      ) : null}
      <ErrorSummary errors={errors} />
      {loaderData.tokens.length === 0 ? (
        <EmptyState title={t("tokens.none")} />
      ) : (
        <DataTable
          caption={t("tokens.title")}
          rows={loaderData.tokens}
          rowKey={(k) => k.id}
          columns={[
            { key: "name", header: t("tokens.name"), cell: (k) => k.name },
            { key: "prefix", header: t("tokens.prefix"), cell: (k) => <code dir="ltr">{k.prefix}…</code> },
            {
              key: "scopes",
              header: t("tokens.scopes"),
              cell: (k) => <span dir="ltr">{k.scopes.join(", ")}</span>,
            },
            {
              key: "used",
              header: t("tokens.lastUsed"),
              cell: (k) => <span dir="ltr">{k.lastUsedAt?.slice(0, 16).replace("T", " ") ?? "—"}</span>,
            },
            {
              key: "state",
              header: t("agencies.status"),
              cell: (k) =>
                k.revokedAt ? (
                  <StatusTag tone="danger">{t("tokens.revoked")}</StatusTag>
                ) : (
                  <Form method="post">
                    <input type="hidden" name="intent" value="revoke" />
                    <input type="hidden" name="tokenId" value={k.id} />
                    <Button variant="secondary">{t("tokens.revoke")}</Button>
                  </Form>
                ),
            },
          ]}
        />
      )}
      <h2>{t("tokens.create")}</h2>
      <Form method="post" className="narrow" noValidate>
        <input type="hidden" name="intent" value="create" />
        <TextField
          name="name"
          label={t("tokens.name")}
          hint={t("tokens.nameHint")}
          error={errors.name}
          dir="auto"
        />
        <fieldset className="fieldset">
          <legend>{t("tokens.scopes")}</legend>
          {errors.scopes ? <p className="field__error">{errors.scopes}</p> : null}
          {loaderData.scopes.map((scope) => (
            <div className="checkbox" key={scope}>
              <input type="checkbox" id={`scope-${scope}`} name="scopes" value={scope} />
              <label htmlFor={`scope-${scope}`} dir="ltr">
                {scope}
              </label>
            </div>
          ))}
        </fieldset>
        <Button>{t("tokens.create")}</Button>
      </Form>
    </>
  );
}
