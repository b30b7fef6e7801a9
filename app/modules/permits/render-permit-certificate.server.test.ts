import { describe, expect, it } from "vitest";
import {
  type PermitCertificateDocument,
  renderPermitCertificate,
} from "./render-permit-certificate.server.ts";

const sampleCertificate: PermitCertificateDocument = {
  number: "MOC-CL-2026-000042",
  status: "valid",
  permitType: { nameAr: "رخصة تجارية", nameEn: "Commercial licence" },
  agency: { nameAr: "وزارة التجارة والصناعة", nameEn: "Ministry of Commerce and Industry" },
  holder: {
    nameAr: "شركة النور للمقاولات",
    nameEn: "Al Noor Contracting Co.",
    registrationNumber: "CR-2019-004521",
  },
  validFrom: "2026-03-01",
  validUntil: "2027-02-28",
  issuedOn: "2026-02-26",
  parentPermitNumber: null,
  fields: [
    {
      labelAr: "النشاط التجاري",
      labelEn: "Business activity",
      value: { ar: "مقاولات عامة", en: "General contracting" },
    },
    { labelAr: "رقم القسيمة", labelEn: "Plot number", value: { ar: "12/45-ب", en: "12/45-ب" } },
    { labelAr: "المساحة (م²)", labelEn: "Area (m²)", value: { ar: "350", en: "350" } },
  ],
  printedAt: "2026-03-02 09:15 (Asia/Kuwait)",
  verifyUrl: "https://shafaf.example.gov/verify/permit/MOC-CL-2026-000042",
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

describe("renderPermitCertificate", () => {
  it.each(["valid", "expired", "suspended", "revoked"] as const)(
    "renders a one-page %s certificate with Amiri and a QR code",
    async (status) => {
      const pdf = await renderPermitCertificate({ ...sampleCertificate, status });
      const { text, pages, images } = inspect(pdf);
      expect(pdf.subarray(0, 5).toString("latin1")).toBe("%PDF-");
      expect(pages).toBe(1);
      expect(text).toMatch(/\/FontName \/[A-Z]{6}\+Amiri-Regular/);
      expect(text).toMatch(/\/FontName \/[A-Z]{6}\+Amiri-Bold/);
      expect(images).toBeGreaterThanOrEqual(1);
      expect(text).toContain("(Permit certificate MOC-CL-2026-000042)");
    },
  );

  it("stays on one page with very long names and many answers", async () => {
    const long = "شركة الخليج العربي المتحدة للتجارة العامة والمقاولات الإنشائية والخدمات اللوجستية ";
    const longEn =
      "Gulf Arab United General Trading, Construction Contracting and Logistics Services W.L.L. ";
    const pdf = await renderPermitCertificate({
      ...sampleCertificate,
      status: "revoked",
      permitType: { nameAr: long.repeat(2), nameEn: longEn.repeat(2) },
      agency: { nameAr: long.repeat(2), nameEn: longEn.repeat(2) },
      holder: { nameAr: long.repeat(3), nameEn: longEn.repeat(3), registrationNumber: "CR-2019-004521" },
      parentPermitNumber: "MOC-CL-2025-000007",
      fields: Array.from({ length: 10 }, (_, i) => ({
        labelAr: `${long} ${i}`,
        labelEn: `${longEn} ${i}`,
        value: { ar: long.repeat(2).slice(0, 120), en: longEn.repeat(2).slice(0, 120) },
      })),
    });
    expect(inspect(pdf).pages).toBe(1);
  });
});
