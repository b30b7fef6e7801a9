/**
 * The parts of the Open Contracting Data Standard 1.1 we emit, as TypeScript
 * shapes (release-schema.json in tests/support/ocds-1.1.5 is the authority; the
 * tests validate against it). Language variants use the OCDS form
 * `field_ar`. Fields of the lots and enquiries extensions are marked.
 */

export interface OcdsValue {
  amount: number;
  currency: string;
}

export interface OcdsPeriod {
  startDate?: string;
  endDate?: string;
}

export interface OcdsOrganizationReference {
  id: string;
  name: string;
}

export interface OcdsParty {
  id: string;
  name: string;
  name_ar?: string;
  address?: { countryName: string };
  roles: string[];
}

export interface OcdsClassification {
  scheme: string;
  id: string;
  description?: string;
}

export interface OcdsItem {
  id: string;
  description: string;
  description_ar?: string;
  classification?: OcdsClassification;
  additionalClassifications?: OcdsClassification[];
  quantity: number;
  unit: { scheme: string; id: string; name?: string; name_ar?: string };
  /** Lots extension. */
  relatedLot?: string;
}

/** Lots extension. */
export interface OcdsLot {
  id: string;
  title: string;
  title_ar?: string;
  status: string;
  value?: OcdsValue;
}

export interface OcdsDocument {
  id: string;
  documentType: string;
  title: string;
  description?: string;
  url: string;
  datePublished: string;
  format?: string;
  /** Lots extension. */
  relatedLots?: string[];
}

export interface OcdsAmendment {
  id: string;
  date: string;
  rationale: string;
  description: string;
  amendsReleaseID?: string;
  releaseID: string;
}

export interface OcdsMilestone {
  id: string;
  title: string;
  title_ar?: string;
  type: string;
  code?: string;
  description?: string;
  dueDate: string;
  status: string;
  dateMet?: string;
}

/** Enquiries extension: a public question and its answer, without who asked. */
export interface OcdsEnquiry {
  id: string;
  date: string;
  description: string;
  answer: string;
  dateAnswered: string;
}

export interface OcdsTender {
  id: string;
  title: string;
  title_ar?: string;
  description?: string;
  description_ar?: string;
  status: string;
  procuringEntity: OcdsOrganizationReference;
  items: OcdsItem[];
  /** Lots extension. */
  lots?: OcdsLot[];
  value?: OcdsValue;
  procurementMethod: string;
  procurementMethodDetails: string;
  mainProcurementCategory: string;
  awardCriteria?: string;
  awardCriteriaDetails?: string;
  awardCriteriaDetails_ar?: string;
  submissionMethod: string[];
  submissionMethodDetails: string;
  tenderPeriod: OcdsPeriod;
  enquiryPeriod: OcdsPeriod;
  hasEnquiries: boolean;
  eligibilityCriteria?: string;
  eligibilityCriteria_ar?: string;
  milestones: OcdsMilestone[];
  documents: OcdsDocument[];
  amendments?: OcdsAmendment[];
  /** Enquiries extension. */
  enquiries?: OcdsEnquiry[];
  numberOfTenderers?: number;
  tenderers?: OcdsOrganizationReference[];
}

/** An award whose notice was published; never the other bids. */
export interface OcdsAward {
  id: string;
  title: string;
  title_ar?: string;
  /** What the award's status means now, in words: never a complaint's grounds or who complained. */
  description: string;
  status: "pending" | "active" | "cancelled";
  date: string;
  value: OcdsValue;
  suppliers: OcdsOrganizationReference[];
  documents: OcdsDocument[];
  /** Lots extension. */
  relatedLots: string[];
}

export interface OcdsTransaction {
  id: string;
  date: string;
  value: OcdsValue;
  payer: OcdsOrganizationReference;
  payee: OcdsOrganizationReference;
}

/** A signed contract. */
export interface OcdsContract {
  id: string;
  awardID: string;
  title: string;
  title_ar?: string;
  description: string;
  status: "active";
  period: OcdsPeriod;
  value: OcdsValue;
  dateSigned: string;
  documents: OcdsDocument[];
  milestones: OcdsMilestone[];
  amendments?: OcdsAmendment[];
  implementation?: { transactions: OcdsTransaction[] };
}

export type OcdsReleaseTag =
  | "planning"
  | "planningUpdate"
  | "tender"
  | "tenderAmendment"
  | "tenderUpdate"
  | "tenderCancellation"
  | "award"
  | "awardUpdate"
  | "awardCancellation"
  | "contract"
  | "contractUpdate"
  | "contractAmendment"
  | "implementation"
  | "implementationUpdate"
  | "contractTermination"
  | "compiled";

export interface OcdsRelease {
  ocid: string;
  id: string;
  date: string;
  tag: OcdsReleaseTag[];
  initiationType: "tender";
  language: string;
  parties: OcdsParty[];
  buyer: OcdsOrganizationReference;
  tender: OcdsTender;
  /** From the first award notice on. */
  awards?: OcdsAward[];
  /** From the first signature on. */
  contracts?: OcdsContract[];
}

export interface OcdsPublisher {
  name: string;
  uri?: string;
}

export interface OcdsReleasePackage {
  uri: string;
  version: "1.1";
  extensions: string[];
  publishedDate: string;
  publisher: OcdsPublisher;
  releases: OcdsRelease[];
  /** Pagination, as in OCDS 1.2 and the pagination extension: where the next page is. */
  links?: { next?: string };
}

export interface OcdsRecord {
  ocid: string;
  releases: OcdsRelease[];
  compiledRelease: OcdsRelease;
}

export interface OcdsRecordPackage {
  uri: string;
  version: "1.1";
  extensions: string[];
  publishedDate: string;
  publisher: OcdsPublisher;
  records: OcdsRecord[];
}
