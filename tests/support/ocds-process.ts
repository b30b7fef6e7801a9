import type { TenderProcess } from "#app/modules/ocds/tender-process.ts";

/**
 * A tender process as loadTenderProcesses returns it, for the pure OCDS
 * builders' tests: a KWD works tender (three decimals) with one lot of two
 * items, a draft document and a later one, an amendment that moved the
 * deadline, an answered question and (optionally) a confirmed opening.
 */
export function sampleProcess(overrides: { opened?: boolean } = {}): TenderProcess {
  const at = (iso: string) => new Date(iso);
  return {
    tender: {
      id: "7d6f4f9e-2a8c-4f5b-9a51-0c8e7c1b2a10",
      reference: "MOPW-2026-0001",
      titleAr: "صيانة الطرق الرئيسية",
      titleEn: "Maintenance of main roads",
      descriptionAr: "صيانة وإعادة سفلتة الطرق.",
      descriptionEn: "Maintenance and resurfacing of roads.",
      method: "open",
      category: "works",
      cpv: [
        { code: "45233120-6", label: "Road construction works" },
        { code: "45233141-9", label: "Road-maintenance works" },
      ],
      currency: "KWD",
      estimatedValue: 250_000_000n,
      criteria: [
        {
          key: "c0",
          nameAr: "شهادة التصنيف",
          nameEn: "Classification certificate",
          kind: "pass_fail",
          weight: 0,
        },
        { key: "c1", nameAr: "الخبرة الفنية", nameEn: "Technical experience", kind: "technical", weight: 40 },
        { key: "c2", nameAr: "السعر", nameEn: "Price", kind: "financial", weight: 60 },
      ],
      requireVerified: true,
      timeZone: "Asia/Kuwait",
      enquiryDeadline: at("2026-03-10T07:00:00.000Z"),
      // Moved by amendment 1 from 2026-03-20 10:00 Kuwait time.
      submissionDeadline: at("2026-03-25T07:00:00.000Z"),
      openingAt: at("2026-03-25T08:00:00.000Z"),
      publishedAt: at("2026-03-01T06:00:00.123Z"),
    },
    buyer: {
      id: "0b7b3c1e-8d0a-4c55-a2a4-6f4c2f0d9e01",
      nameAr: "وزارة الأشغال العامة",
      nameEn: "Ministry of Public Works",
      country: "KW",
    },
    lots: [
      {
        id: "5a1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d",
        number: 1,
        titleAr: "الطرق الرئيسية",
        titleEn: "Main roads",
        estimatedValue: 250_000_500n,
        cancellation: null,
        items: [
          {
            id: "11111111-2222-4333-8444-555555555555",
            descriptionAr: "سفلتة الطبقة السطحية",
            descriptionEn: "Surface course asphalt",
            quantity: "12500.500",
            unit: { code: "MTK", nameEn: "square metre", nameAr: "متر مربع" },
          },
          {
            id: "66666666-7777-4888-8999-aaaaaaaaaaaa",
            descriptionAr: "علامات أرضية",
            descriptionEn: "Road markings",
            quantity: "8.000",
            unit: { code: "KMT", nameEn: "kilometre", nameAr: "كيلومتر" },
          },
        ],
      },
    ],
    documents: [
      {
        id: "d0c00000-0000-4000-8000-000000000001",
        title: "Conditions",
        version: 1,
        sha256: "a".repeat(64),
        mediaType: "application/pdf",
        createdAt: at("2026-02-27T09:00:00.000Z"),
      },
      {
        id: "d0c00000-0000-4000-8000-000000000002",
        title: "Bill of quantities",
        version: 1,
        sha256: "b".repeat(64),
        mediaType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        createdAt: at("2026-03-03T09:00:00.000Z"),
      },
    ],
    amendments: [
      {
        id: "a0000000-0000-4000-8000-000000000001",
        number: 1,
        kind: "amendment",
        reason: "Quantities of asphalt corrected.",
        changes: [
          { field: "titleEn", before: "Maintenance of roads", after: "Maintenance of main roads" },
          {
            field: "submissionDeadline",
            before: "2026-03-20 10:00 (Asia/Kuwait)",
            after: "2026-03-25 10:00 (Asia/Kuwait)",
          },
          {
            field: "openingAt",
            before: "2026-03-20 11:00 (Asia/Kuwait)",
            after: "2026-03-25 11:00 (Asia/Kuwait)",
          },
        ],
        deadlineMovedByRule: false,
        createdAt: at("2026-03-05T10:00:00.000Z"),
      },
    ],
    enquiries: [
      {
        id: "e0000000-0000-4000-8000-000000000001",
        question: "Does the contract include the side pavements?",
        answer: "No, the works cover the roads only.",
        askedAt: at("2026-03-04T08:00:00.000Z"),
        answeredAt: at("2026-03-06T08:00:00.000Z"),
      },
    ],
    opening: overrides.opened
      ? {
          confirmedAt: at("2026-03-25T08:30:00.000Z"),
          tenderers: [
            {
              id: "b0000000-0000-4000-8000-000000000001",
              nameAr: "النور للمقاولات",
              nameEn: "Al Noor Contracting",
              country: "KW",
            },
            {
              id: "b0000000-0000-4000-8000-000000000002",
              nameAr: "الخليج للبناء",
              nameEn: "Gulf Build",
              country: "KW",
            },
          ],
        }
      : null,
    cancellation: null,
    awards: [],
    contracts: [],
  };
}

