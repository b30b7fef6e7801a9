import { data } from "react-router";
import { EmptyState, StatusTag, type Tone } from "#app/components/ui.tsx";
import { i18nContext } from "#app/modules/i18n/context.server.ts";
import { useTranslation } from "#app/modules/i18n/use-translation.ts";
import { verifyPermit } from "#app/modules/permits/verify-permit.server.ts";
import { servicesContext } from "#app/server/context.ts";
import type { PermitStatus } from "#db/schema/permit-kinds.ts";
import type { Route } from "./+types/verify.permit.$number";
import { PermitNumberForm } from "./verify.permit.tsx";

/**
 * GET /verify/permit/:number: the public check of a permit (its certificate's
 * QR code points here). Shows whether it stands now and the facts printed on
 * the certificate, nothing private. An unknown number and a malformed one get
 * the same 404 page, which does not repeat the number.
 */
export async function loader({ params, context }: Route.LoaderArgs) {
  const { t } = context.get(i18nContext);
  const permit = await verifyPermit(params.number, context.get(servicesContext).database.db);
  if (!permit)
    return data(
      { title: `${t("verifyPermit.notFoundTitle")} – ${t("meta.siteName")}`, permit: null },
      { status: 404 },
    );
  return {
    title: `${t("verifyPermit.resultTitle", { number: permit.number })} – ${t("meta.siteName")}`,
    permit,
  };
}

const TONES: Record<PermitStatus, Tone> = {
  valid: "success",
  expired: "warning",
  suspended: "warning",
  revoked: "danger",
};

const NOTICE_CLASS: Record<PermitStatus, string> = {
  valid: "notice",
  expired: "notice notice--warning",
  suspended: "notice notice--warning",
  revoked: "notice notice--danger",
};

export default function VerifyPermitNumber({ loaderData }: Route.ComponentProps) {
  const { t, i18n } = useTranslation();
  const ar = i18n.language === "ar";
  const p = loaderData.permit;
  if (!p)
    return (
      <>
        <title>{loaderData.title}</title>
        <meta name="robots" content="noindex" />
        <h1>{t("verifyPermit.title")}</h1>
        <EmptyState title={t("verifyPermit.notFoundTitle")}>
          <p>{t("verifyPermit.notFoundBody")}</p>
        </EmptyState>
        <h2>{t("verifyPermit.tryAgain")}</h2>
        <PermitNumberForm />
      </>
    );
  const name = (n: { nameAr: string; nameEn: string }) => (ar ? n.nameAr : n.nameEn);
  return (
    <>
      <title>{loaderData.title}</title>
      <meta name="robots" content="noindex" />
      {/* The number kept left-to-right inside Arabic text (U+2066 … U+2069 isolate it). */}
      <h1>{t("verifyPermit.resultTitle", { number: `\u2066${p.number}\u2069` })}</h1>
      <div className={NOTICE_CLASS[p.status]} role="status">
        {t(`verifyPermit.notice.${p.status}`)}
      </div>

      <h2>{t("verifyPermit.details")}</h2>
      <dl className="facts">
        <div>
          <dt>{t("verifyPermit.status")}</dt>
          <dd>
            <StatusTag tone={TONES[p.status]}>{t(`verifyPermit.statuses.${p.status}`)}</StatusTag>
          </dd>
        </div>
        <div>
          <dt>{t("verifyPermit.number")}</dt>
          <dd>
            <span dir="ltr">{p.number}</span>
          </dd>
        </div>
        <div>
          <dt>{t("verifyPermit.permitType")}</dt>
          <dd>{name(p.permitType)}</dd>
        </div>
        <div>
          <dt>{t("verifyPermit.holder")}</dt>
          <dd>{name(p.holder)}</dd>
        </div>
        <div>
          <dt>{t("verifyPermit.agency")}</dt>
          <dd>{name(p.agency)}</dd>
        </div>
        <div>
          <dt>{t("verifyPermit.validFrom")}</dt>
          <dd>
            <span dir="ltr">{p.validFrom}</span>
          </dd>
        </div>
        <div>
          <dt>{t("verifyPermit.validUntil")}</dt>
          <dd>
            <span dir="ltr">{p.validUntil}</span>
          </dd>
        </div>
      </dl>
      <p className="hint">{t("verifyPermit.privacyNote")}</p>

      <h2>{t("verifyPermit.checkAnother")}</h2>
      <PermitNumberForm />
    </>
  );
}
