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

/** "25 MB", "512 KB": decimal units, as people read file sizes. */
export function formatBytes(bytes: number): string {
  if (bytes >= 1_000_000) return `${Math.round((bytes / 1_000_000) * 10) / 10} MB`;
  if (bytes >= 1_000) return `${Math.round(bytes / 1_000)} KB`;
  return `${bytes} B`;
}
