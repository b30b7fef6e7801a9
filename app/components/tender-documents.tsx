import { useTranslation } from "#app/modules/i18n/use-translation.ts";
import { DataTable, StatusTag } from "./ui.tsx";

/** One tender document version as pages receive it from a loader: strings and numbers only. */
export interface TenderDocumentView {
  id: string;
  /** The download link. */
  href: string;
  title: string;
  version: number;
  /** The latest version of its title. */
  current: boolean;
  fileName: string;
  /** "PDF", "XLSX", ... */
  type: string;
  /** "1.2 MB" */
  size: string;
  /** "2026-11-25 10:00 (Asia/Kuwait)" */
  uploadedAt: string;
  sha256: string;
}

/**
 * A tender's documents: title (a download link), version, type and size,
 * upload date and the SHA-256 of the bytes, so a downloaded copy can be
 * checked. The public page passes the current versions; the officers' page
 * passes every version and asks for the file names too.
 */
export function TenderDocumentsList({
  documents,
  showFileName = false,
}: {
  documents: TenderDocumentView[];
  showFileName?: boolean;
}) {
  const { t } = useTranslation();
  if (documents.length === 0) return <p>{t("tenderDocuments.none")}</p>;
  return (
    <DataTable
      caption={t("tenderDocuments.title")}
      captionHidden
      rows={documents}
      rowKey={(d) => d.id}
      columns={[
        {
          key: "title",
          header: t("tenderDocuments.documentTitle"),
          cell: (d) => (
            <>
              <a href={d.href} download dir="auto">
                {d.title}
              </a>
              {showFileName && !d.current ? (
                <>
                  {" "}
                  <StatusTag>{t("tenderDocuments.superseded")}</StatusTag>
                </>
              ) : null}
            </>
          ),
        },
        { key: "version", header: t("tenderDocuments.version"), numeric: true, cell: (d) => d.version },
        ...(showFileName
          ? [
              {
                key: "file",
                header: t("tenderDocuments.file"),
                cell: (d: TenderDocumentView) => <bdi>{d.fileName}</bdi>,
              },
            ]
          : []),
        {
          key: "size",
          header: t("tenderDocuments.size"),
          // Kept on one line: "PDF · 1.2 MB".
          cell: (d) => <span dir="ltr">{`${d.type} · ${d.size}`.replace(/ /g, "\u00a0")}</span>,
        },
        {
          key: "uploadedAt",
          header: t("tenderDocuments.uploadedAt"),
          cell: (d) => <span dir="ltr">{d.uploadedAt}</span>,
        },
        {
          key: "sha256",
          header: t("tenderDocuments.sha256"),
          cell: (d) => (
            <code dir="ltr" className="digest">
              {d.sha256}
            </code>
          ),
        },
      ]}
    />
  );
}
