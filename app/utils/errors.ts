/**
 * Domain code throws `AppError(code)`; this one table turns a code into an HTTP
 * status and a translated message key, for pages and the API alike
 * (DESIGN.md convention 5). Add a code here and its message to both locale files.
 */
export const ERROR_CODES = {
  VALIDATION: 400,
  UNAUTHENTICATED: 401,
  INVALID_CREDENTIALS: 401,
  FORBIDDEN: 403,
  CROSS_ORIGIN_REQUEST: 403,
  NOT_FOUND: 404,
  FILE_TOO_LARGE: 413,
  FILE_TYPE_NOT_ALLOWED: 415,
  FILE_EMPTY: 400,
  PASSWORD_TOO_SHORT: 400,
  PASSWORD_TOO_LONG: 400,
  PASSWORD_TOO_COMMON: 400,
  EMAIL_TAKEN: 409,
  LINK_INVALID: 404,
  LINK_USED: 410,
  LINK_EXPIRED: 410,
  WRONG_PASSWORD: 400,
  REGISTRATION_NUMBER_TAKEN: 409,
  DOCUMENTS_REQUIRED: 400,
  BUSINESS_NOT_PENDING: 409,
  REASON_REQUIRED: 400,
  ROLES_INVALID: 400,
  ALREADY_MEMBER: 409,
  INVITATION_EMAIL_MISMATCH: 403,
  LAST_ADMIN: 409,
  SCOPES_INVALID: 400,
  TOKEN_INVALID: 401,
  SCOPE_MISSING: 403,
  WRONG_CODE: 400,
  BUSINESS_NOT_VERIFIED: 403,
  LEDGER_UNBALANCED: 400,
  IDEMPOTENCY_CONFLICT: 409,
  REFUND_EXCEEDS_CAPTURED: 409,
  PAYMENT_NOT_CAPTURED: 409,
  HOLD_ALREADY_RESOLVED: 409,
  AMOUNT_INVALID: 400,
  RATE_INVALID: 400,
  FEE_BOUNDS_INVALID: 400,
  FEE_SUBJECT_REQUIRED: 400,
  FEE_NOT_CHARGED: 409,
  IBAN_INVALID: 400,
  PAYMENT_NOT_PENDING: 409,
  RECEIPT_AMOUNT_MISMATCH: 409,
  RECEIPT_ALREADY_RECORDED: 409,
  SECOND_OFFICER_REQUIRED: 409,
  STATEMENT_UNREADABLE: 400,
  CARD_PAYMENTS_UNAVAILABLE: 409,
  PAYMENT_PROVIDER_UNAVAILABLE: 503,
  WEBHOOK_SIGNATURE_INVALID: 400,
  TENDER_NOT_DRAFT: 409,
  CPV_INVALID: 400,
  SCHEDULE_INVALID: 400,
  CRITERIA_INVALID: 400,
  TENDER_INCOMPLETE: 400,
  ENQUIRY_CLOSED: 409,
  ALREADY_ANSWERED: 409,
  BID_LATE: 409,
  BID_FEE_UNPAID: 409,
  BID_NO_PRICE: 400,
  BID_RESPONSE_REQUIRED: 400,
  BID_SEALED: 403,
  OPENING_TOO_EARLY: 409,
  TENDER_CLOSED: 409,
  EXTENSION_NOT_LATER: 400,
  NOTHING_CHANGED: 400,
  NO_RECONFIRMATION_DUE: 409,
  TENDER_DOCUMENTS_CLOSED: 409,
  SECOND_FACTOR_REQUIRED: 409,
  PERMIT_CODE_TAKEN: 409,
  PERMIT_PARENT_NOT_FOUND: 400,
  PERMIT_PARENT_CYCLE: 409,
  TOO_MANY_ATTEMPTS: 429,
  APPLICATION_WRONG_STATUS: 409,
  APPLICATION_IN_PROGRESS: 409,
  PERMIT_REVOKED: 409,
  PERMIT_NOT_VALID: 409,
  PERMIT_WRONG_STATUS: 409,
  PERMIT_ALREADY_HELD: 409,
  PERMIT_SECTOR_NOT_ELIGIBLE: 403,
  PARENT_LICENCE_REQUIRED: 409,
  RENEWAL_WINDOW_CLOSED: 409,
  PERMIT_FEE_UNPAID: 409,
  CHECKLIST_INCOMPLETE: 409,
  INSPECTION_NOT_REQUIRED: 409,
  INSPECTION_NOT_PASSED: 409,
  INSPECTION_IN_PAST: 400,
  PERMIT_REQUIRED: 409,
  INTERNAL: 500,
} as const satisfies Record<string, number>;

export type ErrorCode = keyof typeof ERROR_CODES;

export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    /** Values for the message's placeholders, e.g. `{ limit: "25 MB" }`. */
    readonly params: Record<string, string | number> = {},
    options: { cause?: unknown; field?: string } = {},
  ) {
    super(code, { cause: options.cause });
    this.name = "AppError";
    this.status = ERROR_CODES[code];
    this.field = options.field;
  }

  /** The form field the error is about, when there is one (for the inline message). */
  readonly field: string | undefined;

  /** The i18n key of the user-facing message. */
  get messageKey(): `errors.${ErrorCode}` {
    return `errors.${this.code}`;
  }
}

export function isAppError(e: unknown): e is AppError {
  return e instanceof AppError;
}
