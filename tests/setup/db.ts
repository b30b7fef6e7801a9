// What a test imports to reach its database.
export { testDatabase, testDatabaseUrl } from "./worker-database.ts";
