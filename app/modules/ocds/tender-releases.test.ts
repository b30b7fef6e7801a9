import { describe, expect, test } from "vitest";
import { sampleProcess } from "#tests/support/ocds-process.ts";
import { recordPackageProblems, releasePackageProblems } from "#tests/support/ocds-schema.ts";
import { recordPackage, releasePackage } from "./packages.ts";
import { processEvents } from "./tender-process.ts";
import {
  amendmentDescription,
  buildRelease,
  buildReleases,
  buildTenderAmendmentRelease,
  buildTenderRelease,
} from "./tender-releases.ts";

const ctx = { prefix: "ocds-shafaf", baseUrl: "https://shafaf.example.gov" };
const ocid = "ocds-shafaf-7d6f4f9e-2a8c-4f5b-9a51-0c8e7c1b2a10";
const now = new Date("2026-04-01T00:00:00Z");

describe("tender releases of a sample process", () => {
  const opened = sampleProcess({ opened: true });
  const releases = buildReleases(opened, ctx);

  test("one release per event, tagged by kind, with stable unique ids", () => {
    expect(releases.map((r) => [r.id, r.tag])).toEqual([
      [`${ocid}-tender`, ["tender"]],
      [`${ocid}-document-d0c00000-0000-4000-8000-000000000002`, ["tenderUpdate"]],
      [`${ocid}-amendment-1`, ["tenderAmendment"]],
      [`${ocid}-enquiry-e0000000-0000-4000-8000-000000000001`, ["tenderUpdate"]],
      [`${ocid}-opening`, ["tenderUpdate"]],
    ]);
    expect(buildReleases(opened, ctx)).toEqual(releases);
    for (const r of releases) expect(r.ocid).toBe(ocid);
  });

  test("every release validates against the official schema and codelists", () => {
    const pkg = releasePackage({ releases, query: { limit: 100, cursor: null }, next: null, now }, ctx);
    expect(releasePackageProblems(pkg)).toEqual([]);
    const record = recordPackage({ ocid, releases, now }, ctx);
    expect(recordPackageProblems(record)).toEqual([]);
  });

  test("the tender release shows the tender as published, in both languages, with amounts in major units", () => {
    const r = buildTenderRelease(opened, ctx);
    expect(r.date).toBe("2026-03-01T06:00:00.123Z");
    expect(r.tender).toMatchObject({
      id: "MOPW-2026-0001",
      title: "Maintenance of roads",
      title_ar: "صيانة الطرق الرئيسية",
      status: "active",
      value: { amount: 250000, currency: "KWD" },
      procurementMethod: "open",
      mainProcurementCategory: "works",
      awardCriteria: "ratedCriteria",
      tenderPeriod: { startDate: "2026-03-01T06:00:00.123Z", endDate: "2026-03-20T07:00:00.000Z" },
      enquiryPeriod: { endDate: "2026-03-10T07:00:00.000Z" },
      hasEnquiries: false,
    });
    expect(r.tender.lots).toEqual([
      {
        id: opened.lots[0]!.id,
        title: "Main roads",
        title_ar: "الطرق الرئيسية",
        status: "active",
        value: { amount: 250000.5, currency: "KWD" },
      },
    ]);
    expect(r.tender.items[0]).toEqual({
      id: "11111111-2222-4333-8444-555555555555",
      description: "Surface course asphalt",
      description_ar: "سفلتة الطبقة السطحية",
      classification: { scheme: "CPV", id: "45233120-6", description: "Road construction works" },
      additionalClassifications: [{ scheme: "CPV", id: "45233141-9", description: "Road-maintenance works" }],
      quantity: 12500.5,
      unit: { scheme: "UNCEFACT", id: "MTK", name: "square metre", name_ar: "متر مربع" },
      relatedLot: opened.lots[0]!.id,
    });
    expect(r.tender.documents.map((d) => [d.id, d.documentType, d.url])).toEqual([
      ["tender-notice", "tenderNotice", `https://shafaf.example.gov/tenders/${opened.tender.id}`],
      [
        "d0c00000-0000-4000-8000-000000000001",
        "biddingDocuments",
        `https://shafaf.example.gov/tenders/${opened.tender.id}/documents/d0c00000-0000-4000-8000-000000000001`,
      ],
    ]);
    // Attached to the draft: public from the publication.
    expect(r.tender.documents[1]!.datePublished).toBe("2026-03-01T06:00:00.123Z");
    expect(r.tender.documents[1]!.description).toContain("a".repeat(64));
    expect(r.parties).toEqual([
      {
        id: opened.buyer.id,
        name: "Ministry of Public Works",
        name_ar: "وزارة الأشغال العامة",
        address: { countryName: "Kuwait" },
        roles: ["buyer", "procuringEntity"],
      },
    ]);
    expect(r.buyer).toEqual({ id: opened.buyer.id, name: "Ministry of Public Works" });
  });

  test("the amendment release lists the amendment and shows the amended tender", () => {
    const r = buildTenderAmendmentRelease(opened, 1, ctx);
    expect(r.tender.title).toBe("Maintenance of main roads");
    expect(r.tender.tenderPeriod.endDate).toBe("2026-03-25T07:00:00.000Z");
    expect(r.tender.amendments).toEqual([
      {
        id: "1",
        date: "2026-03-05T10:00:00.000Z",
        rationale: "Quantities of asphalt corrected.",
        description: amendmentDescription(opened.amendments[0]!),
        amendsReleaseID: `${ocid}-document-d0c00000-0000-4000-8000-000000000002`,
        releaseID: `${ocid}-amendment-1`,
      },
    ]);
    expect(r.tender.amendments![0]!.description).toContain(
      'Submission deadline changed from "2026-03-20 10:00 (Asia/Kuwait)" to "2026-03-25 10:00 (Asia/Kuwait)"',
    );
    expect(() => buildTenderAmendmentRelease(opened, 2, ctx)).toThrow();
  });

  test("the answered question appears as an enquiry, without who asked", () => {
    const r = releases.find((x) => x.id.includes("enquiry"))!;
    expect(r.tender.hasEnquiries).toBe(true);
    expect(r.tender.enquiries).toEqual([
      {
        id: "e0000000-0000-4000-8000-000000000001",
        date: "2026-03-04T08:00:00.000Z",
        description: "Does the contract include the side pavements?",
        answer: "No, the works cover the roads only.",
        dateAnswered: "2026-03-06T08:00:00.000Z",
      },
    ]);
  });

  test("the opening release names the tenderers and their number, and the opening milestone is met", () => {
    const r = releases.at(-1)!;
    expect(r.tender.numberOfTenderers).toBe(2);
    expect(r.tender.tenderers).toEqual([
      { id: "b0000000-0000-4000-8000-000000000001", name: "Al Noor Contracting" },
      { id: "b0000000-0000-4000-8000-000000000002", name: "Gulf Build" },
    ]);
    expect(r.parties.filter((p) => p.roles.includes("tenderer")).map((p) => p.name_ar)).toEqual([
      "النور للمقاولات",
      "الخليج للبناء",
    ]);
    expect(r.tender.milestones[0]).toMatchObject({ status: "met", dateMet: "2026-03-25T08:30:00.000Z" });
  });

  test("releases before the opening say nothing of bids, even when the opening is known", () => {
    for (const r of releases.slice(0, -1)) {
      expect(r.tender.numberOfTenderers).toBeUndefined();
      expect(r.tender.tenderers).toBeUndefined();
      expect(r.parties.flatMap((p) => p.roles)).not.toContain("tenderer");
      expect(JSON.stringify(r)).not.toMatch(/Al Noor|Gulf Build|b0000000-/);
      expect(r.tender.milestones[0]!.status).toBe("scheduled");
    }
  });

  test("the compiled release is the latest state, with every amendment, document and party", () => {
    const compiled = recordPackage({ ocid, releases, now }, ctx).records[0]!.compiledRelease;
    expect(compiled.tag).toEqual(["compiled"]);
    expect(compiled.date).toBe("2026-03-25T08:30:00.000Z");
    expect(compiled.id).toBe(`${ocid}-2026-03-25T08:30:00.000Z`);
    expect(compiled.tender.title).toBe("Maintenance of main roads");
    expect(compiled.tender.documents).toHaveLength(3);
    expect(compiled.tender.numberOfTenderers).toBe(2);
    expect(compiled.parties.map((p) => p.roles)).toEqual([
      ["buyer", "procuringEntity"],
      ["tenderer"],
      ["tenderer"],
    ]);
  });
});

test("a process not yet opened has no opening release", () => {
  const p = sampleProcess();
  const releases = processEvents(p).map((e) => buildRelease(p, e, ctx));
  expect(releases.map((r) => r.id)).not.toContain(`${ocid}-opening`);
  expect(JSON.stringify(releases)).not.toContain("tenderer");
});

test("price-only criteria, a restricted tender and no estimate", () => {
  const p = sampleProcess();
  p.tender.method = "restricted";
  p.tender.estimatedValue = null;
  p.tender.criteria = [{ key: "c", nameAr: "السعر", nameEn: "Price", kind: "financial", weight: 100 }];
  const r = buildTenderRelease(p, ctx);
  expect(r.tender.procurementMethod).toBe("selective");
  expect(r.tender.awardCriteria).toBe("priceOnly");
  expect(r.tender.value).toBeUndefined();
  expect(
    releasePackageProblems(
      releasePackage({ releases: [r], query: { limit: 100, cursor: null }, next: null, now }, ctx),
    ),
  ).toEqual([]);
});
