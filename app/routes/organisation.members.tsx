import { data, Form, redirect } from "react-router";
import { z } from "zod";
import { Button, DataTable, EmptyState, ErrorSummary, StatusTag, TextField } from "#app/components/ui.tsx";
import { requireUser } from "#app/modules/accounts/context.server.ts";
import { inviteMember, rolesFor } from "#app/modules/accounts/invitations.server.ts";
import { listMembers, revokeInvitation, setMemberRoles } from "#app/modules/accounts/members.server.ts";
import { setSecondFactorRequirement } from "#app/modules/accounts/totp.server.ts";
import { i18nContext } from "#app/modules/i18n/context.server.ts";
import { LANGUAGES } from "#app/modules/i18n/i18n.ts";
import { useTranslation } from "#app/modules/i18n/use-translation.ts";
import { servicesContext } from "#app/server/context.ts";
import { isAppError } from "#app/utils/errors.ts";
import { formErrorsOf } from "#app/utils/forms.server.ts";
import { clientIp, publicBaseUrl } from "#app/utils/http.server.ts";
import { throwAsResponse } from "#app/utils/responses.server.ts";
import type { Route } from "./+types/organisation.members";

const Intent = z.discriminatedUnion("intent", [
  z.object({
    intent: z.literal("invite"),
    email: z.email({ message: "errors.emailInvalid" }).max(320),
    roles: z.array(z.string()),
    language: z.enum(LANGUAGES).catch("ar"),
  }),
  z.object({ intent: z.literal("roles"), membershipId: z.uuid(), roles: z.array(z.string()) }),
  z.object({ intent: z.literal("remove"), membershipId: z.uuid() }),
  z.object({ intent: z.literal("revoke"), invitationId: z.uuid() }),
  z.object({ intent: z.literal("requireSecondFactor"), required: z.literal("on").optional() }),
]);

export async function loader({ request, context }: Route.LoaderArgs) {
  const { t, lang } = context.get(i18nContext);
  const { actor } = requireUser(request, context);
  const result = await listMembers(actor, context.get(servicesContext).database.db).catch(throwAsResponse);
  return {
    title: `${t("members.title")} – ${t("meta.siteName")}`,
    lang,
    roles: rolesFor(result.kind),
    isAgency: result.kind === "agency",
    requireSecondFactor: result.requireSecondFactor,
    members: result.members,
    pending: result.pending.map((p) => ({ ...p, expiresAt: p.expiresAt.toISOString() })),
  };
}

export async function action({ request, context }: Route.ActionArgs) {
  const { t } = context.get(i18nContext);
  const { actor } = requireUser(request, context);
  const { database, env } = context.get(servicesContext);
  const body = await request.formData();
  const parsed = Intent.safeParse({ ...Object.fromEntries(body), roles: body.getAll("roles") });
  if (!parsed.success) return data({ errors: { email: t("errors.VALIDATION") } }, { status: 400 });
  const form = parsed.data;
  const ip = clientIp(request);
  try {
    if (form.intent === "invite")
      await inviteMember(
        {
          actor,
          email: form.email,
          roles: form.roles,
          language: form.language,
          baseUrl: publicBaseUrl(request, env.PUBLIC_URL),
          ip,
        },
        database.db,
      );
    else if (form.intent === "roles")
      await setMemberRoles({ actor, membershipId: form.membershipId, roles: form.roles, ip }, database.db);
    else if (form.intent === "remove")
      await setMemberRoles({ actor, membershipId: form.membershipId, roles: [], ip }, database.db);
    else if (form.intent === "requireSecondFactor")
      await setSecondFactorRequirement({ actor, required: form.required === "on", ip }, database.db);
    else await revokeInvitation({ actor, invitationId: form.invitationId, ip }, database.db);
  } catch (e) {
    if (!isAppError(e)) throw e;
    return data(
      { errors: formErrorsOf(e, t, form.intent === "invite" ? "email" : "members") },
      { status: e.status },
    );
  }
  return redirect("/organisation/members?notice=saved", 303);
}

