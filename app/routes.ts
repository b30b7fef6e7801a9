import { index, type RouteConfig, route } from "@react-router/dev/routes";

/** The explicit route map: every URL the app answers, in one place. */
export default [
  index("routes/home.tsx"),
  route("agencies", "routes/agencies.tsx"),
  route("language", "routes/language.tsx"),
  route("login", "routes/login.tsx"),
  route("logout", "routes/logout.tsx"),
  route("account/sessions", "routes/account.sessions.tsx"),
  route("*", "routes/not-found.tsx"),
] satisfies RouteConfig;
