import { expect, test } from "vitest";
import { sampleProcess } from "#tests/support/ocds-process.ts";
import { instantOfShownTime, processEvents, tenderStateAt } from "./tender-process.ts";

test("the events of a process, oldest first; a document added to the draft is part of the publication", () => {
  const p = sampleProcess({ opened: true });
  expect(processEvents(p).map((e) => e.key)).toEqual([
    "tender",
    "document-d0c00000-0000-4000-8000-000000000002",
    "amendment-1",
    "enquiry-e0000000-0000-4000-8000-000000000001",
    "opening",
  ]);
  expect(processEvents(sampleProcess()).map((e) => e.key)).not.toContain("opening");
});

test("a time as amendments record it reads back as the instant", () => {
  expect(instantOfShownTime("2026-03-20 10:00 (Asia/Kuwait)", "UTC")?.toISOString()).toBe(
    "2026-03-20T07:00:00.000Z",
  );
  expect(instantOfShownTime("not a time", "Asia/Kuwait")).toBeNull();
});

test("the state at a moment undoes later amendments and leaves out what came after", () => {
  const p = sampleProcess({ opened: true });
  const atPublication = tenderStateAt(p, p.tender.publishedAt);
  expect(atPublication.fields.titleEn).toBe("Maintenance of roads");
  expect(atPublication.fields.titleAr).toBe(p.tender.titleAr);
  expect(atPublication.fields.submissionDeadline.toISOString()).toBe("2026-03-20T07:00:00.000Z");
  expect(atPublication.fields.openingAt.toISOString()).toBe("2026-03-20T08:00:00.000Z");
  expect(atPublication.amendments).toEqual([]);
  expect(atPublication.documents.map((d) => d.title)).toEqual(["Conditions"]);
  expect(atPublication.enquiries).toEqual([]);
  expect(atPublication.opening).toBeNull();

  const afterAmendment = tenderStateAt(p, p.amendments[0]!.createdAt);
  expect(afterAmendment.fields.titleEn).toBe("Maintenance of main roads");
  expect(afterAmendment.fields.submissionDeadline).toEqual(p.tender.submissionDeadline);
  expect(afterAmendment.amendments).toHaveLength(1);
  expect(afterAmendment.opening).toBeNull();

  const now = tenderStateAt(p, new Date("2030-01-01T00:00:00Z"));
  expect(now.opening?.tenderers).toHaveLength(2);
  expect(now.enquiries).toHaveLength(1);
});