function RoleBoxes({
  roles,
  checked,
  idPrefix,
}: {
  roles: readonly string[];
  checked: string[];
  idPrefix: string;
}) {
  const { t } = useTranslation();
  return (
    <div className="role-boxes">
      {roles.map((role) => (
        <div className="checkbox" key={role}>
          <input
            type="checkbox"
            id={`${idPrefix}-${role}`}
            name="roles"
            value={role}
            defaultChecked={checked.includes(role)}
          />
          <label htmlFor={`${idPrefix}-${role}`}>{t(`roles.${role}`)}</label>
        </div>
      ))}
    </div>
  );
}

export default function Members({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useTranslation();
  const errors: Record<string, string | undefined> = actionData?.errors ?? {};
  return (
    <>
      <title>{loaderData.title}</title>
      <h1>{t("members.title")}</h1>
      <ErrorSummary errors={errors} />
      <DataTable
        caption={t("members.current")}
        rows={loaderData.members}
        rowKey={(m) => m.id}
        columns={[
          { key: "name", header: t("members.name"), cell: (m) => m.name },
          { key: "email", header: t("signIn.email"), cell: (m) => <span dir="ltr">{m.email}</span> },
          {
            key: "roles",
            header: t("members.roles"),
            cell: (m) => (
              <Form method="post" className="inline-form">
                <input type="hidden" name="intent" value="roles" />
                <input type="hidden" name="membershipId" value={m.id} />
                <RoleBoxes roles={loaderData.roles} checked={m.roles} idPrefix={m.id} />
                <Button variant="secondary">{t("members.saveRoles")}</Button>
              </Form>
            ),
          },
          {
            key: "remove",
            header: t("sessions.action"),
            cell: (m) => (
              <Form method="post">
                <input type="hidden" name="intent" value="remove" />
                <input type="hidden" name="membershipId" value={m.id} />
                <Button variant="warning">{t("members.remove")}</Button>
              </Form>
            ),
          },
        ]}
      />

      <h2>{t("members.pending")}</h2>
      {loaderData.pending.length === 0 ? (
        <EmptyState title={t("members.noPending")} />
      ) : (
        <ul className="pending-list">
          {loaderData.pending.map((p) => (
            <li key={p.id}>
              <span dir="ltr">{p.email}</span> — {p.roles.map((r) => t(`roles.${r}`)).join("، ")}{" "}
              <StatusTag tone="info">{t("members.expires", { date: p.expiresAt.slice(0, 10) })}</StatusTag>
              <Form method="post" className="inline-form">
                <input type="hidden" name="intent" value="revoke" />
                <input type="hidden" name="invitationId" value={p.id} />
                <Button variant="secondary">{t("members.revokeInvitation")}</Button>
              </Form>
            </li>
          ))}
        </ul>
      )}

      {loaderData.isAgency ? (
        <Form method="post" className="inline-form security-form">
          <input type="hidden" name="intent" value="requireSecondFactor" />
          <div className="checkbox">
            <input
              type="checkbox"
              id="required"
              name="required"
              defaultChecked={loaderData.requireSecondFactor}
            />
            <label htmlFor="required">{t("twoFactor.requireLabel")}</label>
          </div>
          <Button variant="secondary">{t("twoFactor.requireSave")}</Button>
        </Form>
      ) : null}

      <h2>{t("members.invite")}</h2>
      <Form method="post" className="narrow" noValidate>
        <input type="hidden" name="intent" value="invite" />
        <TextField name="email" type="email" label={t("signIn.email")} error={errors.email} dir="ltr" />
        <fieldset className="fieldset">
          <legend>{t("members.roles")}</legend>
          {errors.roles ? <p className="field__error">{errors.roles}</p> : null}
          <RoleBoxes roles={loaderData.roles} checked={[]} idPrefix="invite" />
        </fieldset>
        <input type="hidden" name="language" value={loaderData.lang} />
        <Button>{t("members.sendInvitation")}</Button>
      </Form>
    </>
  );
}
