import { useSearchParams } from "react-router";
import { useTranslation } from "#app/modules/i18n/use-translation.ts";

/**
 * One-line confirmations after a redirect (`?notice=...`). Only the keys listed
 * here are shown, so the query string cannot put arbitrary text on the page.
 */
const NOTICES = {
  emailVerified: "verifyEmail.done",
  checkEmail: "verifyEmail.pending",
  passwordReset: "resetPassword.done",
  passwordChanged: "changePassword.done",
  businessRegistered: "register.done",
  decisionRecorded: "review.done",
  invitationAccepted: "invitation.done",
  saved: "members.saved",
  cardReturned: "billing.cardReturned",
  cardPaid: "billing.paidNotice",
  receiptRecorded: "finance.recorded",
  receiptConfirmed: "finance.confirmed",
  receiptRejected: "finance.rejected",
  refundDone: "finance.refundDone",
  feeSaved: "feesPage.saved",
  tenderPublished: "tenders.published",
  bidSubmitted: "bidding.submitted",
  bidDraftSaved: "bidding.draftSaved",
  amendmentPublished: "amendments.saved",
  bidReconfirmed: "amendments.reconfirmed",
  bidWithdrawn: "bidding.withdrawn",
  openingStarted: "opening.link",
  questionAsked: "clarifications.asked",
  questionAnswered: "clarifications.answered",
  documentAdded: "tenderDocuments.added",
  applicationSaved: "permits.notices.applicationSaved",
  applicationSubmitted: "permits.notices.applicationSubmitted",
  informationSent: "permits.notices.informationSent",
  applicationWithdrawn: "permits.notices.applicationWithdrawn",
  informationRequested: "permits.notices.informationRequested",
  inspectionScheduled: "permits.notices.inspectionScheduled",
  permitIssued: "permits.notices.permitIssued",
  searchSaved: "savedSearches.saved",
} as const;

export function Notice() {
  const { t } = useTranslation();
  const [search] = useSearchParams();
  const key = search.get("notice");
  if (!key || !(key in NOTICES)) return null;
  return (
    <div className="notice" role="status">
      {t(NOTICES[key as keyof typeof NOTICES])}
    </div>
  );
}
