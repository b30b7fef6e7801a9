import { describe, expect, test } from "vitest";
import { awardedProcess, SAMPLE_IDS } from "#tests/support/ocds-process.ts";
import { recordPackageProblems, releasePackageProblems } from "#tests/support/ocds-schema.ts";
import { contractAmendmentDescription, dayBoundary } from "./contract-section.ts";
import type { OcdsRelease } from "./ocds-types.ts";
import { recordPackage, releasePackage } from "./packages.ts";
import type { TenderProcess } from "./tender-process.ts";
import { buildReleases } from "./tender-releases.ts";

const ctx = { prefix: "ocds-shafaf", baseUrl: "https://shafaf.example.gov" };
const ocid = "ocds-shafaf-7d6f4f9e-2a8c-4f5b-9a51-0c8e7c1b2a10";
const now = new Date("2026-06-01T00:00:00Z");
const { award, contract, milestone1, milestone2, milestone3, payment, winner, loser } = SAMPLE_IDS;

function valid(p: TenderProcess): OcdsRelease[] {
  const releases = buildReleases(p, ctx);
  const pkg = releasePackage({ releases, query: { limit: 100, cursor: null }, next: null, now }, ctx);
  expect(releasePackageProblems(pkg)).toEqual([]);
  expect(recordPackageProblems(recordPackage({ ocid, releases, now }, ctx))).toEqual([]);
  return releases;
}

const byKey = (releases: OcdsRelease[], key: string) => releases.find((r) => r.id === `${ocid}-${key}`)!;

