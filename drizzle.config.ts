import { defineConfig } from "drizzle-kit";

// drizzle-kit only needs a URL for `db:studio` and introspection; `db:generate`
// works offline from the schema files. scripts/db-studio.ts sets the URL of the
// same database `npm start` uses (embedded by default).
export default defineConfig({
  dialect: "postgresql",
  schema: "./db/schema/index.ts",
  out: "./db/migrations",
  migrations: { prefix: "timestamp" },
  casing: "snake_case",
  dbCredentials: { url: process.env.DRIZZLE_DATABASE_URL ?? "postgres://localhost/shafaf" },
  strict: true,
  verbose: true,
});
