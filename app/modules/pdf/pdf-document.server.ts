// A thin layer over pdfkit for bilingual (Arabic + English) documents.
// Every line is wrapped and reordered by arabic-line.ts and drawn at an
// explicit position with `lineBreak: false`, so pdfkit never wraps, reorders
// or adds pages on its own: what the caller lays out is what prints.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import PDFDocument from "pdfkit";
import QRCode from "qrcode";
import { type Direction, hasRtlScript, visualRuns, wrapLogical } from "./arabic-line.ts";

export type PdfDoc = PDFKit.PDFDocument;
export type FontName = "regular" | "bold" | "mono";
export type Align = "left" | "right" | "center";

// Amiri is a full TTF with Arabic, Latin and digits; the @fontsource Arabic
// packages ship only woff subsets that fontkit cannot embed (DESIGN.md).
// Resolved through node's resolver so it works from any cwd and from the
// built server bundle.
const require = createRequire(import.meta.url);
const FONT_FILES = {
  regular: "@expo-google-fonts/amiri/400Regular/Amiri_400Regular.ttf",
  bold: "@expo-google-fonts/amiri/700Bold/Amiri_700Bold.ttf",
} as const;

// pdfkit's registered font names. "Courier" is a PDF standard font (never
// embedded), used only for ASCII identifiers such as hashes and UUIDs.
const FONT_KEYS: Record<FontName, string> = { regular: "Amiri", bold: "Amiri-Bold", mono: "Courier" };

// `rlig` (required ligatures, e.g. lam-alef) must be requested explicitly;
// passing features also makes pdfkit shape the whole run at once instead of
// word by word.
const FEATURES: PDFKit.Mixins.OpenTypeFeatures[] = ["rlig"];

let fontBytes: { regular: Buffer; bold: Buffer } | undefined;
function loadFonts(): { regular: Buffer; bold: Buffer } {
  fontBytes ??= {
    regular: readFileSync(require.resolve(FONT_FILES.regular)),
    bold: readFileSync(require.resolve(FONT_FILES.bold)),
  };
  return fontBytes;
}

export const A4 = { width: 595.28, height: 841.89 } as const;

export interface DocumentMeta {
  title: string;
  subject?: string;
  keywords?: string;
}

/** An A4 document with Amiri registered; nothing drawn yet. */
export function createPdfDocument(meta: DocumentMeta): PdfDoc {
  const doc = new PDFDocument({
    size: "A4",
    margin: 0,
    // One page per document unless the caller asks for more.
    autoFirstPage: true,
    lang: "ar",
    displayTitle: true,
    info: {
      Title: meta.title,
      Author: "Shafaf",
      Creator: "Shafaf",
      Producer: "Shafaf",
      ...(meta.subject ? { Subject: meta.subject } : {}),
      ...(meta.keywords ? { Keywords: meta.keywords } : {}),
    },
  });
  const fonts = loadFonts();
  doc.registerFont(FONT_KEYS.regular, fonts.regular);
  doc.registerFont(FONT_KEYS.bold, fonts.bold);
  doc.font(FONT_KEYS.regular);
  return doc;
}

export interface TextStyle {
  font?: FontName;
  size?: number;
  color?: string;
}

export interface TextBox extends TextStyle {
  x: number;
  /** Top of the first line box. */
  y: number;
  width: number;
  align?: Align;
  /** Paragraph direction; Arabic text is "rtl" even when it contains Latin words. */
  direction?: Direction;
}

const DEFAULT_SIZE = 10;
const DEFAULT_COLOR = "#1b1f23";

/**
 * Line box height for a font size. Amiri's own metrics (1.76 em) leave room
 * for stacked marks we do not use, so a tighter fixed leading is used for
 * both scripts; baselines of Arabic and English lines then line up in rows.
 */
export function lineHeight(size: number): number {
  return size * 1.55;
}

function baselineOffset(size: number): number {
  return size * 1.08;
}

function applyStyle(doc: PdfDoc, style: TextStyle): { size: number; key: string } {
  const size = style.size ?? DEFAULT_SIZE;
  const font = FONT_KEYS[style.font ?? "regular"];
  doc.font(font).fontSize(size);
  doc.fillColor(style.color ?? DEFAULT_COLOR);
  return { size, key: `${font}|${size}` };
}

