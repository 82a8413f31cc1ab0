import type { CertificateEdgeUsage, EdgeUsageView, UsageReport, UsageSourceRead } from '../../../shared/contract/index.ts';
import type { CoreContext } from '../context.ts';
import { CertdeskError } from '../errors.ts';
import type { CertificateRow } from '../store/certificate-repository.ts';
import type { EdgeUsage } from './edge-usage.ts';
import { LocalLogSource } from './log-source.ts';
import type { Seen, UsageTally } from './usage-tally.ts';

const iso = (ms: number) => new Date(ms).toISOString();

function view(row: CertificateRow, u: Omit<EdgeUsageView, 'certificateId' | 'name' | 'serialHex' | 'status'>): EdgeUsageView {
  return { certificateId: row.id, name: row.commonName ?? row.subject, serialHex: row.serialHex, status: row.status, ...u };
}

function fromSeen(seen: Seen) {
  return {
    firstSeen: iso(seen.firstSeen),
    lastSeen: iso(seen.lastSeen),
    requests: seen.requests,
    lastStatus: seen.lastStatus,
    tokenSuccesses: seen.tokenSuccesses,
  };
}

const byLastSeen = (a: { lastSeen: string }, b: { lastSeen: string }) => b.lastSeen.localeCompare(a.lastSeen);

/** Reads the configured log (if any), then reports every certificate's stored evidence, or one certificate's. */
export async function usageReport(ctx: CoreContext, usage: EdgeUsage, only?: CertificateRow): Promise<UsageReport> {
  const reads: UsageSourceRead[] = await usage.read();
  const now = ctx.clock.now();
  const ids = only ? [only.id] : (ctx.db.prepare('SELECT certificate_id FROM edge_usage').pluck().all() as string[]);
  const certificates: EdgeUsageView[] = [];
  for (const id of ids) {
    const row = only ?? ctx.certificates.get(id, now);
    const u = usage.repository.usage(id);
    if (row && u) certificates.push(view(row, u));
  }
  return {
    configured: usage.configured(),
    source: usage.readPath(),
    reads,
    certificates: certificates.sort(byLastSeen),
    unknown: only ? [] : usage.repository.unknown(),
  };
}

/** One log file read whole, once, from its start: nothing is stored, not even where reading stopped. */
export async function usageOfFile(ctx: CoreContext, usage: EdgeUsage, path: string): Promise<UsageReport> {
  if (!path.startsWith('/'))
    throw new CertdeskError('VALIDATION', `log: ${path} is not an absolute path; name the access log's full path.`, { field: 'log' });
  const { found, read, tally } = await usage.readOnce(new LocalLogSource(path));
  if (!found)
    throw new CertdeskError('NOT_FOUND', `log: there is no file ${path}; name the edge's access log (certdesk edge export --access-log).`, {
      field: 'log',
    });
  return { configured: usage.configured(), source: path, reads: [read], ...tallied(ctx, tally) };
}

function tallied(ctx: CoreContext, tally: UsageTally): Pick<UsageReport, 'certificates' | 'unknown'> {
  const now = ctx.clock.now();
  const certificates: EdgeUsageView[] = [];
  for (const [id, seen] of tally.certificates) {
    const row = ctx.certificates.get(id, now);
    if (row) certificates.push(view(row, fromSeen(seen)));
  }
  const unknown = [...tally.unknown.values()].map((seen) => {
    const { tokenSuccesses: _t, ...rest } = fromSeen(seen);
    return { serialHex: seen.serial, issuer: seen.issuer, ...rest };
  });
  return { certificates: certificates.sort(byLastSeen), unknown: unknown.sort(byLastSeen) };
}

/** One certificate's evidence for its panel; a log that cannot be read now is said, with what was stored before. */
export async function certificateUsage(ctx: CoreContext, usage: EdgeUsage, row: CertificateRow): Promise<CertificateEdgeUsage> {
  let readError: string | null = null;
  try {
    await usage.refresh();
  } catch (error) {
    if (!(error instanceof CertdeskError)) throw error;
    readError = error.message;
  }
  const u = usage.repository.usage(row.id);
  return {
    certificateId: row.id,
    configured: usage.configured(),
    usage: u ? view(row, u) : null,
    lastDay: usage.lastDay(row.id),
    readError,
  };
}
