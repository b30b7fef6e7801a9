// The printable certificate of a permit or licence: one bilingual A4 page
// with what a third party needs to rely on it (who holds it, what it allows,
// who issued it, for which dates) and a QR code to the public check, whose
// live status prevails over the printout.
import { type Language, translatorFor } from "#app/modules/i18n/i18n.ts";
import {
  A4,
  createPdfDocument,
  drawQrCode,
  type LabelValueRow,
  measureLabelValueRow,
  measureText,
  type PdfDoc,
  toBuffer,
  type ValuePart,
  writeArabic,
  writeEnglish,
  writeLabelValueRow,
  writeText,
} from "#app/modules/pdf/pdf-document.server.ts";
import type { PermitStatus } from "#db/schema/permit-kinds.ts";

/** One answer on the application printed on the certificate, with its label in both languages. */
export interface CertificateField {
  labelAr: string;
  labelEn: string;
  /** The same text twice unless the answer has a label per language (a select's option). */
  value: { ar: string; en: string };
}

export interface PermitCertificateDocument {
  /** e.g. "MOC-CL-2026-000042" */
  number: string;
  /** As of printing. */
  status: PermitStatus;
  permitType: { nameAr: string; nameEn: string };
  agency: { nameAr: string; nameEn: string };
  holder: { nameAr: string; nameEn: string; registrationNumber: string | null };
  /** Calendar dates, YYYY-MM-DD, in the agency's time zone. */
  validFrom: string;
  validUntil: string;
  issuedOn: string;
  /** The licence this permit is held under, when its type requires one. */
  parentPermitNumber: string | null;
  fields: CertificateField[];
  /** Already formatted, e.g. "2026-11-25 08:59 (Asia/Kuwait)". */
  printedAt: string;
  /** Public verification page; encoded in the QR code and printed. */
  verifyUrl: string;
}

const MARGIN = 40;
const CONTENT_WIDTH = A4.width - 2 * MARGIN;
const FOOTER_Y = A4.height - 50;
/** Height of the QR code with its URL below, the taller side of the verification block. */
const VERIFY_HEIGHT = 122;
const VERIFY_GAP = 14;
const COLORS = {
  primary: "#0d4f3c",
  danger: "#8f1d1d",
  warning: "#8a5300",
  muted: "#5b6470",
  tint: "#eef5f2",
  dangerTint: "#f8eded",
  rule: "#c9d1d6",
} as const;

// Free text is capped so the certificate always fits on its one page.
const MAX_NAME = 100;
// When long names or many answers make the table too tall, values are set
// smaller rather than spilling off the page or over the QR code.
const VALUE_SCALES = [1, 0.92, 0.85, 0.78, 0.72, 0.66, 0.6];
const READABLE_SCALE = 0.85;

function clip(text: string, max = MAX_NAME): string {
  const chars = Array.from(text.trim());
  return chars.length <= max ? chars.join("") : `${chars.slice(0, max - 1).join("")}…`;
}

// Certificates are bilingual whatever the reader's language: one `t` per language.
function tIn(lang: Language) {
  return translatorFor(lang);
}

/** A label of the `permitCertificate` block in both languages. */
function label(key: string, options?: Record<string, string>): { ar: string; en: string } {
  return {
    ar: tIn("ar")(`permitCertificate.${key}`, options),
    en: tIn("en")(`permitCertificate.${key}`, options),
  };
}

function accentOf(status: PermitStatus): string {
  return status === "valid" ? COLORS.primary : status === "revoked" ? COLORS.danger : COLORS.warning;
}

function bilingual(ar: string, en: string, max = MAX_NAME): ValuePart[] {
  const a = clip(ar, max);
  const e = clip(en, max);
  // One value typed once (a plot number, a date) is printed once.
  if (a === e) return [{ text: a, size: 10.5 }];
  return [
    { text: a, size: 10.5, direction: "rtl" },
    { text: e, size: 9.5, direction: "ltr" },
  ];
}

function ltr(text: string, extra: Partial<ValuePart> = {}): ValuePart[] {
  return [{ text, size: 10.5, direction: "ltr", ...extra }];
}

function row(key: string, value: ValuePart[]): LabelValueRow {
  const l = label(key);
  return { labelAr: l.ar, labelEn: l.en, value };
}

function coreRows(cert: PermitCertificateDocument, accent: string): LabelValueRow[] {
  const status = label(`statuses.${cert.status}`);
  const rows: LabelValueRow[] = [
    row("number", ltr(cert.number, { font: "bold", size: 12 })),
    row("holder", bilingual(cert.holder.nameAr, cert.holder.nameEn)),
  ];
  if (cert.holder.registrationNumber)
    rows.push(row("registrationNumber", ltr(cert.holder.registrationNumber)));
  rows.push(
    row("agency", bilingual(cert.agency.nameAr, cert.agency.nameEn)),
    row("validFrom", ltr(cert.validFrom)),
    row("validUntil", ltr(cert.validUntil, { font: "bold" })),
    row("issuedOn", ltr(cert.issuedOn)),
    row("status", [
      { text: status.ar, font: "bold", size: 10.5, direction: "rtl", color: accent },
      { text: status.en, font: "bold", size: 9.5, direction: "ltr", color: accent },
    ]),
  );
  if (cert.parentPermitNumber) rows.push(row("parentPermit", ltr(cert.parentPermitNumber)));
  return rows;
}

