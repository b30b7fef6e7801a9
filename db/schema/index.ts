export * from "./accounts.ts";
export * from "./api-tokens.ts";
export * from "./email.ts";
export * from "./files.ts";
export * from "./invitations.ts";
export * from "./organisation-documents.ts";
export * from "./organisations.ts";
export * from "./platform.ts";
