/** Short, language-neutral names of the formats we accept, for messages. */
const LABELS: Record<string, string> = {
  "application/pdf": "PDF",
  "image/png": "PNG",
  "image/jpeg": "JPEG",
  "application/zip": "ZIP",
  "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "DOCX",
  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "XLSX",
};

export function labelOfMediaType(mime: string): string {
  return LABELS[mime] ?? mime;
}

/** Documents an organisation usually submits: PDFs and scans. */
export const DOCUMENT_TYPES = ["application/pdf", "image/png", "image/jpeg"] as const;

/**
 * What an agency attaches to a tender: PDFs and scans, plus Word and Excel
 * (OOXML) files, since bills of quantities and price schedules are spreadsheets
 * bidders fill in. file-type recognises these from the bytes (the main part
 * named in the zip's [Content_Types].xml); macro-enabled variants (.docm,
 * .xlsm) and plain zips are detected as other types and refused. A document
 * whose first zip entry is too large to sniff is seen as ZIP and refused too.
 */
export const TENDER_DOCUMENT_TYPES = [
  ...DOCUMENT_TYPES,
  "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
] as const;

/** The usual file name extension of each accepted type, for download names. */
const EXTENSIONS: Record<string, string> = {
  "application/pdf": "pdf",
  "image/png": "png",
  "image/jpeg": "jpg",
  "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
};

export function extensionOfMediaType(mime: string): string | undefined {
  return EXTENSIONS[mime];
}

/** "25 MB", "512 KB": decimal units, as people read file sizes. */
export function formatBytes(bytes: number): string {
  if (bytes >= 1_000_000) return `${Math.round((bytes / 1_000_000) * 10) / 10} MB`;
  if (bytes >= 1_000) return `${Math.round(bytes / 1_000)} KB`;
  return `${bytes} B`;
}
