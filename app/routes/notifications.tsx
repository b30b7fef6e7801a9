import { Form, Link, redirect } from "react-router";
import { Button, EmptyState } from "#app/components/ui.tsx";
import { requireUser } from "#app/modules/accounts/context.server.ts";
import { i18nContext } from "#app/modules/i18n/context.server.ts";
import { useTranslation } from "#app/modules/i18n/use-translation.ts";
import { markAllRead, myNotifications } from "#app/modules/notifications/my-notifications.server.ts";
import { servicesContext } from "#app/server/context.ts";
import type { Route } from "./+types/notifications";

export async function loader({ request, context }: Route.LoaderArgs) {
  const { t } = context.get(i18nContext);
  const { actor } = requireUser(request, context);
  const rows = await myNotifications(actor, context.get(servicesContext).database.db);
  return {
    title: `${t("notifications.title")} – ${t("meta.siteName")}`,
    items: rows.map((n) => ({
      id: n.id,
      // Rendered in the reader's language now, from the kind and its parameters.
      text: String(t(`notifications.${n.kind}`, n.params)),
      link: n.link?.startsWith("/") && !n.link.startsWith("//") ? n.link : null,
      at: n.createdAt.toISOString().slice(0, 16).replace("T", " "),
      unread: !n.readAt,
    })),
  };
}

export async function action({ request, context }: Route.ActionArgs) {
  const { actor } = requireUser(request, context);
  await markAllRead(actor, context.get(servicesContext).database.db);
  return redirect("/notifications");
}

export default function Notifications({ loaderData: d }: Route.ComponentProps) {
  const { t } = useTranslation();
  return (
    <>
      <title>{d.title}</title>
      <h1>{t("notifications.title")}</h1>
      {d.items.length === 0 ? (
        <EmptyState title={t("notifications.empty")} />
      ) : (
        <>
          {d.items.some((i) => i.unread) ? (
            <Form method="post">
              <Button variant="secondary">{t("notifications.markAllRead")}</Button>
            </Form>
          ) : null}
          <ul className="notifications">
            {d.items.map((n) => (
              <li
                key={n.id}
                className={
                  n.unread ? "notifications__item notifications__item--unread" : "notifications__item"
                }
              >
                {n.link ? <Link to={n.link}>{n.text}</Link> : n.text}{" "}
                <span className="hint" dir="ltr">
                  {n.at} UTC
                </span>
              </li>
            ))}
          </ul>
        </>
      )}
    </>
  );
}
