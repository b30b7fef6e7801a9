import { data, Form, Link, redirect } from "react-router";
import { z } from "zod";
import { Button, DataTable, ErrorSummary, StatusTag } from "#app/components/ui.tsx";
import { requireUser } from "#app/modules/accounts/context.server.ts";
import { listMySessions, revokeMySession } from "#app/modules/accounts/list-my-sessions.server.ts";
import { i18nContext } from "#app/modules/i18n/context.server.ts";
import { useTranslation } from "#app/modules/i18n/use-translation.ts";
import { servicesContext } from "#app/server/context.ts";
import { isAppError } from "#app/utils/errors.ts";
import { clientIp } from "#app/utils/http.server.ts";
import type { Route } from "./+types/account.sessions";

const Revoke = z.object({ sessionId: z.string().regex(/^[0-9a-f]{64}$/) });

export async function loader({ request, context }: Route.LoaderArgs) {
  const { t } = context.get(i18nContext);
  const { actor, session } = requireUser(request, context);
  const rows = await listMySessions(actor, context.get(servicesContext).database.db);
  return {
    title: `${t("sessions.title")} – ${t("meta.siteName")}`,
    sessions: rows.map((r) => ({ ...r, ip: r.ip ? String(r.ip) : null, current: r.id === session.id })),
  };
}

export async function action({ request, context }: Route.ActionArgs) {
  const { t } = context.get(i18nContext);
  const { actor } = requireUser(request, context);
  const form = Revoke.safeParse(Object.fromEntries(await request.formData()));
  if (!form.success) return data({ errors: { sessions: t("errors.VALIDATION") } }, { status: 400 });
  try {
    await revokeMySession(
      actor,
      form.data.sessionId,
      clientIp(request),
      context.get(servicesContext).database.db,
    );
  } catch (e) {
    if (!isAppError(e)) throw e;
    return data({ errors: { sessions: String(t(e.messageKey, e.params)) } }, { status: e.status });
  }
  return redirect("/account/sessions", 303);
}

export default function Sessions({ loaderData, actionData }: Route.ComponentProps) {
  const { t, i18n } = useTranslation();
  const when = new Intl.DateTimeFormat(i18n.language === "ar" ? "ar-u-nu-latn" : "en-GB", {
    dateStyle: "medium",
    timeStyle: "short",
    timeZone: "UTC",
  });
  return (
    <>
      <title>{loaderData.title}</title>
      <h1>{t("sessions.title")}</h1>
      <p className="lead">{t("sessions.lead")}</p>
      <p>
        <Link to="/account/password">{t("changePassword.title")}</Link>
        {" · "}
        <Link to="/account/two-factor">{t("twoFactor.title")}</Link>
      </p>
      <ErrorSummary errors={actionData?.errors ?? {}} />
      <DataTable
        caption={t("sessions.caption")}
        rows={loaderData.sessions}
        rowKey={(s) => s.id}
        columns={[
          {
            key: "device",
            header: t("sessions.device"),
            cell: (s) => <span dir="ltr">{s.userAgent ?? "—"}</span>,
          },
          { key: "ip", header: t("sessions.ip"), cell: (s) => <span dir="ltr">{s.ip ?? "—"}</span> },
          {
            key: "created",
            header: t("sessions.signedIn"),
            cell: (s) => `${when.format(new Date(s.createdAt))} UTC`,
          },
          {
            key: "seen",
            header: t("sessions.lastSeen"),
            cell: (s) => `${when.format(new Date(s.lastSeenAt))} UTC`,
          },
          {
            key: "action",
            header: t("sessions.action"),
            cell: (s) =>
              s.current ? (
                <StatusTag tone="info">{t("sessions.current")}</StatusTag>
              ) : (
                <Form method="post">
                  <input type="hidden" name="sessionId" value={s.id} />
                  <Button variant="secondary">{t("sessions.revoke")}</Button>
                </Form>
              ),
          },
        ]}
      />
    </>
  );
}
