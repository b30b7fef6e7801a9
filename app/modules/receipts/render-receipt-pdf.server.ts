// The printable receipt for a payment or a refund: one bilingual A4 page that
// carries what a third party needs to check it without trusting Shafaf's
// word: the ledger transaction id, its content hash, the signed checkpoint
// that closes it, and a QR code to the public verification page.
import {
  A4,
  createPdfDocument,
  drawQrCode,
  type LabelValueRow,
  measureLabelValueRow,
  type PdfDoc,
  toBuffer,
  type ValuePart,
  writeArabic,
  writeEnglish,
  writeLabelValueRow,
  writeText,
} from "#app/modules/pdf/pdf-document.server.ts";

export interface ReceiptDocument {
  kind: "payment" | "refund";
  /** e.g. "SHF-AB12-CD34" for a payment, or "SHF-AB12-CD34-R1" for a refund */
  number: string;
  /** Printed in UTC ("2026-11-25 05:59 UTC") so the receipt reads the same everywhere. */
  issuedAt: Date;
  /** The business that paid; for a refund, the one receiving the money back. */
  payer: { nameAr: string; nameEn: string; registrationNumber?: string | null };
  /** The agency paid; for a refund, the one returning the money. */
  payee: { nameAr: string; nameEn: string };
  /** e.g. رسوم وثائق المناقصة / Tender document fee */
  feeLabel: { ar: string; en: string };
  /** Already formatted decimal, e.g. "12.500" */
  amount: string;
  /** ISO 4217 code, e.g. "KWD" */
  currency: string;
  /** e.g. حوالة بنكية / Bank transfer */
  method: { ar: string; en: string };
  /** Refunds only. */
  reason?: { ar: string; en: string } | null;
  /** The payment's reference (for refunds: the original payment). */
  paymentReference: string;
  ledgerTransactionId: string;
  /** SHA-256, 64 hex characters. */
  ledgerContentHash: string;
  /** null = not yet closed by a checkpoint. */
  checkpoint: { id: string; hash: string; createdAt: Date } | null;
  /** Public verification page; encoded in the QR code and printed. */
  verifyUrl: string;
}

const MARGIN = 40;
const CONTENT_WIDTH = A4.width - 2 * MARGIN;
const FOOTER_Y = A4.height - 46;
/** Height of the QR code with its URL (two lines) below, the taller side of the verification block. */
const VERIFY_HEIGHT = 122;
const VERIFY_GAP = 16;
const COLORS = {
  primary: "#0d4f3c",
  refund: "#7a2430",
  muted: "#5b6470",
  tint: "#eef5f2",
  refundTint: "#f8eef0",
  rule: "#c9d1d6",
} as const;

// Free text from users (names, refund reasons) is capped so a receipt always
// fits on its one page; the full text stays in the application records.
const MAX_NAME = 80;
const MAX_REASON = 160;

// When long names or reasons make the table too tall, values are set
// smaller rather than spilling onto a second page or over the QR code.
const VALUE_SCALES = [1, 0.92, 0.85, 0.78, 0.72, 0.66];

function clip(text: string, max: number): string {
  const chars = Array.from(text.trim());
  return chars.length <= max ? chars.join("") : `${chars.slice(0, max - 1).join("")}…`;
}

