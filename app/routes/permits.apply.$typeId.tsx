import { eq } from "drizzle-orm";
import { data, Form, Link, redirect } from "react-router";
import { z } from "zod";
import { Button, ErrorSummary } from "#app/components/ui.tsx";
import { requireUser } from "#app/modules/accounts/context.server.ts";
import { can } from "#app/modules/accounts/permissions.ts";
import { i18nContext } from "#app/modules/i18n/context.server.ts";
import { useTranslation } from "#app/modules/i18n/use-translation.ts";
import { pick } from "#app/modules/permits/permit-view.ts";
import { startApplication } from "#app/modules/permits/start-application.server.ts";
import { servicesContext } from "#app/server/context.ts";
import { isAppError } from "#app/utils/errors.ts";
import { clientIp } from "#app/utils/http.server.ts";
import { throwAsResponse } from "#app/utils/responses.server.ts";
import { permitTypes } from "#db/schema/index.ts";
import type { Route } from "./+types/permits.apply.$typeId";

const TypeId = z.uuid();

/** Start an application: who may apply is checked before any form is shown (parent licence, sector, verification). */
export async function loader({ request, params, context }: Route.LoaderArgs) {
  const { t, lang } = context.get(i18nContext);
  const { actor } = requireUser(request, context);
  const id = TypeId.safeParse(params.typeId);
  if (!id.success) throw new Response("Not found", { status: 404 });
  const type = await context.get(servicesContext).database.db.query.permitTypes.findFirst({
    where: eq(permitTypes.id, id.data),
  });
  if (!type?.active) throw new Response("Not found", { status: 404 });
  return {
    title: `${t("permits.applyTitle")} – ${t("meta.siteName")}`,
    typeId: type.id,
    name: pick(lang, type.nameAr, type.nameEn),
    canApply: can(actor, "permit:apply"),
  };
}

export async function action({ request, params, context }: Route.ActionArgs) {
  const { t } = context.get(i18nContext);
  const { actor } = requireUser(request, context);
  const id = TypeId.safeParse(params.typeId);
  if (!id.success) throw new Response("Not found", { status: 404 });
  try {
    const application = await startApplication(
      { actor, permitTypeId: id.data, ip: clientIp(request) },
      context.get(servicesContext).database.db,
    );
    return redirect(`/permits/applications/${application.id}`);
  } catch (e) {
    if (!isAppError(e)) throw e;
    if (e.code === "NOT_FOUND" || e.code === "UNAUTHENTICATED") throwAsResponse(e);
    return data({ errors: { form: String(t(e.messageKey, e.params)) } }, { status: e.status });
  }
}

export default function Apply({ loaderData: d, actionData }: Route.ComponentProps) {
  const { t } = useTranslation();
  return (
    <>
      <title>{d.title}</title>
      <p>
        <Link to={`/permits/types/${d.typeId}`}>{d.name}</Link>
      </p>
      <h1>{t("permits.applyFor", { name: d.name })}</h1>
      <ErrorSummary errors={actionData?.errors ?? {}} />
      {d.canApply ? (
        <>
          <p>{t("permits.applyIntro")}</p>
          <Form method="post">
            <Button>{t("permits.startApplication")}</Button>
          </Form>
        </>
      ) : (
        <p>{t("permits.onlyOwners")}</p>
      )}
    </>
  );
}
