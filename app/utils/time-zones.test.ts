import { describe, expect, test } from "vitest";
import { formatInZone, instantToZoned, zonedToInstant } from "./time-zones.ts";

describe("time zones", () => {
  test("a wall-clock deadline in the agency's zone is the right instant, and back", () => {
    expect(zonedToInstant("2026-12-01T10:00", "Asia/Kuwait")?.toISOString()).toBe("2026-12-01T07:00:00.000Z");
    expect(zonedToInstant("2026-12-01T10:00", "Asia/Riyadh")?.toISOString()).toBe("2026-12-01T07:00:00.000Z");
    expect(zonedToInstant("2026-12-01T10:00", "Asia/Dubai")?.toISOString()).toBe("2026-12-01T06:00:00.000Z");
    expect(instantToZoned(new Date("2026-12-01T07:00:00Z"), "Asia/Kuwait")).toBe("2026-12-01T10:00");
    expect(formatInZone(new Date("2026-12-01T07:00:00Z"), "Asia/Kuwait")).toBe(
      "2026-12-01 10:00 (Asia/Kuwait)",
    );
  });

  test("across a daylight-saving change (Europe/London) the offset of that day is used", () => {
    expect(zonedToInstant("2026-07-01T12:00", "Europe/London")?.toISOString()).toBe(
      "2026-07-01T11:00:00.000Z",
    );
    expect(zonedToInstant("2026-01-15T12:00", "Europe/London")?.toISOString()).toBe(
      "2026-01-15T12:00:00.000Z",
    );
  });

  test("malformed or impossible times are refused", () => {
    for (const bad of ["", "2026-12-01", "2026-02-30T10:00", "2026-12-01T24:00", "2026-12-01 10:00"])
      expect(zonedToInstant(bad, "Asia/Kuwait")).toBeNull();
  });
});
