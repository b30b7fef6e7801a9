import { describe, expect, test } from "vitest";
import { MIN_DECISION_LENGTH, MIN_GROUNDS_LENGTH } from "#db/schema/complaint-kinds.ts";
import { decisionTextOf, effectsOf, groundsOf, outcomeOf, resumedStandstillEnd } from "./complaint-rules.ts";

describe("complaint rules", () => {
  test("grounds are trimmed and must say enough; Arabic counts by characters", () => {
    expect(() => groundsOf("  too short  ")).toThrow(
      expect.objectContaining({ code: "COMPLAINT_GROUNDS_TOO_SHORT", status: 400, field: "grounds" }),
    );
    expect(() => groundsOf(undefined)).toThrow(
      expect.objectContaining({ code: "COMPLAINT_GROUNDS_TOO_SHORT" }),
    );
    const arabic = "ع".repeat(MIN_GROUNDS_LENGTH);
    expect(groundsOf(`  ${arabic}  `)).toBe(arabic);
    expect(() => groundsOf("x".repeat(20_001))).toThrow(expect.objectContaining({ code: "VALIDATION" }));
  });

  test("a decision is written and names one of the four outcomes", () => {
    expect(() => decisionTextOf("No.")).toThrow(
      expect.objectContaining({ code: "COMPLAINT_DECISION_REQUIRED", field: "decision" }),
    );
    expect(decisionTextOf(` ${"d".repeat(MIN_DECISION_LENGTH)} `)).toBe("d".repeat(MIN_DECISION_LENGTH));
    expect(outcomeOf("declined")).toBe("declined");
    expect(() => outcomeOf("approved")).toThrow(
      expect.objectContaining({ code: "VALIDATION", field: "outcome" }),
    );
  });

  test("only an upheld complaint refunds its fee, and only an upheld one may send the lot back", () => {
    expect(effectsOf("upheld", true)).toEqual({ refundFee: true, cancelAward: true });
    expect(effectsOf("upheld", false)).toEqual({ refundFee: true, cancelAward: false });
    for (const outcome of ["rejected", "resolved", "declined"] as const) {
      expect(effectsOf(outcome, false)).toEqual({ refundFee: false, cancelAward: false });
      expect(() => effectsOf(outcome, true)).toThrow(expect.objectContaining({ code: "VALIDATION" }));
    }
  });

  test("a resumed standstill ends later by exactly the time suspended", () => {
    const end = new Date("2026-03-10T12:00:00Z");
    const suspended = new Date("2026-03-05T08:00:00Z");
    const resumed = new Date("2026-03-07T09:30:00Z");
    expect(resumedStandstillEnd(end, suspended, resumed).toISOString()).toBe("2026-03-12T13:30:00.000Z");
    expect(resumedStandstillEnd(end, resumed, suspended)).toEqual(end);
  });
});
