import { index, type RouteConfig, route } from "@react-router/dev/routes";

/** The explicit route map: every URL the app answers, in one place. */
export default [
  index("routes/home.tsx"),
  route("agencies", "routes/agencies.tsx"),
  route("language", "routes/language.tsx"),
  route("login", "routes/login.tsx"),
  route("logout", "routes/logout.tsx"),
  route("signup", "routes/signup.tsx"),
  route("register", "routes/register.tsx"),
  route("verify-email/:token", "routes/verify-email.tsx"),
  route("forgot-password", "routes/forgot-password.tsx"),
  route("reset-password/:token", "routes/reset-password.tsx"),
  route("account/sessions", "routes/account.sessions.tsx"),
  route("account/password", "routes/account.password.tsx"),
  route("admin/outbox", "routes/admin.outbox.tsx"),
  route("admin/businesses", "routes/admin.businesses.tsx"),
  route("admin/businesses/:id", "routes/admin.businesses.$id.tsx"),
  route("files/:fileId", "routes/files.$fileId.tsx"),
  route("organisation/members", "routes/organisation.members.tsx"),
  route("invitations/:token", "routes/invitations.$token.tsx"),
  route("account/organisation", "routes/account.organisation.tsx"),
  route("organisation/tokens", "routes/organisation.tokens.tsx"),
  route("api/v1/organisation", "routes/api.v1.organisation.ts"),
  route("api/v1/members", "routes/api.v1.members.ts"),
  route("*", "routes/not-found.tsx"),
] satisfies RouteConfig;
