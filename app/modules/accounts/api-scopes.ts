/** What an API token may be allowed to do. Later issues add tender, bid and permit scopes. */
export const API_SCOPES = ["organisation:read", "members:read"] as const;
export type ApiScope = (typeof API_SCOPES)[number];
