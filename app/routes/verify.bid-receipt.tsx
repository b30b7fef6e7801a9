import { data, Form } from "react-router";
import { Button, ErrorSummary, TextAreaField } from "#app/components/ui.tsx";
import { parseBidReceipt, verifyBidReceipt } from "#app/modules/bids/bid-receipt.ts";
import { i18nContext } from "#app/modules/i18n/context.server.ts";
import { useTranslation } from "#app/modules/i18n/use-translation.ts";
import { loadPlatformKey } from "#app/modules/ledger/platform-key.server.ts";
import { servicesContext } from "#app/server/context.ts";
import type { Route } from "./+types/verify.bid-receipt";

export function loader({ context }: Route.LoaderArgs) {
  const { t } = context.get(i18nContext);
  return { title: `${t("bidReceipt.title")} – ${t("meta.siteName")}` };
}

/** POST: check a pasted receipt against the platform's own public key (not the one inside the file). */
export async function action({ request, context }: Route.ActionArgs) {
  const { t } = context.get(i18nContext);
  const text = String((await request.formData()).get("receipt") ?? "").slice(0, 20_000);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return data({ errors: { receipt: t("bidReceipt.unreadable") }, verdict: null }, { status: 400 });
  }
  const parsed = parseBidReceipt(json);
  if (!parsed.ok)
    return data({ errors: { receipt: t("bidReceipt.unreadable") }, verdict: null }, { status: 400 });
  const key = await loadPlatformKey(context.get(servicesContext).env);
  const verdict = verifyBidReceipt(key.publicKeyPem, parsed.receipt);
  const r = parsed.receipt;
  return {
    errors: {},
    verdict: verdict.ok
      ? {
          ok: true as const,
          keyId: verdict.keyId,
          tender: r.tenderReference,
          receivedAt: r.receivedAt,
          digest: r.sealedSha256,
        }
      : { ok: false as const, detail: verdict.detail },
  };
}

export default function VerifyBidReceipt({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useTranslation();
  const v = actionData?.verdict;
  const errors: Record<string, string | undefined> = actionData?.errors ?? {};
  return (
    <>
      <title>{loaderData.title}</title>
      <h1>{t("bidReceipt.title")}</h1>
      <p className="lead">{t("bidReceipt.lead")}</p>
      <ErrorSummary errors={errors} />
      {v ? (
        v.ok ? (
          <div className="notice" role="status">
            <p>{t("bidReceipt.valid", { keyId: v.keyId })}</p>
            <dl className="facts">
              <div>
                <dt>{t("bidReceipt.tender")}</dt>
                <dd dir="ltr">{v.tender}</dd>
              </div>
              <div>
                <dt>{t("bidReceipt.receivedAt")}</dt>
                <dd dir="ltr">{v.receivedAt}</dd>
              </div>
              <div>
                <dt>{t("bidReceipt.digest")}</dt>
                <dd>
                  <code className="digest" dir="ltr">
                    {v.digest}
                  </code>
                </dd>
              </div>
            </dl>
          </div>
        ) : (
          <div className="notice notice--warning" role="alert">
            {t("bidReceipt.invalid", { detail: v.detail })}
          </div>
        )
      ) : null}
      <Form method="post" className="narrow" noValidate>
        <TextAreaField
          name="receipt"
          label={t("bidReceipt.receipt")}
          rows={12}
          dir="ltr"
          error={errors.receipt}
        />
        <Button>{t("bidReceipt.check")}</Button>
      </Form>
    </>
  );
}