describe("awards, contracts and implementation of a sample process", () => {
  const p = awardedProcess();
  const releases = valid(p);

  test("one release per event, tagged by kind, oldest first, with stable unique ids", () => {
    expect(releases.slice(5).map((r) => [r.id.slice(ocid.length + 1), r.tag])).toEqual([
      [`award-${award}`, ["award"]],
      [`award-${award}-suspension-1`, ["awardUpdate"]],
      [`award-${award}-reinstatement-1`, ["awardUpdate"]],
      [`contract-${contract}`, ["contract"]],
      [`contract-${contract}-amendment-3`, ["contractAmendment"]],
      [`milestone-${milestone1}-delivery`, ["implementation"]],
      [`payment-${payment}`, ["implementation"]],
    ]);
    expect(new Set(releases.map((r) => r.id)).size).toBe(releases.length);
    expect(buildReleases(awardedProcess(), ctx)).toEqual(releases);
  });

  test("the award release: the winner's price, the supplier a party, the lot related", () => {
    const r = byKey(releases, `award-${award}`);
    expect(r.date).toBe("2026-04-10T09:00:00.000Z");
    expect(r.awards).toEqual([
      {
        id: award,
        title: "Lot 1: Main roads",
        title_ar: "المجموعة 1: الطرق الرئيسية",
        description: "Award notice published.",
        status: "active",
        date: "2026-04-10T09:00:00.000Z",
        value: { amount: 231450.75, currency: "KWD" },
        suppliers: [{ id: winner, name: "Al Noor Contracting" }],
        documents: [expect.objectContaining({ id: "award-notice", documentType: "awardNotice" })],
        relatedLots: [p.lots[0]!.id],
      },
    ]);
    expect(r.parties.find((x) => x.id === winner)!.roles).toEqual(["tenderer", "supplier"]);
    expect(r.parties.find((x) => x.id === loser)!.roles).toEqual(["tenderer"]);
    expect(r.contracts).toBeUndefined();
    // Releases before the notice have no awards at all.
    for (const earlier of releases.slice(0, 5)) expect(earlier.awards).toBeUndefined();
  });

  test("a suspension is pending, a reinstatement active again, in words that say nothing of the complaint", () => {
    const suspended = byKey(releases, `award-${award}-suspension-1`).awards![0]!;
    expect(suspended).toMatchObject({
      status: "pending",
      description: "Suspended while a complaint about the award is reviewed.",
    });
    const reinstated = byKey(releases, `award-${award}-reinstatement-1`).awards![0]!;
    expect(reinstated).toMatchObject({ status: "active", description: expect.stringMatching(/^Reinstated/) });
    // The award's own date stays the decision's.
    expect(reinstated.date).toBe("2026-04-10T09:00:00.000Z");
  });

  test("the contract release: the terms as signed, milestones scheduled, dates in the agency's zone", () => {
    const c = byKey(releases, `contract-${contract}`).contracts![0]!;
    expect(c).toMatchObject({
      id: contract,
      awardID: award,
      title: "MOPW-2026-0001-C1: Main roads",
      status: "active",
      dateSigned: "2026-04-25T08:00:00.000Z",
      value: { amount: 231450.75, currency: "KWD" },
      // Kuwait is UTC+3: the first day begins at 21:00 UTC the day before.
      period: { startDate: "2026-04-30T21:00:00.000Z", endDate: "2026-12-31T20:59:59.999Z" },
    });
    expect(c.milestones.map((m) => [m.id, m.status, m.dueDate])).toEqual([
      [milestone1, "scheduled", "2026-06-30T20:59:59.999Z"],
      [milestone2, "scheduled", "2026-12-31T20:59:59.999Z"],
    ]);
    expect(c.amendments).toBeUndefined();
    expect(c.implementation).toBeUndefined();
  });

  test("the contract amendment: terms after, and the amendment with its reason and what changed", () => {
    const r = byKey(releases, `contract-${contract}-amendment-3`);
    const c = r.contracts![0]!;
    expect(c.value).toEqual({ amount: 241450.75, currency: "KWD" });
    expect(c.period.endDate).toBe("2027-01-31T20:59:59.999Z");
    expect(c.milestones.map((m) => m.id)).toEqual([milestone1, milestone2, milestone3]);
    expect(c.amendments).toEqual([
      {
        id: "3",
        date: "2026-05-10T07:00:00.000Z",
        rationale: "A third stage for the side roads, agreed with the supplier.",
        description:
          "Value changed from 231450.750 KWD to 241450.750 KWD; Period changed from 2026-05-01 – 2026-12-31 to 2026-05-01 – 2027-01-31; Milestones changed from 2 to 3.",
        amendsReleaseID: `${ocid}-contract-${contract}`,
        releaseID: r.id,
      },
    ]);
  });

  test("implementation: a delivery meets its milestone, a payment is a transaction from the agency to the supplier", () => {
    const delivered = byKey(releases, `milestone-${milestone1}-delivery`).contracts![0]!;
    expect(delivered.milestones[0]).toMatchObject({ status: "met", dateMet: "2026-05-20T12:00:00.000Z" });
    expect(delivered.milestones[1]!.status).toBe("scheduled");
    expect(delivered.implementation).toBeUndefined();

    const paid = byKey(releases, `payment-${payment}`);
    expect(paid.contracts![0]!.implementation).toEqual({
      transactions: [
        {
          id: payment,
          date: "2026-05-25T06:30:00.000Z",
          value: { amount: 100000, currency: "KWD" },
          payer: { id: p.buyer.id, name: "Ministry of Public Works" },
          payee: { id: winner, name: "Al Noor Contracting" },
        },
      ],
    });
    expect(paid.parties[0]!.roles).toEqual(["buyer", "procuringEntity", "payer"]);
    expect(paid.parties.find((x) => x.id === winner)!.roles).toEqual(["tenderer", "supplier", "payee"]);
  });

  test("the compiled release is the process now, and no bids section is ever emitted", () => {
    const { compiledRelease } = recordPackage({ ocid, releases, now }, ctx).records[0]!;
    expect(compiledRelease.awards![0]!.status).toBe("active");
    expect(compiledRelease.contracts![0]!.value.amount).toBe(241450.75);
    expect(compiledRelease.contracts![0]!.milestones[0]!.status).toBe("met");
    expect(compiledRelease.contracts![0]!.implementation!.transactions).toHaveLength(1);
    for (const r of [...releases, compiledRelease]) expect(r).not.toHaveProperty("bids");
  });

  test("releases never change: the award release is the same before the complaint and the contract existed", () => {
    const early = awardedProcess();
    early.awards[0]!.suspensions = [];
    early.contracts = [];
    expect(byKey(buildReleases(early, ctx), `award-${award}`)).toEqual(byKey(releases, `award-${award}`));
    const unpaid = awardedProcess();
    unpaid.contracts[0]!.payments = [];
    expect(byKey(buildReleases(unpaid, ctx), `contract-${contract}-amendment-3`)).toEqual(
      byKey(releases, `contract-${contract}-amendment-3`),
    );
  });
});

