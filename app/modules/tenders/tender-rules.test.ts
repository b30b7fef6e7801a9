import fc from "fast-check";
import { describe, expect, test } from "vitest";
import type { TenderCriterion } from "#db/schema/tender-kinds.ts";
import {
  agencyCode,
  criteriaProblem,
  phaseWithAwards,
  scheduleProblem,
  tenderPhase,
  tenderReference,
} from "./tender-rules.ts";

const c = (key: string, kind: TenderCriterion["kind"], weight: number): TenderCriterion => ({
  key,
  nameAr: key,
  nameEn: key,
  kind,
  weight,
});

describe("tender rules", () => {
  test("references come from the agency's code, the year and a number", () => {
    expect(agencyCode("ministry-of-public-works")).toBe("MOPW");
    expect(tenderReference("MOPW", 2026, 7)).toBe("MOPW-2026-0007");
  });

  test("criteria: pass/fail unweighted, the rest whole numbers adding up to exactly 100, with a financial one", () => {
    expect(
      criteriaProblem([c("docs", "pass_fail", 0), c("tech", "technical", 70), c("price", "financial", 30)]),
    ).toBeNull();
    expect(criteriaProblem([])).toBe("empty");
    expect(criteriaProblem([c("tech", "technical", 70), c("price", "financial", 20)])).toBe(
      "weights_not_100",
    );
    expect(criteriaProblem([c("docs", "pass_fail", 5), c("price", "financial", 100)])).toBe(
      "pass_fail_weighted",
    );
    expect(criteriaProblem([c("tech", "technical", 100)])).toBe("no_financial");
    expect(criteriaProblem([c("a", "technical", 50), c("a", "financial", 50)])).toBe("duplicate_key");
    expect(criteriaProblem([c("t", "technical", 49.5), c("p", "financial", 50.5)])).toBe("bad_weight");
  });

  test("property: any split of 100 into weighted criteria with a financial one is accepted", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 99 }), { minLength: 0, maxLength: 6 }), (cuts) => {
        const points = [...new Set(cuts)].sort((a, b) => a - b);
        const bounds = [0, ...points, 100];
        const criteria = bounds
          .slice(1)
          .map((b, i) => c(`k${i}`, i === 0 ? "financial" : "technical", b - bounds[i]!));
        expect(criteriaProblem(criteria)).toBeNull();
      }),
    );
  });

  test("schedule and phase follow the clock", () => {
    const now = new Date("2026-11-25T10:00:00Z");
    const at = (iso: string) => new Date(iso);
    const good = {
      enquiryDeadline: at("2026-12-01T09:00Z"),
      submissionDeadline: at("2026-12-10T09:00Z"),
      openingAt: at("2026-12-10T10:00Z"),
    };
    expect(scheduleProblem(good, now)).toBeNull();
    expect(scheduleProblem({ ...good, enquiryDeadline: at("2026-12-11T09:00Z") }, now)).toBe(
      "enquiry_after_submission",
    );
    expect(scheduleProblem({ ...good, openingAt: at("2026-12-09T09:00Z") }, now)).toBe(
      "opening_before_submission",
    );
    expect(scheduleProblem({ ...good, enquiryDeadline: at("2026-11-20T09:00Z") }, now)).toBe(
      "submission_in_past",
    );
    expect(scheduleProblem({ ...good, openingAt: null }, now)).toBe("missing");
    const published = { status: "published" as const, submissionDeadline: at("2026-12-10T09:00Z") };
    expect(tenderPhase(published, now)).toBe("open");
    expect(tenderPhase(published, at("2026-12-09T10:00Z"))).toBe("closing_soon");
    expect(tenderPhase(published, at("2026-12-10T09:00Z"))).toBe("closed");
    expect(tenderPhase({ ...published, status: "draft" }, now)).toBe("draft");
  });
});

describe("the public phase once awards are published", () => {
  test("awarded when every standing lot has an award in force, partly when some have, else as it was", () => {
    expect(phaseWithAwards("opened", { standing: 2, awarded: 2 })).toBe("awarded");
    expect(phaseWithAwards("opened", { standing: 2, awarded: 1 })).toBe("partly_awarded");
    expect(phaseWithAwards("opened", { standing: 2, awarded: 0 })).toBe("opened");
    // A cancelled lot no longer stands: the one left, awarded, makes the tender awarded.
    expect(phaseWithAwards("opened", { standing: 1, awarded: 1 })).toBe("awarded");
    // Only an opened tender can be awarded; a cancelled one stays cancelled.
    expect(phaseWithAwards("cancelled", { standing: 0, awarded: 1 })).toBe("cancelled");
    expect(phaseWithAwards("open", { standing: 1, awarded: 1 })).toBe("open");
  });
});
