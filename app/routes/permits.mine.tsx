import { data, Form, Link, redirect } from "react-router";
import { ApplicationStatusTag, PermitStatusTag } from "#app/components/permit.tsx";
import { Button, DataTable, EmptyState, ErrorSummary } from "#app/components/ui.tsx";
import { requireUser } from "#app/modules/accounts/context.server.ts";
import { i18nContext } from "#app/modules/i18n/context.server.ts";
import { useTranslation } from "#app/modules/i18n/use-translation.ts";
import { myPermits } from "#app/modules/permits/permit-lists.server.ts";
import { dateInZone, inRenewalWindow, renewalWindow } from "#app/modules/permits/permit-rules.ts";
import { pick } from "#app/modules/permits/permit-view.ts";
import { startApplication } from "#app/modules/permits/start-application.server.ts";
import { servicesContext } from "#app/server/context.ts";
import { isAppError } from "#app/utils/errors.ts";
import { clientIp } from "#app/utils/http.server.ts";
import { throwAsResponse } from "#app/utils/responses.server.ts";
import { readSmallForm } from "#app/utils/uploads.server.ts";
import type { Route } from "./+types/permits.mine";

export async function loader({ request, context }: Route.LoaderArgs) {
  const { t, lang } = context.get(i18nContext);
  const { actor } = requireUser(request, context);
  const { held, applications, now } = await myPermits(actor, context.get(servicesContext).database.db).catch(
    throwAsResponse,
  );
  return {
    title: `${t("permits.mineTitle")} – ${t("meta.siteName")}`,
    permits: held.map(({ permit, type, agency }) => {
      const today = dateInZone(now, agency.timeZone);
      const window = renewalWindow(permit.validUntil, type.renewalWindowDays, type.gracePeriodDays);
      // What the holder sees: a valid permit past its end is expired even before the job marks it.
      const status = permit.status === "valid" && permit.expiresAt <= now ? "expired" : permit.status;
      return {
        id: permit.id,
        number: permit.number,
        type: pick(lang, type.nameAr, type.nameEn),
        agency: pick(lang, agency.nameAr, agency.nameEn),
        status,
        validFrom: permit.validFrom,
        validUntil: permit.validUntil,
        canRenew:
          permit.status !== "revoked" && permit.status !== "suspended" && inRenewalWindow(window, today),
        renewalOpens: window.opensOn,
        canAmend: status === "valid",
      };
    }),
    applications: applications.map(({ application, type }) => ({
      id: application.id,
      reference: application.reference,
      type: pick(lang, type.nameAr, type.nameEn),
      kind: application.kind,
      status: application.status,
      updated: application.updatedAt.toISOString().slice(0, 10),
    })),
  };
}

export async function action({ request, context }: Route.ActionArgs) {
  const { t } = context.get(i18nContext);
  const { actor } = requireUser(request, context);
  const form = await readSmallForm(request, 8_000);
  const kind = form.get("intent") === "amend" ? "amendment" : "renewal";
  try {
    const application = await startApplication(
      { actor, kind, permitId: String(form.get("permitId") ?? ""), ip: clientIp(request) },
      context.get(servicesContext).database.db,
    );
    return redirect(`/permits/applications/${application.id}`);
  } catch (e) {
    if (!isAppError(e)) throw e;
    if (e.code === "UNAUTHENTICATED") throwAsResponse(e);
    return data({ errors: { form: String(t(e.messageKey, e.params)) } }, { status: e.status });
  }
}

export default function MyPermits({ loaderData: d, actionData }: Route.ComponentProps) {
  const { t } = useTranslation();
  return (
    <>
      <title>{d.title}</title>
      <h1>{t("permits.mineTitle")}</h1>
      <ErrorSummary errors={actionData?.errors ?? {}} />
      <p>
        <Link to="/permits">{t("permits.browseCatalogue")}</Link>
      </p>
      <h2>{t("permits.heldTitle")}</h2>
      {d.permits.length === 0 ? (
        <EmptyState title={t("permits.noneHeld")} />
      ) : (
        <DataTable
          caption={t("permits.heldTitle")}
          captionHidden
          rows={d.permits}
          rowKey={(p) => p.id}
          columns={[
            {
              key: "number",
              header: t("permits.number"),
              cell: (p) => (
                <a href={`/permits/${encodeURIComponent(p.number)}/certificate.pdf`} dir="ltr">
                  {p.number}
                </a>
              ),
            },
            { key: "type", header: t("permits.type"), cell: (p) => `${p.type} — ${p.agency}` },
            {
              key: "status",
              header: t("permits.statusLabel"),
              cell: (p) => <PermitStatusTag status={p.status} />,
            },
            {
              key: "validity",
              header: t("permits.validity"),
              cell: (p) =>
                t("permits.validityRange", {
                  from: `\u2066${p.validFrom}\u2069`,
                  until: `\u2066${p.validUntil}\u2069`,
                }),
            },
            {
              key: "actions",
              header: t("permits.actions"),
              cell: (p) => (
                <div className="button-row">
                  {p.canRenew ? (
                    <Form method="post">
                      <input type="hidden" name="permitId" value={p.id} />
                      <Button name="intent" value="renew" variant="secondary">
                        {t("permits.renew")}
                      </Button>
                    </Form>
                  ) : p.status !== "revoked" ? (
                    <span className="hint">{t("permits.renewalOpens", { date: p.renewalOpens })}</span>
                  ) : null}
                  {p.canAmend ? (
                    <Form method="post">
                      <input type="hidden" name="permitId" value={p.id} />
                      <Button name="intent" value="amend" variant="secondary">
                        {t("permits.amend")}
                      </Button>
                    </Form>
                  ) : null}
                </div>
              ),
            },
          ]}
        />
      )}
      <h2>{t("permits.applicationsTitle")}</h2>
      {d.applications.length === 0 ? (
        <EmptyState title={t("permits.noApplications")} />
      ) : (
        <DataTable
          caption={t("permits.applicationsTitle")}
          captionHidden
          rows={d.applications}
          rowKey={(a) => a.id}
          columns={[
            {
              key: "reference",
              header: t("permits.reference"),
              cell: (a) => (
                <Link to={`/permits/applications/${a.id}`} dir="ltr">
                  {a.reference}
                </Link>
              ),
            },
            {
              key: "type",
              header: t("permits.type"),
              cell: (a) => `${a.type} (${t(`permits.kind.${a.kind}`)})`,
            },
            {
              key: "status",
              header: t("permits.statusLabel"),
              cell: (a) => <ApplicationStatusTag status={a.status} />,
            },
            { key: "updated", header: t("permits.updated"), cell: (a) => <span dir="ltr">{a.updated}</span> },
          ]}
        />
      )}
    </>
  );
}
