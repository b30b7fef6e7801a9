import { describe, expect, it } from "vitest";
import { formatUtc, type ReceiptDocument, renderReceiptPdf } from "./render-receipt-pdf.server.ts";

const payment: ReceiptDocument = {
  kind: "payment",
  number: "SHF-AB12-CD34",
  issuedAt: new Date("2026-11-25T05:59:31Z"),
  payer: {
    nameAr: "شركة النور للمقاولات",
    nameEn: "Al Noor Contracting Co.",
    registrationNumber: "CR-2019-004521",
  },
  payee: { nameAr: "وزارة الأشغال العامة", nameEn: "Ministry of Public Works" },
  feeLabel: { ar: "رسوم وثائق المناقصة", en: "Tender document fee" },
  amount: "12.500",
  currency: "KWD",
  method: { ar: "حوالة بنكية", en: "Bank transfer" },
  reason: null,
  paymentReference: "PAY-2026-000731",
  ledgerTransactionId: "3f2b8c1e-7d4a-4b9e-9c3f-1a2b3c4d5e6f",
  ledgerContentHash: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
  checkpoint: {
    id: "ckpt-000118",
    hash: "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    createdAt: new Date("2026-11-25T06:00:00Z"),
  },
  verifyUrl: "https://shafaf.example.gov/verify/receipts/SHF-AB12-CD34",
};

const refund: ReceiptDocument = {
  ...payment,
  kind: "refund",
  number: "SHF-AB12-CD34-R1",
  payer: { ...payment.payer, registrationNumber: null },
  reason: {
    ar: "إلغاء المناقصة 2026-00042 قبل فتح العطاءات",
    en: "Tender 2026-00042 cancelled before bid opening",
  },
  checkpoint: null,
  verifyUrl: "https://shafaf.example.gov/verify/receipts/SHF-AB12-CD34-R1",
};

// Object dictionaries are not compressed by pdfkit, so their keys can be
// read straight from the bytes.
function inspect(pdf: Buffer) {
  const text = pdf.toString("latin1");
  return {
    text,
    pages: text.match(/\/Type\s*\/Page(?![s\w])/g)?.length ?? 0,
    images: text.match(/\/Subtype\s*\/Image/g)?.length ?? 0,
  };
}

describe("renderReceiptPdf", () => {
  it.each([
    ["payment", payment, "Payment receipt"],
    ["refund", refund, "Refund receipt"],
  ] as const)("renders a one-page %s receipt with Amiri and a QR code", async (_kind, receipt, title) => {
    const pdf = await renderReceiptPdf(receipt);
    const { text, pages, images } = inspect(pdf);

    expect(pdf.subarray(0, 5).toString("latin1")).toBe("%PDF-");
    expect(pages).toBe(1);
    expect(text).toMatch(/\/FontName \/[A-Z]{6}\+Amiri-Regular/);
    expect(text).toMatch(/\/FontName \/[A-Z]{6}\+Amiri-Bold/);
    expect(images).toBeGreaterThanOrEqual(1);
    expect(text).toContain(`(${title} ${receipt.number})`);
    expect(text).toContain("(Shafaf)");
  });

  it("stays on one page when names and reasons are very long", async () => {
    const long = "شركة الخليج العربي المتحدة للتجارة العامة والمقاولات الإنشائية والخدمات اللوجستية ";
    const longEn =
      "Gulf Arab United General Trading, Construction Contracting and Logistics Services W.L.L. ";
    const pdf = await renderReceiptPdf({
      ...refund,
      payer: { nameAr: long.repeat(3), nameEn: longEn.repeat(3), registrationNumber: "CR-2019-004521" },
      payee: { nameAr: long.repeat(2), nameEn: longEn.repeat(2) },
      feeLabel: { ar: long.repeat(2), en: longEn.repeat(2) },
      reason: { ar: long.repeat(5), en: longEn.repeat(5) },
      checkpoint: payment.checkpoint,
    });
    expect(inspect(pdf).pages).toBe(1);
  });
});

describe("formatUtc", () => {
  it("prints minutes in UTC whatever the server's time zone", () => {
    expect(formatUtc(new Date("2026-11-25T05:59:31Z"))).toBe("2026-11-25 05:59 UTC");
  });
});