/** "2026-11-25 05:59 UTC" */
export function formatUtc(date: Date): string {
  return `${date.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

/** A 64-character hash as two groups of 32, so it fits a column and stays copyable. */
function hashLines(hash: string): string[] {
  return hash.length > 32 ? [hash.slice(0, 32), hash.slice(32)] : [hash];
}

const TEXT = {
  payment: {
    titleAr: "إيصال دفع",
    titleEn: "Payment receipt",
    amountAr: "المبلغ المدفوع",
    amountEn: "Amount paid",
    payerAr: "الدافع",
    payerEn: "Paid by",
    payeeAr: "المستفيد",
    payeeEn: "Paid to",
    feeAr: "نوع الرسم",
    feeEn: "Fee",
    methodAr: "طريقة الدفع",
    methodEn: "Payment method",
    referenceAr: "مرجع الدفع",
    referenceEn: "Payment reference",
  },
  refund: {
    titleAr: "إيصال استرداد",
    titleEn: "Refund receipt",
    amountAr: "المبلغ المسترد",
    amountEn: "Amount refunded",
    payerAr: "المسترد له",
    payerEn: "Refunded to",
    payeeAr: "الجهة المعيدة للمبلغ",
    payeeEn: "Refunded by",
    feeAr: "الرسم المسترد",
    feeEn: "Refunded fee",
    methodAr: "طريقة الاسترداد",
    methodEn: "Refund method",
    referenceAr: "مرجع الدفع الأصلي",
    referenceEn: "Original payment reference",
  },
} as const;

function bilingual(ar: string, en: string, max = MAX_NAME): ValuePart[] {
  return [
    { text: clip(ar, max), size: 10.5, direction: "rtl" },
    { text: clip(en, max), size: 9.5, direction: "ltr" },
  ];
}

function mono(text: string, size = 8.5): ValuePart {
  return { text, font: "mono", size, direction: "ltr" };
}

function receiptRows(receipt: ReceiptDocument): LabelValueRow[] {
  const t = TEXT[receipt.kind];
  const rows: LabelValueRow[] = [
    {
      labelAr: "رقم الإيصال",
      labelEn: "Receipt number",
      value: [{ text: receipt.number, font: "bold", size: 12, direction: "ltr" }],
    },
    {
      labelAr: "تاريخ ووقت الإصدار",
      labelEn: "Issued at",
      value: [{ text: formatUtc(receipt.issuedAt), size: 10.5, direction: "ltr" }],
    },
    { labelAr: t.payerAr, labelEn: t.payerEn, value: bilingual(receipt.payer.nameAr, receipt.payer.nameEn) },
  ];
  if (receipt.payer.registrationNumber) {
    rows.push({
      labelAr: "رقم السجل التجاري",
      labelEn: "Commercial registration no.",
      value: [{ text: receipt.payer.registrationNumber, size: 10.5, direction: "ltr" }],
    });
  }
  rows.push(
    { labelAr: t.payeeAr, labelEn: t.payeeEn, value: bilingual(receipt.payee.nameAr, receipt.payee.nameEn) },
    { labelAr: t.feeAr, labelEn: t.feeEn, value: bilingual(receipt.feeLabel.ar, receipt.feeLabel.en) },
    { labelAr: t.methodAr, labelEn: t.methodEn, value: bilingual(receipt.method.ar, receipt.method.en) },
  );
  if (receipt.reason) {
    rows.push({
      labelAr: "سبب الاسترداد",
      labelEn: "Reason for refund",
      value: bilingual(receipt.reason.ar, receipt.reason.en, MAX_REASON),
    });
  }
  rows.push(
    {
      labelAr: t.referenceAr,
      labelEn: t.referenceEn,
      value: [{ text: receipt.paymentReference, size: 10.5, direction: "ltr" }],
    },
    {
      labelAr: "رقم قيد السجل المالي",
      labelEn: "Ledger transaction",
      value: [mono(receipt.ledgerTransactionId)],
    },
    {
      labelAr: "بصمة المحتوى (SHA-256)",
      labelEn: "Content hash (SHA-256)",
      value: hashLines(receipt.ledgerContentHash).map((line) => mono(line)),
    },
    { labelAr: "نقطة التحقق الموقعة", labelEn: "Signed ledger checkpoint", value: checkpointValue(receipt) },
  );
  return rows;
}

function checkpointValue(receipt: ReceiptDocument): ValuePart[] {
  if (!receipt.checkpoint) {
    return [
      { text: "لم يُغلق القيد بعد بنقطة تحقق موقعة؛ سيُدرج في النقطة التالية", size: 9.5, direction: "rtl" },
      {
        text: "Not yet closed by a signed checkpoint; it will be in the next one",
        size: 8.5,
        direction: "ltr",
      },
    ];
  }
  const { id, hash, createdAt } = receipt.checkpoint;
  return [
    mono(id),
    { text: formatUtc(createdAt), size: 9, direction: "ltr" },
    ...hashLines(hash).map((line) => ({ ...mono(line, 7.5), color: COLORS.muted })),
  ];
}

function drawHeader(doc: PdfDoc, accent: string): number {
  doc.rect(0, 0, A4.width, 8).fill(accent);
  const half = CONTENT_WIDTH / 2;
  writeArabic(doc, "شفاف", { x: MARGIN + half, y: 22, width: half, font: "bold", size: 22, color: accent });
  writeArabic(doc, "منصة المشتريات والتراخيص الحكومية", {
    x: MARGIN + half,
    y: 55,
    width: half,
    size: 9.5,
    color: COLORS.muted,
  });
  writeEnglish(doc, "Shafaf", { x: MARGIN, y: 24, width: half, font: "bold", size: 20, color: accent });
  writeEnglish(doc, "Government procurement and licensing platform", {
    x: MARGIN,
    y: 56,
    width: half,
    size: 8.5,
    color: COLORS.muted,
  });
  const ruleY = 80;
  doc.rect(MARGIN, ruleY, CONTENT_WIDTH, 1.5).fill(accent);
  doc.rect(MARGIN, ruleY + 3, CONTENT_WIDTH, 0.5).fill(accent);
  return ruleY + 10;
}

function drawTitle(doc: PdfDoc, receipt: ReceiptDocument, y: number, accent: string): number {
  const t = TEXT[receipt.kind];
  const box = { x: MARGIN, width: CONTENT_WIDTH, align: "center" as const, font: "bold" as const };
  const afterAr = writeArabic(doc, t.titleAr, { ...box, y, size: 19, color: accent });
  return writeEnglish(doc, t.titleEn, { ...box, y: afterAr + 1, size: 13, color: accent });
}

function drawAmount(doc: PdfDoc, receipt: ReceiptDocument, y: number, accent: string): number {
  const t = TEXT[receipt.kind];
  const height = 62;
  const tint = receipt.kind === "refund" ? COLORS.refundTint : COLORS.tint;
  doc.roundedRect(MARGIN, y, CONTENT_WIDTH, height, 4).fillAndStroke(tint, accent);
  const labelWidth = 150;
  writeEnglish(doc, t.amountEn, {
    x: MARGIN + 12,
    y: y + 22,
    width: labelWidth,
    size: 10,
    color: COLORS.muted,
  });
  writeArabic(doc, t.amountAr, {
    x: MARGIN + CONTENT_WIDTH - 12 - labelWidth,
    y: y + 20,
    width: labelWidth,
    font: "bold",
    size: 11,
    color: COLORS.muted,
  });
  writeText(doc, `${receipt.amount} ${receipt.currency}`, {
    x: MARGIN + labelWidth,
    y: y + 12,
    width: CONTENT_WIDTH - 2 * labelWidth,
    align: "center",
    direction: "ltr",
    font: "bold",
    size: 24,
    color: accent,
  });
  return y + height;
}

async function drawVerification(doc: PdfDoc, receipt: ReceiptDocument, y: number, accent: string) {
  const qrColumn = 170;
  const qrSize = 92;
  await drawQrCode(doc, receipt.verifyUrl, { x: MARGIN + (qrColumn - qrSize) / 2, y, size: qrSize });
  writeText(doc, receipt.verifyUrl, {
    x: MARGIN,
    y: y + qrSize + 6,
    width: qrColumn,
    align: "center",
    direction: "ltr",
    font: "mono",
    size: 7,
  });

  const textX = MARGIN + qrColumn + 16;
  const textWidth = CONTENT_WIDTH - qrColumn - 16;
  let top = writeArabic(doc, "التحقق من الإيصال", {
    x: textX,
    y,
    width: textWidth,
    font: "bold",
    size: 11,
    color: accent,
  });
  top = writeArabic(
    doc,
    "يستطيع أي شخص التحقق من هذا الإيصال عبر صفحة التحقق المبينة في رمز الاستجابة السريعة، بمطابقة بصمة القيد مع نقطة التحقق الموقعة والمنشورة لسجل شفاف المالي.",
    { x: textX, y: top, width: textWidth, size: 9.5 },
  );
  top = writeEnglish(doc, "Verify this receipt", {
    x: textX,
    y: top + 4,
    width: textWidth,
    font: "bold",
    size: 10,
    color: accent,
  });
  writeEnglish(
    doc,
    "Anyone can check this receipt at the verification page in the QR code, by matching the transaction hash against the published, signed checkpoint of the Shafaf ledger.",
    { x: textX, y: top, width: textWidth, size: 8.5 },
  );
}

function fitRows(doc: PdfDoc, rows: LabelValueRow[], budget: number): LabelValueRow[] {
  let scaled = rows;
  for (const scale of VALUE_SCALES) {
    scaled = rows.map((row) => ({
      ...row,
      value: row.value.map((part) => ({ ...part, size: (part.size ?? 10) * scale })),
    }));
    const height = scaled.reduce(
      (sum, row) => sum + measureLabelValueRow(doc, row, { x: MARGIN, y: 0, width: CONTENT_WIDTH }),
      0,
    );
    if (height <= budget) break;
  }
  return scaled;
}

function drawFooter(doc: PdfDoc, receipt: ReceiptDocument): void {
  const y = FOOTER_Y;
  doc
    .moveTo(MARGIN, y)
    .lineTo(MARGIN + CONTENT_WIDTH, y)
    .lineWidth(0.5)
    .strokeColor(COLORS.rule)
    .stroke();
  const half = CONTENT_WIDTH / 2;
  const style = { y: y + 6, width: half, size: 8, color: COLORS.muted };
  writeArabic(doc, "صدر هذا الإيصال إلكترونياً ولا يحتاج إلى توقيع أو ختم", { ...style, x: MARGIN + half });
  writeEnglish(doc, `Issued electronically; no signature or stamp required. ${receipt.number}`, {
    ...style,
    x: MARGIN,
  });
}

/** Renders the receipt as a one-page A4 PDF. */
export async function renderReceiptPdf(receipt: ReceiptDocument): Promise<Buffer> {
  const t = TEXT[receipt.kind];
  const doc = createPdfDocument({
    title: `${t.titleEn} ${receipt.number}`,
    subject: `${t.titleAr} ${receipt.number}`,
  });
  const accent = receipt.kind === "refund" ? COLORS.refund : COLORS.primary;

  let y = drawHeader(doc, accent);
  y = drawTitle(doc, receipt, y + 4, accent);
  y = drawAmount(doc, receipt, y + 6, accent);
  y += 12;
  const rows = fitRows(doc, receiptRows(receipt), FOOTER_Y - 8 - VERIFY_HEIGHT - VERIFY_GAP - y);
  rows.forEach((row, index) => {
    y = writeLabelValueRow(doc, row, { x: MARGIN, y, width: CONTENT_WIDTH, shaded: index % 2 === 0 });
  });
  await drawVerification(doc, receipt, y + VERIFY_GAP, accent);
  drawFooter(doc, receipt);
  return toBuffer(doc);
}
