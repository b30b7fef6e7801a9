import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { expect, inject, test } from "vitest";
import { testDatabase } from "#tests/setup/db.ts";
import { connectDatabase } from "./client.server.ts";
import { migrateDatabase } from "./migrate.server.ts";

test("several instances migrating one new database at once all succeed, and migrate it once", async () => {
  const admin = postgres(inject("adminUrl"), { max: 1, onnotice: () => {} });
  const name = `shafaf_test_${inject("runId")}_migrate_${randomBytes(4).toString("hex")}`;
  await admin.unsafe(`drop database if exists "${name}" with (force)`);
  await admin.unsafe(`create database "${name}"`);
  const url = new URL(inject("adminUrl"));
  url.pathname = `/${name}`;
  const instances = [1, 2, 3].map(() => connectDatabase(url.toString(), { max: 2 }));
  try {
    await Promise.all(instances.map((d) => migrateDatabase(d)));
    const [row] = await instances[0]!.sql`select count(*)::int as n from drizzle.migrations`;
    const [journal] = await instances[0]!.sql`select count(*)::int as n from organisations`;
    expect(row?.n).toBeGreaterThan(0);
    expect(journal?.n).toBe(0);
    const applied = await instances[0]!.sql`select hash from drizzle.migrations`;
    expect(new Set(applied.map((r) => r.hash)).size).toBe(applied.length);
  } finally {
    await Promise.all(instances.map((d) => d.close()));
    await admin.unsafe(`drop database if exists "${name}" with (force)`);
    await admin.end();
  }
});

test("the database itself refuses malformed organisation rows", async () => {
  const { sql } = testDatabase();
  await expect(
    sql`insert into organisations (kind, slug, name_ar, name_en, country, currency, time_zone)
        values ('agency', 'bad', 'س', 'B', 'kw', 'KWD', 'Asia/Kuwait')`,
  ).rejects.toMatchObject({ code: "23514" });
});
