import { Form, Link, NavLink, useLocation } from "react-router";
import type { NavItem } from "#app/modules/accounts/navigation.ts";
import { useTranslation } from "#app/modules/i18n/use-translation.ts";

/** Switch language with a plain form post: works without JavaScript, comes back to the same page. */
export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  const location = useLocation();
  const other = i18n.language === "ar" ? "en" : "ar";
  return (
    <Form method="post" action="/language" className="language-switch">
      <input type="hidden" name="lang" value={other} />
      <input type="hidden" name="redirectTo" value={`${location.pathname}${location.search}`} />
      <button type="submit" className="link-button" lang={other} aria-label={t("language.switchLabel")}>
        {t("language.switchTo")}
      </button>
    </Form>
  );
}

/** Act for another organisation: a plain form, shown only to people who belong to several. */
function OrganisationSwitch({
  organisations,
  activeOrganisationId,
}: {
  organisations: Array<{ id: string; nameAr: string; nameEn: string }>;
  activeOrganisationId: string | null;
}) {
  const { t, i18n } = useTranslation();
  const location = useLocation();
  if (organisations.length === 0 || (organisations.length < 2 && activeOrganisationId)) return null;
  return (
    <Form method="post" action="/account/organisation" className="org-switch">
      <input type="hidden" name="redirectTo" value={location.pathname} />
      <label className="visually-hidden" htmlFor="organisationId">
        {t("nav.actingFor")}
      </label>
      <select id="organisationId" name="organisationId" defaultValue={activeOrganisationId ?? ""}>
        {activeOrganisationId ? null : <option value="">{t("nav.actingFor")}</option>}
        {organisations.map((o) => (
          <option key={o.id} value={o.id}>
            {i18n.language === "ar" ? o.nameAr : o.nameEn}
          </option>
        ))}
      </select>
      <button type="submit" className="link-button">
        {t("nav.switch")}
      </button>
    </Form>
  );
}

export function SiteHeader({
  nav,
  signedIn,
  displayName,
  organisations = [],
  activeOrganisationId = null,
  unread = 0,
}: {
  nav: NavItem[];
  signedIn: boolean;
  displayName: string | null;
  organisations?: Array<{ id: string; nameAr: string; nameEn: string }>;
  activeOrganisationId?: string | null;
  /** Unread in-app notifications. */
  unread?: number;
}) {
  const { t } = useTranslation();
  return (
    <header className="site-header">
      <a href="#main" className="skip-link">
        {t("nav.skipToContent")}
      </a>
      <div className="site-header__bar">
        <Link to="/" className="brand">
          <svg className="brand__mark" viewBox="0 0 32 32" aria-hidden="true" focusable="false">
            <rect x="2" y="2" width="28" height="28" rx="7" fill="currentColor" opacity="0.15" />
            <path
              d="M8 20c3-6 13-6 16 0M11 13h10"
              stroke="currentColor"
              strokeWidth="2.5"
              strokeLinecap="round"
              fill="none"
            />
          </svg>
          <span className="brand__name">{t("meta.siteName")}</span>
          <span className="brand__tagline">{t("meta.tagline")}</span>
        </Link>
        <div className="site-header__tools">
          <LanguageSwitch />
          {signedIn ? (
            <>
              <OrganisationSwitch organisations={organisations} activeOrganisationId={activeOrganisationId} />
              <Link to="/searches" className="site-header__searches">
                {t("savedSearches.title")}
              </Link>
              <Link to="/notifications" className="site-header__notifications">
                {unread > 0 ? t("notifications.linkUnread", { count: unread }) : t("notifications.title")}
              </Link>
              <Link to="/account/sessions" className="site-header__user">
                {displayName}
              </Link>
              <Form method="post" action="/logout">
                <button type="submit" className="link-button">
                  {t("nav.signOut")}
                </button>
              </Form>
            </>
          ) : (
            <Link to="/login" className="site-header__signin">
              {t("nav.signIn")}
            </Link>
          )}
        </div>
      </div>
      <nav className="site-nav" aria-label={t("nav.mainLabel")}>
        <ul>
          {nav.map((item) => (
            <li key={item.to}>
              <NavLink to={item.to} prefetch="intent">
                {t(item.label)}
              </NavLink>
            </li>
          ))}
        </ul>
      </nav>
    </header>
  );
}

export function SiteFooter() {
  const { t } = useTranslation();
  return (
    <footer className="site-footer">
      <p>{t("footer.about")}</p>
      <p>{t("footer.openData")}</p>
    </footer>
  );
}