// Shaping Arabic with Amiri is the slow part of rendering (fontkit runs many
// contextual lookups), and wrapping measures the same words over and over,
// so widths are cached per document, font and size.
const widthCaches = new WeakMap<PdfDoc, Map<string, number>>();

/** Width of a string exactly as it will be handed to pdfkit, with the current font. */
function shapedWidth(doc: PdfDoc, styleKey: string, text: string): number {
  let cache = widthCaches.get(doc);
  if (!cache) {
    cache = new Map();
    widthCaches.set(doc, cache);
  }
  const key = `${styleKey}|${text}`;
  let width = cache.get(key);
  if (width === undefined) {
    width = doc.widthOfString(text, { features: FEATURES });
    cache.set(key, width);
  }
  return width;
}

/**
 * Width of a logical line, as the sum of its words: reordering does not
 * change a line's width and Arabic letters never join across a space, so
 * each word is shaped (and cached) once however many candidate lines it
 * appears in while wrapping.
 */
function lineWidth(doc: PdfDoc, styleKey: string, line: string, direction: Direction): number {
  const words = line.split(" ");
  const wordsWidth = words.reduce(
    (sum, word) =>
      sum + visualRuns(word, direction).reduce((w, run) => w + shapedWidth(doc, styleKey, run.shaping), 0),
    0,
  );
  return wordsWidth + (words.length - 1) * shapedWidth(doc, styleKey, " ");
}

/** Wraps `text` to `width` with the given style; returns logical-order lines. */
export function layoutLines(doc: PdfDoc, text: string, box: Omit<TextBox, "x" | "y">): string[] {
  const { key } = applyStyle(doc, box);
  const direction = box.direction ?? "ltr";
  return wrapLogical(text, box.width, (line) => lineWidth(doc, key, line, direction));
}

/** Height `text` would take in `box`, without drawing it. */
export function measureText(doc: PdfDoc, text: string, box: Omit<TextBox, "x" | "y">): number {
  return layoutLines(doc, text, box).length * lineHeight(box.size ?? DEFAULT_SIZE);
}

/** Draws one already-wrapped logical line, reordered, on the given baseline. */
function drawLine(doc: PdfDoc, styleKey: string, line: string, box: TextBox, baseline: number): void {
  const direction = box.direction ?? "ltr";
  const runs = visualRuns(line, direction).map((run) => ({
    text: run.shaping,
    width: shapedWidth(doc, styleKey, run.shaping),
  }));
  const total = runs.reduce((sum, run) => sum + run.width, 0);
  const align = box.align ?? (direction === "rtl" ? "right" : "left");
  let x =
    align === "right"
      ? box.x + box.width - total
      : align === "center"
        ? box.x + (box.width - total) / 2
        : box.x;
  for (const run of runs) {
    if (run.text.trim()) {
      doc.text(run.text, x, baseline, { lineBreak: false, baseline: "alphabetic", features: FEATURES });
    }
    x += run.width;
  }
}

/** Writes a wrapped paragraph; returns the y just below its last line. */
export function writeText(doc: PdfDoc, text: string, box: TextBox): number {
  const lines = layoutLines(doc, text, box);
  const { size, key } = applyStyle(doc, box);
  let top = box.y;
  for (const line of lines) {
    drawLine(doc, key, line, box, top + baselineOffset(size));
    top += lineHeight(size);
  }
  return top;
}

/** Arabic paragraph: right to left, right-aligned unless told otherwise. */
export function writeArabic(doc: PdfDoc, text: string, box: Omit<TextBox, "direction">): number {
  return writeText(doc, text, { align: "right", ...box, direction: "rtl" });
}

/** English paragraph: left to right, left-aligned unless told otherwise. */
export function writeEnglish(doc: PdfDoc, text: string, box: Omit<TextBox, "direction">): number {
  return writeText(doc, text, { align: "left", ...box, direction: "ltr" });
}

/** One stacked piece of a row's value, e.g. the Arabic name, then the English one. */
export interface ValuePart extends TextStyle {
  text: string;
  /** Defaults to "rtl" when the text holds Arabic letters, else "ltr". */
  direction?: Direction;
}

export interface LabelValueRow {
  labelAr: string;
  labelEn: string;
  value: ValuePart[];
}

export interface RowLayout {
  x: number;
  y: number;
  width: number;
  /** Width of each label column; the value takes the middle. */
  labelWidth?: number;
  shaded?: boolean;
}

