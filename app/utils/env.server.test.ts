import { describe, expect, test } from "vitest";
import { EnvError, parseEnv } from "./env.server.ts";

function problemsOf(source: Record<string, string>): string[] {
  try {
    parseEnv(source);
  } catch (e) {
    if (e instanceof EnvError) return e.problems;
    throw e;
  }
  throw new Error("expected the configuration to be refused");
}

describe("configuration", () => {
  test("defaults serve on port 3000 with the embedded database", () => {
    const env = parseEnv({}, "/srv/shafaf");
    expect(env.PORT).toBe(3000);
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env.dataDir).toBe("/srv/shafaf/.data");
    expect(env.secureCookies).toBe(false);
  });

  test("OCDS_PREFIX defaults to ocds-shafaf and takes letters, digits and hyphens only", () => {
    expect(parseEnv({}).OCDS_PREFIX).toBe("ocds-shafaf");
    expect(parseEnv({ OCDS_PREFIX: "ocds-a1b2c3" }).OCDS_PREFIX).toBe("ocds-a1b2c3");
    expect(problemsOf({ OCDS_PREFIX: "ocds#x" })[0]).toMatch(
      /^OCDS_PREFIX must be letters, digits and hyphens/,
    );
    expect(problemsOf({ OCDS_PREFIX: "ocds-" })[0]).toMatch(/^OCDS_PREFIX /);
  });

  test("a port that is not a number is named, with what was given", () => {
    expect(problemsOf({ PORT: "abc" })).toEqual(['PORT must be a whole number from 1 to 65535 (got "abc")']);
    expect(problemsOf({ PORT: "70000" })[0]).toMatch(/^PORT must be a whole number/);
  });

  test("a malformed DATABASE_URL is refused without echoing it", () => {
    const [problem] = problemsOf({ DATABASE_URL: "not a url" });
    expect(problem).toMatch(/^DATABASE_URL must be a URL like postgres:\/\//);
    expect(problemsOf({ DATABASE_URL: "mysql://u:p@h/db" })[0]).toMatch(/^DATABASE_URL/);
  });

  test("every bad variable is reported at once", () => {
    const problems = problemsOf({ PORT: "x", LOG_LEVEL: "loud", JOBS_ENABLED: "maybe" });
    expect(problems.map((p) => p.split(" ")[0]).sort()).toEqual(["JOBS_ENABLED", "LOG_LEVEL", "PORT"]);
  });

  test("S3 storage needs its bucket and credentials, and secrets are never echoed", () => {
    const problems = problemsOf({ FILE_STORE: "s3", S3_SECRET_ACCESS_KEY: "" });
    expect(problems).toContain("S3_BUCKET is required when FILE_STORE=s3");
    expect(problems).toContain("S3_SECRET_ACCESS_KEY is required when FILE_STORE=s3");
  });

  test("an https PUBLIC_URL turns on Secure cookies", () => {
    expect(parseEnv({ PUBLIC_URL: "https://shafaf.example.gov" }).secureCookies).toBe(true);
  });

  test("a well-formed external database is accepted", () => {
    expect(parseEnv({ DATABASE_URL: "postgres://app:pw@db.internal:5432/shafaf" }).DATABASE_URL).toBe(
      "postgres://app:pw@db.internal:5432/shafaf",
    );
  });
});