describe("cancellations", () => {
  test("a tender cancelled: tenderCancellation with the reason, its lots and awards cancelled", () => {
    const p = awardedProcess();
    const at = new Date("2026-04-13T08:00:00.000Z");
    p.contracts = [];
    p.cancellation = { at, reason: "The budget for the works was withdrawn." };
    p.awards[0]!.suspensions = [
      { number: 1, startedAt: p.awards[0]!.suspensions[0]!.startedAt, reinstatedAt: null },
    ];
    p.awards[0]!.cancelledAt = at;
    const releases = valid(p);
    expect(releases.slice(-3).map((r) => r.tag[0])).toEqual([
      "awardUpdate",
      "tenderCancellation",
      "awardCancellation",
    ]);
    const cancelled = byKey(releases, "cancellation");
    expect(cancelled.tender.status).toBe("cancelled");
    expect(cancelled.tender.lots!.map((l) => l.status)).toEqual(["cancelled"]);
    expect(cancelled.tender.documents.at(-1)).toMatchObject({
      id: "cancellation",
      documentType: "cancellationDetails",
      description: "The budget for the works was withdrawn.",
      datePublished: at.toISOString(),
    });
    expect(cancelled.awards![0]).toMatchObject({
      status: "cancelled",
      description: "Cancelled with the tender.",
    });
    expect(byKey(releases, `award-${award}-cancellation`).awards![0]!.status).toBe("cancelled");
    // Before the cancellation the tender was active.
    expect(byKey(releases, `award-${award}-suspension-1`).tender.status).toBe("active");
  });

  test("a lot cancelled: a tender update with that lot cancelled and the others active", () => {
    const p = awardedProcess();
    p.awards = [];
    p.contracts = [];
    const second = {
      ...p.lots[0]!,
      id: "5a1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4e",
      number: 2,
      titleEn: "Side roads",
      titleAr: "الطرق الفرعية",
      items: [],
      cancellation: {
        at: new Date("2026-03-28T09:00:00.000Z"),
        reason: "The side roads are now in the municipality's plan.",
      },
    };
    p.lots.push(second);
    const releases = valid(p);
    const r = byKey(releases, `lot-${second.id}-cancellation`);
    expect(r.tag).toEqual(["tenderUpdate"]);
    expect(r.tender.status).toBe("active");
    expect(r.tender.lots!.map((l) => [l.id, l.status])).toEqual([
      [p.lots[0]!.id, "active"],
      [second.id, "cancelled"],
    ]);
    expect(r.tender.documents.at(-1)).toMatchObject({
      documentType: "cancellationDetails",
      description: "The side roads are now in the municipality's plan.",
      relatedLots: [second.id],
    });
    expect(byKey(releases, "opening").tender.lots![1]!.status).toBe("active");
  });

  test("an award sent back after a review: cancelled at the decision, never reinstated, the reason not told", () => {
    const p = awardedProcess();
    p.contracts = [];
    const decided = new Date("2026-04-15T11:00:00.000Z");
    p.awards[0]!.suspensions = [
      { number: 1, startedAt: p.awards[0]!.suspensions[0]!.startedAt, reinstatedAt: null },
    ];
    p.awards[0]!.cancelledAt = decided;
    const releases = valid(p);
    expect(releases.slice(-2).map((r) => r.tag[0])).toEqual(["awardUpdate", "awardCancellation"]);
    expect(releases.at(-1)!.awards![0]).toMatchObject({
      status: "cancelled",
      description: "Cancelled after a review of the award; the lot may be awarded again.",
    });
  });
});

test("amendment descriptions and day boundaries", () => {
  const terms = {
    value: "1000",
    currency: "SAR",
    startsOn: "2026-01-01",
    endsOn: "2026-02-01",
    milestones: [],
  };
  expect(contractAmendmentDescription(terms, { ...terms })).toBe("Terms restated without a change.");
  expect(contractAmendmentDescription(terms, { ...terms, value: "1500" })).toBe(
    "Value changed from 10.00 SAR to 15.00 SAR.",
  );
  expect(dayBoundary("2026-02-28", "Asia/Riyadh", "end")).toBe("2026-02-28T20:59:59.999Z");
  expect(dayBoundary("2026-03-01", "UTC", "start")).toBe("2026-03-01T00:00:00.000Z");
});
