import { data, Form, Link, redirect } from "react-router";
import { Button, ErrorSummary } from "#app/components/ui.tsx";
import { actorContext, requireUser } from "#app/modules/accounts/context.server.ts";
import { acceptInvitation, findInvitation } from "#app/modules/accounts/invitations.server.ts";
import { switchOrganisation } from "#app/modules/accounts/members.server.ts";
import { i18nContext } from "#app/modules/i18n/context.server.ts";
import { useTranslation } from "#app/modules/i18n/use-translation.ts";
import { servicesContext } from "#app/server/context.ts";
import { isAppError } from "#app/utils/errors.ts";
import { clientIp } from "#app/utils/http.server.ts";
import type { Route } from "./+types/invitations.$token";

export async function loader({ request, params, context }: Route.LoaderArgs) {
  const { t, lang } = context.get(i18nContext);
  const { actor } = context.get(actorContext);
  const title = `${t("invitation.title")} – ${t("meta.siteName")}`;
  try {
    const found = await findInvitation(params.token, context.get(servicesContext).database.db);
    return {
      title,
      error: null,
      organisation: lang === "ar" ? found.nameAr : found.nameEn,
      email: found.invitation.email,
      roles: found.invitation.roles,
      signedIn: actor.type === "user",
      here: new URL(request.url).pathname,
    };
  } catch (e) {
    if (!isAppError(e)) throw e;
    return data(
      {
        title,
        error: String(t(e.messageKey)),
        organisation: null,
        email: null,
        roles: [],
        signedIn: false,
        here: "",
      },
      { status: e.status },
    );
  }
}

export async function action({ request, params, context }: Route.ActionArgs) {
  const { t } = context.get(i18nContext);
  const { actor, session } = requireUser(request, context);
  const db = context.get(servicesContext).database.db;
  const ip = clientIp(request);
  try {
    const { organisationId } = await acceptInvitation({ actor, token: params.token, ip }, db);
    await switchOrganisation({ actor, sessionId: session.id, organisationId, ip }, db);
  } catch (e) {
    if (!isAppError(e)) throw e;
    return data({ error: String(t(e.messageKey)) }, { status: e.status });
  }
  return redirect("/?notice=invitationAccepted", 303);
}

export default function InvitationPage({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useTranslation();
  const error = actionData?.error ?? loaderData.error;
  return (
    <div className="narrow">
      <title>{loaderData.title}</title>
      <h1>{t("invitation.title")}</h1>
      {error ? <ErrorSummary errors={{ form: error }} /> : null}
      {loaderData.organisation ? (
        <>
          <p>
            {t("invitation.body", {
              organisation: loaderData.organisation,
              roles: loaderData.roles.map((r) => t(`roles.${r}`)).join("، "),
            })}
          </p>
          <p className="hint">
            {t("invitation.forEmail")} <span dir="ltr">{loaderData.email}</span>
          </p>
          {loaderData.signedIn ? (
            <Form method="post">
              <Button>{t("invitation.accept")}</Button>
            </Form>
          ) : (
            <p>
              <Link to={`/login?redirectTo=${encodeURIComponent(loaderData.here)}`}>
                {t("invitation.signInToAccept")}
              </Link>
              {" · "}
              <Link to={`/signup?redirectTo=${encodeURIComponent(loaderData.here)}`}>
                {t("invitation.createAccount")}
              </Link>
            </p>
          )}
        </>
      ) : null}
    </div>
  );
}
