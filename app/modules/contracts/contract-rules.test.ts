import { describe, expect, test } from "vitest";
import {
  checkTerms,
  isCalendarDate,
  planAmendment,
  securityReleasable,
  type TermsForm,
} from "./contract-rules.ts";

const form = (over: Partial<TermsForm> = {}): TermsForm => ({
  startsOn: "2027-01-01",
  endsOn: "2027-12-31",
  milestones: [
    { titleAr: "التوريد", titleEn: "Delivery", dueOn: "2027-03-31", amount: "600.500" },
    { titleAr: "التركيب", titleEn: "Installation", dueOn: "2027-09-30", amount: "399.500" },
  ],
  ...over,
});

const code = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return { code: (e as { code: string }).code, field: (e as { field?: string }).field };
  }
  return null;
};

describe("contract terms", () => {
  test("milestones adding up exactly to the value, within the period, are accepted in minor units", () => {
    const terms = checkTerms(form(), 1_000_000n, "KWD");
    expect(terms.milestones.map((m) => [m.position, m.amount])).toEqual([
      [1, 600_500n],
      [2, 399_500n],
    ]);
    // Blank rows of a form are ignored.
    const blank = { titleAr: "", titleEn: "", dueOn: "", amount: "" };
    expect(
      checkTerms(form({ milestones: [...form().milestones, blank] }), 1_000_000n, "KWD").milestones,
    ).toHaveLength(2);
  });

  test("every wrong term is named with its field", () => {
    expect(code(() => checkTerms(form(), 1_000_001n, "KWD"))).toEqual({
      code: "MILESTONES_SUM_MISMATCH",
      field: "milestones",
    });
    expect(code(() => checkTerms(form({ endsOn: "2026-12-31" }), 1_000_000n, "KWD"))).toMatchObject({
      code: "CONTRACT_PERIOD_INVALID",
      field: "endsOn",
    });
    expect(code(() => checkTerms(form({ startsOn: "2027-02-30" }), 1_000_000n, "KWD"))).toMatchObject({
      code: "CONTRACT_PERIOD_INVALID",
      field: "startsOn",
    });
    const m = form().milestones;
    expect(
      code(() =>
        checkTerms(form({ milestones: [{ ...m[0]!, dueOn: "2028-01-01" }, m[1]!] }), 1_000_000n, "KWD"),
      ),
    ).toEqual({ code: "MILESTONE_DUE_INVALID", field: "milestones.0.dueOn" });
    expect(
      code(() =>
        checkTerms(form({ milestones: [m[0]!, { ...m[1]!, amount: "399.5001" }] }), 1_000_000n, "KWD"),
      ),
    ).toEqual({ code: "AMOUNT_INVALID", field: "milestones.1.amount" });
    expect(
      code(() => checkTerms(form({ milestones: [m[0]!, { ...m[1]!, titleAr: "  " }] }), 1_000_000n, "KWD")),
    ).toEqual({ code: "MILESTONE_TITLE_REQUIRED", field: "milestones.1.titleAr" });
    expect(code(() => checkTerms(form({ milestones: [] }), 1_000_000n, "KWD"))).toMatchObject({
      code: "MILESTONES_INVALID",
    });
    expect(isCalendarDate("2028-02-29")).toBe(true);
    expect(isCalendarDate("2027-02-29")).toBe(false);
  });
});

describe("amendments", () => {
  const current = {
    ...checkTerms(form(), 1_000_000n, "KWD"),
    milestones: checkTerms(form(), 1_000_000n, "KWD").milestones.map((m, i) => ({ ...m, id: `m${i + 1}` })),
  };
  const states = [
    { id: "m1", invoicedAmount: 600_500n, invoiceCount: 1, delivered: true },
    { id: "m2", invoicedAmount: 0n, invoiceCount: 0, delivered: false },
  ];
  const next = (milestones: TermsForm["milestones"], value: bigint) =>
    checkTerms(form({ milestones }), value, "KWD");
  const [m1, m2] = form().milestones.map((m, i) => ({ ...m, id: `m${i + 1}` }));

  test("a value raised with a new milestone; an untouched milestone removed", () => {
    const plan = planAmendment(
      current,
      next([m1!, { ...m2!, id: null, titleEn: "Installation and training", amount: "500" }], 1_100_500n),
      states,
    );
    expect(plan).toMatchObject({ valueDelta: 100_500n, remove: ["m2"] });
    expect(plan.add).toHaveLength(1);
    expect(plan.keep.map((m) => m.id)).toEqual(["m1"]);
  });

  test("never below what was invoiced, never removing what was delivered or invoiced, never nothing", () => {
    expect(
      code(() =>
        planAmendment(
          current,
          next(
            [
              { ...m1!, amount: "600" },
              { ...m2!, amount: "400" },
            ],
            1_000_000n,
          ),
          states,
        ),
      ),
    ).toEqual({ code: "MILESTONE_BELOW_INVOICED", field: "milestones.0.amount" });
    expect(
      code(() => planAmendment(current, next([{ ...m2!, amount: "1000" }], 1_000_000n), states)),
    ).toMatchObject({ code: "MILESTONE_IN_USE" });
    expect(code(() => planAmendment(current, next([m1!, m2!], 1_000_000n), states))).toMatchObject({
      code: "NOTHING_CHANGED",
    });
    expect(
      code(() => planAmendment(current, next([m1!, { ...m2!, id: "elsewhere" }], 1_000_000n), states)),
    ).toMatchObject({ code: "VALIDATION" });
  });
});

describe("bid securities", () => {
  const outcome = (lotId: string, bidId: string, final: boolean, signed = false) => ({
    lotId,
    bidId,
    final,
    signed,
  });

  test("a loser's goes back when the award is final; the winner's at the signature", () => {
    const loser = { bidId: "b2", lotIds: ["L1"] };
    const winner = { bidId: "b1", lotIds: ["L1"] };
    const none = new Set<string>();
    expect(securityReleasable(loser, [outcome("L1", "b1", false)], none)).toBe(false);
    expect(securityReleasable(loser, [outcome("L1", "b1", true)], none)).toBe(true);
    expect(securityReleasable(winner, [outcome("L1", "b1", true)], none)).toBe(false);
    expect(securityReleasable(winner, [outcome("L1", "b1", true, true)], none)).toBe(true);
    expect(securityReleasable(loser, [], none)).toBe(false);
  });

  test("with several lots: only when every lot it priced is settled (or cancelled)", () => {
    const bid = { bidId: "b2", lotIds: ["L1", "L2"] };
    expect(securityReleasable(bid, [outcome("L1", "b1", true)], new Set())).toBe(false);
    expect(securityReleasable(bid, [outcome("L1", "b1", true)], new Set(["L2"]))).toBe(true);
    expect(securityReleasable(bid, [outcome("L1", "b1", true), outcome("L2", "b2", true)], new Set())).toBe(
      false,
    );
    expect(
      securityReleasable(bid, [outcome("L1", "b1", true), outcome("L2", "b2", true, true)], new Set()),
    ).toBe(true);
  });
});
