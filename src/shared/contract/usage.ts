import type { CertificateStatus } from './certificates.ts';

/** What the edge's access log showed of one certificate certdesk holds. */
export interface EdgeUsageView {
  certificateId: string;
  /** The common name, else the subject. */
  name: string;
  serialHex: string;
  status: CertificateStatus;
  firstSeen: string;
  lastSeen: string;
  requests: number;
  /** The HTTP status of the last request seen. */
  lastStatus: number;
  /** 2xx answers to `…/oauth/token` through a verified certificate. */
  tokenSuccesses: number;
}

/** A certificate the edge saw that certdesk does not hold, by serial and issuer. */
export interface UnknownEdgeUsage {
  serialHex: string;
  issuer: string;
  firstSeen: string;
  lastSeen: string;
  requests: number;
  lastStatus: number;
}

/** What one read of one access log did. */
export interface UsageSourceRead {
  source: string;
  /** Lines read and parsed. */
  lines: number;
  /** Lines that did not parse: skipped and counted. */
  skipped: number;
  /** Why reading started again at 0: a new file at the path (logrotate) or a shorter one (copytruncate). */
  restarted: 'new-file' | 'truncated' | null;
  certificates: number;
  unknown: number;
  /** Requests without a client certificate. */
  anonymous: number;
}

export interface UsageReport {
  /** Whether an access log is configured (`certdesk usage --source PATH`). */
  configured: boolean;
  /** The log read: the configured one, or the file given once. */
  source: string | null;
  reads: UsageSourceRead[];
  /** Most recently seen first. */
  certificates: EdgeUsageView[];
  unknown: UnknownEdgeUsage[];
}

/** One hour of the requests-per-hour chart. */
export interface UsageHour {
  /** The hour's start (ISO). */
  hour: string;
  requests: number;
  tokenSuccesses: number;
}

/** One certificate's evidence for its panel: totals and the last day by the hour. */
export interface CertificateEdgeUsage {
  certificateId: string;
  configured: boolean;
  usage: EdgeUsageView | null;
  /** 24 hours, oldest first, ending with the current one. */
  lastDay: UsageHour[];
  /** Why the log could not be read just now (what is shown is what was stored before), or null. */
  readError: string | null;
}