const ROW_PADDING = 5;
const LABEL_AR: TextStyle = { font: "bold", size: 9.5, color: "#3d4650" };
const LABEL_EN: TextStyle = { font: "regular", size: 8.5, color: "#5b6470" };
const RULE_COLOR = "#c9d1d6";
const SHADE_COLOR = "#f3f6f5";

function rowGeometry(doc: PdfDoc, row: LabelValueRow, layout: RowLayout) {
  const labelWidth = layout.labelWidth ?? 125;
  const gap = 8;
  const valueBox = { x: layout.x + labelWidth + gap, width: layout.width - 2 * (labelWidth + gap) };
  const parts = row.value.map((part) => ({
    ...part,
    direction: part.direction ?? (hasRtlScript(part.text) ? "rtl" : "ltr"),
  }));
  const valueHeight = parts.reduce(
    (sum, part) => sum + measureText(doc, part.text, { ...part, width: valueBox.width }),
    0,
  );
  const labelArHeight = measureText(doc, row.labelAr, {
    ...LABEL_AR,
    width: labelWidth - 4,
    direction: "rtl",
  });
  const labelEnHeight = measureText(doc, row.labelEn, {
    ...LABEL_EN,
    width: labelWidth - 4,
    direction: "ltr",
  });
  const labelHeight = Math.max(labelArHeight, labelEnHeight);
  const height = Math.max(valueHeight, labelHeight) + 2 * ROW_PADDING;
  return { labelWidth, valueBox, parts, valueHeight, labelHeight, height };
}

/** Height `writeLabelValueRow` would take, without drawing (to fit a page before drawing). */
export function measureLabelValueRow(doc: PdfDoc, row: LabelValueRow, layout: RowLayout): number {
  return rowGeometry(doc, row, layout).height;
}

/**
 * A table row read from either side: English label on the left, Arabic label
 * on the right, the value centred between them, as on bilingual Gulf
 * government forms. Returns the y of the row's bottom edge.
 */
export function writeLabelValueRow(doc: PdfDoc, row: LabelValueRow, layout: RowLayout): number {
  const { labelWidth, valueBox, parts, valueHeight, labelHeight, height } = rowGeometry(doc, row, layout);

  if (layout.shaded) {
    doc.rect(layout.x, layout.y, layout.width, height).fill(SHADE_COLOR);
  }
  doc
    .moveTo(layout.x, layout.y + height)
    .lineTo(layout.x + layout.width, layout.y + height)
    .lineWidth(0.5)
    .strokeColor(RULE_COLOR)
    .stroke();

  const top = layout.y + ROW_PADDING;
  let valueTop = top + (height - 2 * ROW_PADDING - valueHeight) / 2;
  // Labels sit on the baseline of the value's first line, so a row reads
  // across as one line even though the three cells use different sizes.
  // Labels taller than the value (wrapped) stay at the top instead.
  const baseline = valueTop + baselineOffset(parts[0]?.size ?? DEFAULT_SIZE);
  const labelTop = (style: TextStyle) =>
    labelHeight > valueHeight ? top : Math.max(top, baseline - baselineOffset(style.size ?? DEFAULT_SIZE));
  writeEnglish(doc, row.labelEn, {
    ...LABEL_EN,
    x: layout.x + 4,
    y: labelTop(LABEL_EN),
    width: labelWidth - 4,
  });
  writeArabic(doc, row.labelAr, {
    ...LABEL_AR,
    x: layout.x + layout.width - labelWidth,
    y: labelTop(LABEL_AR),
    width: labelWidth - 4,
  });
  for (const part of parts) {
    valueTop = writeText(doc, part.text, { ...part, ...valueBox, y: valueTop, align: "center" });
  }
  return layout.y + height;
}

/** Draws a QR code for `url` as a PNG image, `size` points square. */
export async function drawQrCode(
  doc: PdfDoc,
  url: string,
  box: { x: number; y: number; size: number },
): Promise<void> {
  // Medium error correction survives a crease or a stamp over the code;
  // the quiet zone is left to the layout around it.
  const png = await QRCode.toBuffer(url, { type: "png", errorCorrectionLevel: "M", margin: 0, scale: 8 });
  doc.image(png, box.x, box.y, { width: box.size, height: box.size });
}

/** Ends the document and collects its bytes. */
export function toBuffer(doc: PdfDoc): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on("data", (chunk: Buffer) => chunks.push(chunk));
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
    doc.end();
  });
}