function answerRows(cert: PermitCertificateDocument): LabelValueRow[] {
  return cert.fields.map((field) => ({
    labelAr: clip(field.labelAr, 40),
    labelEn: clip(field.labelEn, 40),
    value: bilingual(field.value.ar, field.value.en),
  }));
}

function drawHeader(doc: PdfDoc, cert: PermitCertificateDocument, accent: string): number {
  doc.rect(0, 0, A4.width, 8).fill(accent);
  const half = CONTENT_WIDTH / 2 - 8;
  const through = label("issuedThrough");
  const right = { x: MARGIN + CONTENT_WIDTH - half, width: half };
  const left = { x: MARGIN, width: half };
  let arBottom = writeArabic(doc, clip(cert.agency.nameAr, 70), {
    ...right,
    y: 22,
    font: "bold",
    size: 16,
    color: accent,
  });
  arBottom = writeArabic(doc, through.ar, { ...right, y: arBottom + 2, size: 9, color: COLORS.muted });
  let enBottom = writeEnglish(doc, clip(cert.agency.nameEn, 70), {
    ...left,
    y: 25,
    font: "bold",
    size: 14,
    color: accent,
  });
  enBottom = writeEnglish(doc, through.en, { ...left, y: enBottom + 3, size: 8.5, color: COLORS.muted });
  const ruleY = Math.max(arBottom, enBottom) + 8;
  doc.rect(MARGIN, ruleY, CONTENT_WIDTH, 1.5).fill(accent);
  doc.rect(MARGIN, ruleY + 3, CONTENT_WIDTH, 0.5).fill(accent);
  return ruleY + 10;
}

function drawTitle(doc: PdfDoc, y: number, accent: string): number {
  const title = label("title");
  const box = { x: MARGIN, width: CONTENT_WIDTH, align: "center" as const, font: "bold" as const };
  const afterAr = writeArabic(doc, title.ar, { ...box, y, size: 19, color: accent });
  return writeEnglish(doc, title.en, { ...box, y: afterAr, size: 12, color: accent });
}

/** The permit's type in large type, in a tinted box: what the certificate is for. */
function drawPermitType(doc: PdfDoc, cert: PermitCertificateDocument, y: number, accent: string): number {
  const padding = 10;
  const labelWidth = 110;
  const inner = { x: MARGIN + labelWidth, width: CONTENT_WIDTH - 2 * labelWidth };
  const nameAr = clip(cert.permitType.nameAr, 90);
  const nameEn = clip(cert.permitType.nameEn, 90);
  const arStyle = { ...inner, font: "bold" as const, size: 17, align: "center" as const };
  const enStyle = { ...inner, font: "bold" as const, size: 12.5, align: "center" as const };
  const height =
    2 * padding +
    measureText(doc, nameAr, { ...arStyle, direction: "rtl" }) +
    measureText(doc, nameEn, { ...enStyle, direction: "ltr" });
  const tint = cert.status === "valid" ? COLORS.tint : COLORS.dangerTint;
  doc.roundedRect(MARGIN, y, CONTENT_WIDTH, height, 4).fillAndStroke(tint, accent);
  const typeLabel = label("permitType");
  const labelTop = y + height / 2 - 8;
  writeEnglish(doc, typeLabel.en, {
    x: MARGIN + 12,
    y: labelTop,
    width: labelWidth - 12,
    size: 9.5,
    color: COLORS.muted,
  });
  writeArabic(doc, typeLabel.ar, {
    x: MARGIN + CONTENT_WIDTH - labelWidth,
    y: labelTop - 1,
    width: labelWidth - 12,
    font: "bold",
    size: 10.5,
    color: COLORS.muted,
  });
  const afterAr = writeArabic(doc, nameAr, { ...arStyle, y: y + padding, color: accent });
  writeEnglish(doc, nameEn, { ...enStyle, y: afterAr, color: accent });
  return y + height;
}

async function drawVerification(doc: PdfDoc, cert: PermitCertificateDocument, y: number, accent: string) {
  const qrColumn = 170;
  const qrSize = 92;
  await drawQrCode(doc, cert.verifyUrl, { x: MARGIN + (qrColumn - qrSize) / 2, y, size: qrSize });
  writeText(doc, cert.verifyUrl, {
    x: MARGIN,
    y: y + qrSize + 6,
    width: qrColumn,
    align: "center",
    direction: "ltr",
    font: "mono",
    size: 7,
  });
  const title = label("verifyTitle");
  const body = label("verifyBody");
  const textX = MARGIN + qrColumn + 16;
  const textWidth = CONTENT_WIDTH - qrColumn - 16;
  let top = writeArabic(doc, title.ar, {
    x: textX,
    y,
    width: textWidth,
    font: "bold",
    size: 11,
    color: accent,
  });
  top = writeArabic(doc, body.ar, { x: textX, y: top, width: textWidth, size: 9.5 });
  top = writeEnglish(doc, title.en, {
    x: textX,
    y: top + 4,
    width: textWidth,
    font: "bold",
    size: 10,
    color: accent,
  });
  writeEnglish(doc, body.en, { x: textX, y: top, width: textWidth, size: 8.5 });
}

