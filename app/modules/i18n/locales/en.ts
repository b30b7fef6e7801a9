/**
 * English strings. The shape of this object is the list of keys: the Arabic
 * file must have exactly the same keys (the type checker enforces it).
 * Arabic plural keys use i18next's suffixes (_zero, _one, _two, _few, _many, _other).
 */
export const en = {
  meta: {
    siteName: "Shafaf",
    tagline: "Open public procurement and licensing",
  },
  nav: {
    skipToContent: "Skip to main content",
    mainLabel: "Main",
    home: "Home",
    tenders: "Tenders",
    agencies: "Agencies",
    insights: "Insights",
    permits: "Permits",
    myBids: "My bids",
    myPermits: "My permits",
    payments: "Payments",
    company: "Company profile",
    draftTenders: "My tenders",
    bidOpenings: "Bid openings",
    evaluations: "Evaluations",
    approvals: "Approvals",
    permitQueue: "Permit queue",
    reconciliation: "Reconciliation",
    staff: "Staff",
    administration: "Administration",
    signIn: "Sign in",
    register: "Register a business",
    signOut: "Sign out",
  },
  language: {
    switchTo: "العربية",
    switchLabel: "Change language to Arabic",
    label: "Language",
  },
  home: {
    title: "Public money, in the open",
    lead: "Shafaf is where businesses find and win government work, obtain permits online at any hour, and where anyone can follow how public money is spent.",
    ctaTenders: "Find tenders",
    ctaRegister: "Register your business",
    audiences: "Who Shafaf is for",
    business: {
      title: "Businesses",
      body: "Register once, keep your documents in one place, bid on tenders with sealed, time-stamped submissions, pay fees online and apply for licences without visiting an office.",
      link: "Register a business",
    },
    officer: {
      title: "Procurement and licensing officers",
      body: "Publish and amend tenders, answer clarifications, open bids with a second officer, evaluate and award with every decision recorded; review permit applications against a service level.",
      link: "Sign in as an officer",
    },
    investor: {
      title: "Investors and citizens",
      body: "Search every opportunity, follow awards and contracts, see which agencies spend what and where, and download the data as open contracting data.",
      link: "Browse agencies",
    },
    principles: "How Shafaf earns trust",
    sealed: "Sealed bids stay sealed: encrypted until two officers open them together.",
    ledger: "One double-entry ledger: businesses and government see the same numbers.",
    open: "What is public is verifiable: receipts, permits and the books can be checked by anyone.",
    agenciesTitle: "Agencies on Shafaf",
    stats: {
      agencies_zero: "No agencies yet",
      agencies_one: "One agency",
      agencies_other: "{{count}} agencies",
      businesses_zero: "No businesses yet",
      businesses_one: "One registered business",
      businesses_other: "{{count}} registered businesses",
    },
  },
  agencies: {
    title: "Government agencies",
    lead: "The agencies that publish tenders and issue permits on Shafaf.",
    searchLabel: "Search agencies",
    searchHint: "Part of the name, in Arabic or English",
    searchButton: "Search",
    name: "Agency",
    country: "Country",
    currency: "Currency",
    timeZone: "Time zone",
    status: "Status",
    active: "Active",
    emptyTitle: "No agencies match your search",
    emptyBody: "Try fewer or different words.",
    resultsCount_zero: "No agencies",
    resultsCount_one: "One agency",
    resultsCount_other: "{{count}} agencies",
  },
  pagination: {
    label: "Pages",
    previous: "Previous",
    next: "Next",
    page: "Page {{page}} of {{pages}}",
  },
  form: {
    errorSummaryTitle: "There is a problem",
  },
  errors: {
    VALIDATION: "Check the information you entered.",
    NOT_FOUND: "Page not found",
    FORBIDDEN: "You do not have permission to do that.",
    UNAUTHENTICATED: "Sign in to continue.",
    CROSS_ORIGIN_REQUEST:
      "This form was sent from another site, so it was refused. Go back, reload the page and try again.",
    FILE_TOO_LARGE: "The file is larger than {{limit}}.",
    FILE_TYPE_NOT_ALLOWED: "This type of file is not accepted. Upload {{allowed}}.",
    FILE_EMPTY: "The file is empty.",
    INTERNAL: "Something went wrong on our side",
    searchTooLong: "Enter at most {{max}} characters.",
    pageNumber: "The page number must be a whole number of 1 or more.",
  },
  errorPage: {
    notFoundTitle: "Page not found",
    notFoundBody:
      "If you typed the address, check it is correct. If you followed a link, it may be out of date.",
    serverTitle: "Sorry, there is a problem with the service",
    serverBody: "Try again later. Nothing you saved was lost.",
    reference: "Reference: {{id}}",
    backHome: "Go to the home page",
  },
  footer: {
    about: "Shafaf is an open procurement and licensing service.",
    openData: "Open data follows the Open Contracting Data Standard.",
  },
};

/** Arabic has plural forms English lacks; those keys may appear in any language file. */
type ExtraPluralForms = { [K in `${string}_${"two" | "few" | "many"}`]?: string };
/** The shape both languages must have: same keys, any text. */
type Shape<T> = { [K in keyof T]: T[K] extends string ? string : Shape<T[K]> } & ExtraPluralForms;
export type Messages = Shape<typeof en>;