export const SAMPLE_IDS = {
  winner: "b0000000-0000-4000-8000-000000000001",
  loser: "b0000000-0000-4000-8000-000000000002",
  award: "a1000000-0000-4000-8000-000000000001",
  contract: "c0000000-0000-4000-8000-000000000001",
  milestone1: "c1000000-0000-4000-8000-000000000001",
  milestone2: "c1000000-0000-4000-8000-000000000002",
  milestone3: "c1000000-0000-4000-8000-000000000003",
  payment: "f0000000-0000-4000-8000-000000000001",
};

/**
 * The sample process carried on after its opening: Al Noor's award (notice on
 * 2026-04-10), suspended by a complaint from 04-12 until its review reinstated
 * it on 04-15; the contract signed on 04-25 with two milestones, amended on
 * 05-10 (a third milestone, more value), the first milestone delivered on
 * 05-20 and paid on 05-25. The losing bid's price (260,000.000 KWD) is in no
 * field of the process, as the loader never reads it.
 */
export function awardedProcess(): TenderProcess {
  const at = (iso: string) => new Date(iso);
  const p = sampleProcess({ opened: true });
  const lotId = p.lots[0]!.id;
  p.awards = [
    {
      id: SAMPLE_IDS.award,
      lotId,
      supplier: {
        id: SAMPLE_IDS.winner,
        nameAr: "النور للمقاولات",
        nameEn: "Al Noor Contracting",
        country: "KW",
      },
      price: 231_450_750n,
      currency: "KWD",
      decidedAt: at("2026-04-10T09:00:00.000Z"),
      noticePublishedAt: at("2026-04-10T09:00:00.000Z"),
      suspensions: [
        {
          number: 1,
          startedAt: at("2026-04-12T10:00:00.000Z"),
          reinstatedAt: at("2026-04-15T11:00:00.000Z"),
        },
      ],
      cancelledAt: null,
    },
  ];
  const milestone = (id: string, position: number, dueOn: string, amount: string) => ({
    id,
    position,
    titleAr: `المرحلة ${position}`,
    titleEn: `Stage ${position}`,
    dueOn,
    amount,
  });
  const before = {
    value: "231450750",
    currency: "KWD",
    startsOn: "2026-05-01",
    endsOn: "2026-12-31",
    milestones: [
      milestone(SAMPLE_IDS.milestone1, 1, "2026-06-30", "100000000"),
      milestone(SAMPLE_IDS.milestone2, 2, "2026-12-31", "131450750"),
    ],
  };
  const after = {
    ...before,
    value: "241450750",
    endsOn: "2027-01-31",
    milestones: [...before.milestones, milestone(SAMPLE_IDS.milestone3, 3, "2027-01-31", "10000000")],
  };
  p.contracts = [
    {
      id: SAMPLE_IDS.contract,
      reference: "MOPW-2026-0001-C1",
      awardId: SAMPLE_IDS.award,
      lotId,
      supplierId: SAMPLE_IDS.winner,
      currency: "KWD",
      value: 241_450_750n,
      startsOn: "2026-05-01",
      endsOn: "2027-01-31",
      signedAt: at("2026-04-25T08:00:00.000Z"),
      milestones: after.milestones.map((m, i) => ({
        ...m,
        amount: BigInt(m.amount),
        deliveredAt: i === 0 ? at("2026-05-20T12:00:00.000Z") : null,
      })),
      amendments: [
        {
          version: 3,
          reason: "A third stage for the side roads, agreed with the supplier.",
          before,
          after,
          createdAt: at("2026-05-10T07:00:00.000Z"),
        },
      ],
      payments: [
        {
          id: SAMPLE_IDS.payment,
          milestoneId: SAMPLE_IDS.milestone1,
          amount: 100_000_000n,
          currency: "KWD",
          paidAt: at("2026-05-25T06:30:00.000Z"),
        },
      ],
    },
  ];
  return p;
}
