import "@fontsource/ibm-plex-sans-arabic/arabic-400.css";
import "@fontsource/ibm-plex-sans-arabic/arabic-600.css";
import "@fontsource/ibm-plex-sans-arabic/latin-400.css";
import "@fontsource/ibm-plex-sans-arabic/latin-600.css";
import "./styles/app.css";
import { I18nextProvider } from "react-i18next";
import {
  isRouteErrorResponse,
  Link,
  Links,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
  useRouteLoaderData,
} from "react-router";
import { useNonce } from "#app/components/nonce.tsx";
import { Notice } from "#app/components/notice.tsx";
import { SiteFooter, SiteHeader } from "#app/components/site-chrome.tsx";
import { actorContext, actorMiddleware } from "#app/modules/accounts/context.server.ts";
import { listMyOrganisations } from "#app/modules/accounts/members.server.ts";
import { navigationFor } from "#app/modules/accounts/navigation.ts";
import { i18nContext, i18nMiddleware } from "#app/modules/i18n/context.server.ts";
import { DEFAULT_LANGUAGE, directionOf, i18nFor } from "#app/modules/i18n/i18n.ts";
import { useTranslation } from "#app/modules/i18n/use-translation.ts";
import { unreadCount } from "#app/modules/notifications/my-notifications.server.ts";
import { requestContext, servicesContext } from "#app/server/context.ts";
import type { Route } from "./+types/root";

export const middleware: Route.MiddlewareFunction[] = [i18nMiddleware, actorMiddleware];

export async function loader({ context }: Route.LoaderArgs) {
  const { lang } = context.get(i18nContext);
  const { actor } = context.get(actorContext);
  const db = context.get(servicesContext).database.db;
  const [organisations, unread] =
    actor.type === "user"
      ? await Promise.all([listMyOrganisations(actor.userId, db), unreadCount(actor.userId, db)])
      : [[], 0];
  return {
    lang,
    requestId: context.get(requestContext).requestId,
    signedIn: actor.type === "user",
    displayName: actor.type === "user" ? actor.displayName : null,
    nav: navigationFor(actor),
    organisations,
    activeOrganisationId: actor.type === "user" ? (actor.membership?.organisationId ?? null) : null,
    unread,
  };
}

export function Layout({ children }: { children: React.ReactNode }) {
  const data = useRouteLoaderData<typeof loader>("root");
  const lang = data?.lang ?? DEFAULT_LANGUAGE;
  const i18n = i18nFor(lang);
  const nonce = useNonce();
  return (
    <html lang={lang} dir={directionOf(lang)}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="color-scheme" content="light" />
        <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
        <Meta />
        <Links />
      </head>
      <body>
        <I18nextProvider i18n={i18n}>{children}</I18nextProvider>
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

export default function App({ loaderData }: Route.ComponentProps) {
  return (
    <>
      <SiteHeader
        nav={loaderData.nav}
        signedIn={loaderData.signedIn}
        displayName={loaderData.displayName}
        organisations={loaderData.organisations}
        activeOrganisationId={loaderData.activeOrganisationId}
        unread={loaderData.unread}
      />
      <main id="main" className="page" tabIndex={-1}>
        <Notice />
        <Outlet />
      </main>
      <SiteFooter />
    </>
  );
}

/** Translated pages for what went wrong: not found, not allowed, or our fault. */
function errorTexts(error: unknown): { title: string; body: string; ours: boolean } {
  const status = isRouteErrorResponse(error) ? error.status : 500;
  if (status === 404)
    return { title: "errorPage.notFoundTitle", body: "errorPage.notFoundBody", ours: false };
  if (status === 403 || status === 401)
    return { title: "errorPage.forbiddenTitle", body: "errors.FORBIDDEN", ours: false };
  if (status < 500) return { title: "errorPage.badRequestTitle", body: "errors.VALIDATION", ours: false };
  return { title: "errorPage.serverTitle", body: "errorPage.serverBody", ours: true };
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  const { t } = useTranslation();
  const data = useRouteLoaderData<typeof loader>("root");
  const texts = errorTexts(error);
  if (texts.ours) console.error(error);
  return (
    <>
      <SiteHeader
        nav={data?.nav ?? []}
        signedIn={data?.signedIn ?? false}
        displayName={data?.displayName ?? null}
      />
      <main id="main" className="page" tabIndex={-1}>
        <title>{`${t(texts.title)} – ${t("meta.siteName")}`}</title>
        <div className="prose">
          <h1>{t(texts.title)}</h1>
          <p>{t(texts.body)}</p>
          {texts.ours && data?.requestId ? (
            <p className="hint">{t("errorPage.reference", { id: data.requestId })}</p>
          ) : null}
          <p>
            <Link to="/">{t("errorPage.backHome")}</Link>
          </p>
        </div>
      </main>
      <SiteFooter />
    </>
  );
}
