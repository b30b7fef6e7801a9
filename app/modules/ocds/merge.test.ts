import { expect, test } from "vitest";
import { compileReleases } from "./merge.ts";
import type { OcdsRelease } from "./ocds-types.ts";

const release = (date: string, body: Record<string, unknown>) =>
  ({ ocid: "ocds-x-1", id: `r-${date}`, date, tag: ["tender"], ...body }) as unknown as OcdsRelease;

test("latest value wins, objects merge field by field, arrays of identified objects merge by id", () => {
  const compiled = compileReleases([
    release("2026-01-02T00:00:00.000Z", {
      tender: { id: "T", title: "New", documents: [{ id: "b", title: "B" }], submissionMethod: ["written"] },
      parties: [{ id: "p2", name: "Two", roles: ["tenderer"] }],
    }),
    release("2026-01-01T00:00:00.000Z", {
      tender: {
        id: "T",
        title: "Old",
        description: "kept",
        documents: [{ id: "a", title: "A", format: "application/pdf" }],
        submissionMethod: ["electronicSubmission", "inPerson"],
        items: [
          {
            id: "i",
            additionalClassifications: [
              { scheme: "CPV", id: "1" },
              { scheme: "CPV", id: "2" },
            ],
          },
        ],
      },
      parties: [{ id: "p1", name: "One", roles: ["buyer"] }],
    }),
    release("2026-01-03T00:00:00.000Z", {
      tender: {
        id: "T",
        description: null,
        documents: [{ id: "a", title: "A2" }],
        items: [{ id: "i", additionalClassifications: [{ scheme: "CPV", id: "3" }] }],
      },
    }),
  ]);
  expect(compiled).toEqual({
    ocid: "ocds-x-1",
    id: "ocds-x-1-2026-01-03T00:00:00.000Z",
    date: "2026-01-03T00:00:00.000Z",
    tag: ["compiled"],
    tender: {
      id: "T",
      title: "New",
      documents: [
        { id: "a", title: "A2", format: "application/pdf" },
        { id: "b", title: "B" },
      ],
      submissionMethod: ["written"],
      items: [{ id: "i", additionalClassifications: [{ scheme: "CPV", id: "3" }] }],
    },
    parties: [
      { id: "p1", name: "One", roles: ["buyer"] },
      { id: "p2", name: "Two", roles: ["tenderer"] },
    ],
  });
});

test("no releases, no compiled release", () => {
  expect(() => compileReleases([])).toThrow();
});
