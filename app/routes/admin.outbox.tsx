import { EmptyState, StatusTag } from "#app/components/ui.tsx";
import { requireUser } from "#app/modules/accounts/context.server.ts";
import { i18nContext } from "#app/modules/i18n/context.server.ts";
import { useTranslation } from "#app/modules/i18n/use-translation.ts";
import { listOutbox } from "#app/modules/notifications/list-outbox.server.ts";
import { servicesContext } from "#app/server/context.ts";
import { throwAsResponse } from "#app/utils/responses.server.ts";
import type { Route } from "./+types/admin.outbox";

export async function loader({ request, context }: Route.LoaderArgs) {
  const { t } = context.get(i18nContext);
  const { actor } = requireUser(request, context);
  const messages = await listOutbox(actor, context.get(servicesContext).database.db).catch(throwAsResponse);
  return {
    title: `${t("outbox.title")} – ${t("meta.siteName")}`,
    messages: messages.map((m) => ({
      ...m,
      createdAt: m.createdAt.toISOString(),
      sentAt: m.sentAt?.toISOString() ?? null,
    })),
  };
}

export default function Outbox({ loaderData }: Route.ComponentProps) {
  const { t } = useTranslation();
  return (
    <>
      <title>{loaderData.title}</title>
      <h1>{t("outbox.title")}</h1>
      <p className="lead">{t("outbox.lead")}</p>
      {loaderData.messages.length === 0 ? (
        <EmptyState title={t("outbox.empty")} />
      ) : (
        <ol className="outbox">
          {loaderData.messages.map((m) => (
            <li
              key={m.id}
              className="outbox__message"
              lang={m.language}
              dir={m.language === "ar" ? "rtl" : "ltr"}
            >
              <p className="outbox__meta">
                <span dir="ltr">{m.toAddress}</span> ·{" "}
                <time dateTime={m.createdAt}>{m.createdAt.replace("T", " ").slice(0, 19)} UTC</time>{" "}
                {m.sentAt ? (
                  <StatusTag tone="success">{t("outbox.sent")}</StatusTag>
                ) : (
                  <StatusTag>{t("outbox.waiting")}</StatusTag>
                )}
              </p>
              <h2 className="outbox__subject">{m.subject}</h2>
              <pre className="outbox__body">{m.body}</pre>
            </li>
          ))}
        </ol>
      )}
    </>
  );
}
