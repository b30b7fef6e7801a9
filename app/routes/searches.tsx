import { data, Form, Link, redirect } from "react-router";
import { Button, DataTable, EmptyState, ErrorSummary, SelectField } from "#app/components/ui.tsx";
import { requireUser } from "#app/modules/accounts/context.server.ts";
import {
  changeSavedSearch,
  mySavedSearches,
  saveSearch,
} from "#app/modules/discovery/saved-searches.server.ts";
import { i18nContext } from "#app/modules/i18n/context.server.ts";
import { useTranslation } from "#app/modules/i18n/use-translation.ts";
import { servicesContext } from "#app/server/context.ts";
import { isAppError } from "#app/utils/errors.ts";
import { formErrorsOf } from "#app/utils/forms.server.ts";
import { throwAsResponse } from "#app/utils/responses.server.ts";
import { readSmallForm } from "#app/utils/uploads.server.ts";
import { ALERT_FREQUENCIES } from "#db/schema/saved-searches.ts";
import type { Route } from "./+types/searches";

/** The signed-in user's saved searches: open, feed, alert frequency, delete. Saving happens here too. */
export async function loader({ request, context }: Route.LoaderArgs) {
  const { t } = context.get(i18nContext);
  const { actor } = requireUser(request, context);
  const rows = await mySavedSearches(actor, context.get(servicesContext).database.db);
  return {
    title: `${t("savedSearches.title")} – ${t("meta.siteName")}`,
    searches: rows.map((s) => ({
      id: s.id,
      name: s.name,
      href: `/tenders${s.query ? `?${s.query}` : ""}`,
      feed: `/tenders/feed.atom${s.query ? `?${s.query}` : ""}`,
      frequency: s.frequency,
    })),
  };
}

export async function action({ request, context }: Route.ActionArgs) {
  const { t } = context.get(i18nContext);
  const { actor } = requireUser(request, context);
  const db = context.get(servicesContext).database.db;
  const form = await readSmallForm(request, 16_000);
  const intent = String(form.get("intent") ?? "save");
  try {
    if (intent === "save") {
      await saveSearch(
        {
          actor,
          name: String(form.get("name") ?? ""),
          query: String(form.get("query") ?? ""),
          frequency: String(form.get("frequency") ?? "daily"),
        },
        db,
      );
      return redirect("/searches?notice=searchSaved");
    }
    const id = String(form.get("id") ?? "");
    if (intent === "remove") await changeSavedSearch({ actor, id, remove: true }, db);
    else await changeSavedSearch({ actor, id, frequency: String(form.get("frequency") ?? "") }, db);
    return redirect("/searches?notice=saved");
  } catch (e) {
    if (!isAppError(e)) throw e;
    if (e.code === "NOT_FOUND" || e.code === "UNAUTHENTICATED") throwAsResponse(e);
    return data({ errors: formErrorsOf(e, t) }, { status: e.status });
  }
}

export default function SavedSearches({ loaderData: d, actionData }: Route.ComponentProps) {
  const { t } = useTranslation();
  const frequencies = ALERT_FREQUENCIES.map((f) => ({ value: f, label: t(`savedSearches.frequency.${f}`) }));
  return (
    <>
      <title>{d.title}</title>
      <h1>{t("savedSearches.title")}</h1>
      <p className="lead">{t("savedSearches.lead")}</p>
      <ErrorSummary errors={actionData?.errors ?? {}} />
      {d.searches.length === 0 ? (
        <EmptyState title={t("savedSearches.empty")}>
          <p>
            <Link to="/tenders">{t("savedSearches.howTo")}</Link>
          </p>
        </EmptyState>
      ) : (
        <DataTable
          caption={t("savedSearches.title")}
          captionHidden
          rows={d.searches}
          rowKey={(s) => s.id}
          columns={[
            {
              key: "name",
              header: t("savedSearches.name"),
              cell: (s) => (
                <Link to={s.href} dir="auto">
                  {s.name}
                </Link>
              ),
            },
            {
              key: "alerts",
              header: t("savedSearches.alerts"),
              cell: (s) => (
                <Form method="post" className="inline-form">
                  <input type="hidden" name="intent" value="frequency" />
                  <input type="hidden" name="id" value={s.id} />
                  <SelectField
                    name="frequency"
                    label={t("savedSearches.alerts")}
                    options={frequencies}
                    defaultValue={s.frequency}
                  />
                  <Button variant="secondary">{t("savedSearches.change")}</Button>
                </Form>
              ),
            },
            {
              key: "feed",
              header: t("savedSearches.feed"),
              cell: (s) => (
                <a href={s.feed} type="application/atom+xml">
                  Atom
                </a>
              ),
            },
            {
              key: "remove",
              header: t("savedSearches.remove"),
              cell: (s) => (
                <Form method="post">
                  <input type="hidden" name="intent" value="remove" />
                  <input type="hidden" name="id" value={s.id} />
                  <Button variant="warning">{t("savedSearches.remove")}</Button>
                </Form>
              ),
            },
          ]}
        />
      )}
    </>
  );
}
