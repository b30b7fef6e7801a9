import { Form, redirect } from "react-router";
import { Button, TextField } from "#app/components/ui.tsx";
import { i18nContext } from "#app/modules/i18n/context.server.ts";
import { useTranslation } from "#app/modules/i18n/use-translation.ts";
import type { Route } from "./+types/verify.permit";

/** GET /verify/permit?number=…: the form, or on to the page of the number typed. */
export function loader({ request, context }: Route.LoaderArgs) {
  const { t } = context.get(i18nContext);
  const number = (new URL(request.url).searchParams.get("number") ?? "").trim().toUpperCase().slice(0, 100);
  if (number) throw redirect(`/verify/permit/${encodeURIComponent(number)}`);
  return { title: `${t("verifyPermit.title")} – ${t("meta.siteName")}` };
}

/** The one-field form to look a permit up by its number; used here and on each permit's page. */
export function PermitNumberForm() {
  const { t } = useTranslation();
  return (
    <Form method="get" action="/verify/permit" className="search-form" role="search">
      <TextField
        name="number"
        label={t("verifyPermit.numberLabel")}
        hint={t("verifyPermit.numberHint")}
        autoComplete="off"
        dir="ltr"
      />
      <Button>{t("verifyPermit.check")}</Button>
    </Form>
  );
}

export default function VerifyPermit({ loaderData }: Route.ComponentProps) {
  const { t } = useTranslation();
  return (
    <>
      <title>{loaderData.title}</title>
      <meta name="robots" content="noindex" />
      <h1>{t("verifyPermit.title")}</h1>
      <p className="lead">{t("verifyPermit.lead")}</p>
      <PermitNumberForm />
    </>
  );
}