function rowsHeight(doc: PdfDoc, rows: LabelValueRow[]): number {
  return rows.reduce(
    (sum, r) => sum + measureLabelValueRow(doc, r, { x: MARGIN, y: 0, width: CONTENT_WIDTH }),
    0,
  );
}

function scaleRows(rows: LabelValueRow[], scale: number): LabelValueRow[] {
  return rows.map((r) => ({
    ...r,
    value: r.value.map((part) => ({ ...part, size: (part.size ?? 10) * scale })),
  }));
}

/**
 * The rows that fit in `budget`. Values are set a little smaller first; if
 * the answers still do not fit, the last ones are left off before the text
 * gets hard to read (the permit's own facts always print; every answer stays
 * on the application). Only then are the facts set smaller still.
 */
function fitRows(
  doc: PdfDoc,
  core: LabelValueRow[],
  answers: LabelValueRow[],
  budget: number,
): LabelValueRow[] {
  const fits = (rows: LabelValueRow[]) => rowsHeight(doc, rows) <= budget;
  for (const scale of VALUE_SCALES.filter((s) => s >= READABLE_SCALE)) {
    const scaled = scaleRows([...core, ...answers], scale);
    if (fits(scaled)) return scaled;
  }
  for (let kept = answers.length - 1; kept >= 0; kept--) {
    const scaled = scaleRows([...core, ...answers.slice(0, kept)], READABLE_SCALE);
    if (fits(scaled)) return scaled;
  }
  for (const scale of VALUE_SCALES.filter((s) => s < READABLE_SCALE)) {
    const scaled = scaleRows(core, scale);
    if (fits(scaled)) return scaled;
  }
  return scaleRows(core, VALUE_SCALES.at(-1)!);
}

function drawFooter(doc: PdfDoc, cert: PermitCertificateDocument): void {
  const y = FOOTER_Y;
  doc
    .moveTo(MARGIN, y)
    .lineTo(MARGIN + CONTENT_WIDTH, y)
    .lineWidth(0.5)
    .strokeColor(COLORS.rule)
    .stroke();
  const half = CONTENT_WIDTH / 2;
  const footer = label("footer");
  const printed = label("printedAt", { at: cert.printedAt });
  const style = { width: half, size: 8, color: COLORS.muted };
  writeArabic(doc, footer.ar, { ...style, y: y + 5, x: MARGIN + half });
  writeArabic(doc, printed.ar, { ...style, y: y + 18, x: MARGIN + half });
  writeEnglish(doc, footer.en, { ...style, y: y + 6, x: MARGIN });
  writeEnglish(doc, `${printed.en} · ${cert.number}`, { ...style, y: y + 19, x: MARGIN });
}

/** Across the page, light, for a permit that is not valid when printed. */
function drawNotValidMark(doc: PdfDoc, cert: PermitCertificateDocument, accent: string): void {
  const mark = label("notValid");
  const status = label(`statuses.${cert.status}`);
  const cx = A4.width / 2;
  const cy = A4.height / 2;
  doc.save();
  doc.rotate(-32, { origin: [cx, cy] });
  doc.fillOpacity(0.13);
  const box = { x: cx - 300, width: 600, align: "center" as const, font: "bold" as const, color: accent };
  writeArabic(doc, `${mark.ar} – ${status.ar}`, { ...box, y: cy - 84, size: 44 });
  writeEnglish(doc, `${mark.en} – ${status.en.toUpperCase()}`, { ...box, y: cy + 6, size: 38 });
  doc.restore();
}

/** Renders the certificate as a one-page A4 PDF. */
export async function renderPermitCertificate(cert: PermitCertificateDocument): Promise<Buffer> {
  const title = label("title");
  const doc = createPdfDocument({
    title: `${title.en} ${cert.number}`,
    subject: `${title.ar} ${cert.number}`,
    keywords: cert.number,
  });
  const accent = accentOf(cert.status);

  let y = drawHeader(doc, cert, accent);
  y = drawTitle(doc, y + 2, accent);
  y = drawPermitType(doc, cert, y + 6, accent);
  y += 10;
  const budget = FOOTER_Y - 8 - VERIFY_HEIGHT - VERIFY_GAP - y;
  const rows = fitRows(doc, coreRows(cert, accent), answerRows(cert), budget);
  rows.forEach((r, index) => {
    y = writeLabelValueRow(doc, r, { x: MARGIN, y, width: CONTENT_WIDTH, shaded: index % 2 === 0 });
  });
  await drawVerification(doc, cert, y + VERIFY_GAP, accent);
  drawFooter(doc, cert);
  if (cert.status !== "valid") drawNotValidMark(doc, cert, accent);
  return toBuffer(doc);
}
