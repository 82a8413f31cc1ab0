import type { CoreContext } from '../context.ts';
import { CertdeskError } from '../errors.ts';
import type { CertificateUsage, EvidencePort } from '../rotation/ports.ts';
import { EdgeUsageRepository, type UsageHour } from '../store/edge-usage-repository.ts';
import { SettingsRepository } from '../store/settings-repository.ts';
import { readNewLines, type ReadOutcome } from './access-log-reader.ts';
import { LocalLogSource, type LogSource } from './log-source.ts';
import { ACCESS_LOG_SSH, prepareSshLogSource, readSshLogConfig, sshLogEndpoint, type SshLogSetup } from './ssh-log-config.ts';
import { SshLogSource } from './ssh-log-source.ts';
import { CertificateMatcher, UsageTally } from './usage-tally.ts';
import { requireNetwork } from '../workstation/role-guard.ts';

/** The setting naming the edge's access log on this machine (absolute); unset: no evidence source. */
export const ACCESS_LOG_READ_PATH = 'edge.accessLogReadPath';

/** What one read of one log did. */
export interface SourceRead extends Omit<ReadOutcome, 'position'> {
  source: string;
  /** Certificates certdesk holds, and certificates it does not, seen in this read. */
  certificates: number;
  unknown: number;
  anonymous: number;
}

/**
 * Evidence of use from the edge's access log: the EvidencePort the rotation asks before it retires
 * an old credential. Reads each configured log from where it stopped and keeps per-certificate totals.
 */
export class EdgeUsage implements EvidencePort {
  readonly repository: EdgeUsageRepository;
  private readonly settings: SettingsRepository;
  /** One read at a time: two at once would both start from the same stored offset and count twice. */
  private running: Promise<unknown> = Promise.resolve();
  private readonly ctx: CoreContext;
  private readonly sourcesOverride: (() => LogSource[]) | undefined;

  /** `sources`: the logs to read instead of the configured one (tests). */
  constructor(ctx: CoreContext, sources?: () => LogSource[]) {
    this.ctx = ctx;
    this.sourcesOverride = sources;
    this.repository = new EdgeUsageRepository(ctx.db);
    this.settings = new SettingsRepository(ctx.db);
  }

  /** The configured source: the read path on this machine, or the ssh source's `ssh://user@host:port/path`; or null. */
  readPath(): string | null {
    return readSshLogConfig(this.ctx)?.id ?? this.settings.get(ACCESS_LOG_READ_PATH) ?? null;
  }

  /** Whether reading needs the vault (an ssh source's client key is in it). */
  needsVault(): boolean {
    return this.settings.get(ACCESS_LOG_SSH) !== undefined;
  }

  /**
   * Reads the edge's log over ssh from now on, instead of a path on this machine: an operator path
   * only (the CLI), with the audit key awaited and the vault unlocked. Audited.
   */
  async setSshSource(url: string, hostKey: string): Promise<SshLogSetup> {
    requireNetwork(this.ctx.db, "reading the edge's access log over ssh");
    const { setup, row, audit } = await prepareSshLogSource(this.ctx, url, hostKey);
    this.ctx.db
      .transaction(() => {
        this.ctx.db.prepare('DELETE FROM settings WHERE key = ?').run(ACCESS_LOG_READ_PATH);
        this.settings.set(ACCESS_LOG_SSH, row);
        this.ctx.audit.append('edge.usage.source', null, audit);
      })
      .immediate();
    return setup;
  }

  setReadPath(path: string | null): void {
    if (path !== null && !path.startsWith('/'))
      throw new CertdeskError('VALIDATION', `source: ${path} is not an absolute path; name the access log's full path on this machine.`, {
        field: 'source',
      });
    // Which file certdesk reads decides what a rotation takes as evidence: the change is audited.
    this.ctx.db
      .transaction(() => {
        // One source at a time: a local path replaces an ssh source, and clearing clears both.
        this.ctx.db.prepare('DELETE FROM settings WHERE key IN (?, ?)').run(ACCESS_LOG_READ_PATH, ACCESS_LOG_SSH);
        if (path !== null) this.settings.set(ACCESS_LOG_READ_PATH, path);
        this.ctx.audit.append('edge.usage.source', null, { path });
      })
      .immediate();
  }

  sources(): LogSource[] {
    if (this.sourcesOverride) return this.sourcesOverride();
    const ssh = readSshLogConfig(this.ctx);
    // A row that does not hold is still a source: reading it fails, named, before any connection (sshLogEndpoint).
    if (ssh !== null)
      return [
        new SshLogSource(ssh.id, ssh.config.path, () => {
          requireNetwork(this.ctx.db, "reading the edge's access log over ssh");
          return sshLogEndpoint(this.ctx);
        }),
      ];
    const path = this.settings.get(ACCESS_LOG_READ_PATH) ?? null;
    return path === null ? [] : [new LocalLogSource(path)];
  }

  configured(): boolean {
    return this.sources().length > 0;
  }

  async refresh(): Promise<void> {
    await this.read();
  }

  /** Reads what each configured log gained since the last read, and says what each read did. */
  async read(): Promise<SourceRead[]> {
    const run = this.running.then(() => this.readAll());
    this.running = run.catch(() => undefined);
    return run;
  }

  private async readAll(): Promise<SourceRead[]> {
    const reads: SourceRead[] = [];
    for (const source of this.sources()) {
      const tally = new UsageTally(new CertificateMatcher(this.ctx.db));
      const outcome = await readLog(source, this.repository.position(source.id), tally);
      if (outcome.position !== null)
        this.repository.record(
          source.id,
          outcome.position,
          tally,
          { lines: outcome.lines, skipped: outcome.skipped },
          this.ctx.clock.now(),
        );
      reads.push(summary(source.id, outcome, tally));
    }
    return reads;
  }

  /** Reads one log whole, from its start, and returns its totals without storing anything. */
  async readOnce(source: LogSource): Promise<{ found: boolean; read: SourceRead; tally: UsageTally }> {
    const tally = new UsageTally(new CertificateMatcher(this.ctx.db));
    const outcome = await readLog(source, null, tally);
    return { found: outcome.position !== null, read: summary(source.id, outcome, tally), tally };
  }

  usage(certificateId: string): CertificateUsage | null {
    const u = this.repository.usage(certificateId);
    if (u === null) return null;
    const { tokenSuccesses: _tokenSuccesses, ...usage } = u;
    return usage;
  }

  tokenSuccessesSince(certificateId: string, since: Date): number {
    return this.repository.countSince(certificateId, since, 'token_successes');
  }

  requestsSince(certificateId: string, since: Date): number {
    // The minutes count whole minutes, so a quiet period shorter than one would never end; the last
    // time seen is exact (to nginx's whole second, hence the extra second), and says "none since" first.
    const usage = this.repository.usage(certificateId);
    if (!usage || Date.parse(usage.lastSeen) + 999 < since.getTime()) return 0;
    return Math.max(1, this.repository.countSince(certificateId, since, 'requests'));
  }

  /** Requests per hour over the last day, oldest first, for the chart. */
  lastDay(certificateId: string): UsageHour[] {
    const now = this.ctx.clock.now();
    return this.repository.hours(certificateId, new Date(now.getTime() - 23 * 3600_000), now);
  }
}

async function readLog(source: LogSource, from: Parameters<typeof readNewLines>[1], tally: UsageTally): Promise<ReadOutcome> {
  try {
    return await readNewLines(source, from, (request) => tally.add(request));
  } catch (cause) {
    if (cause instanceof CertdeskError) throw cause;
    const code = (cause as NodeJS.ErrnoException).code ?? (cause as Error).message;
    throw new CertdeskError(
      'EDGE_LOG_UNREADABLE',
      `Cannot read the edge access log ${source.id} (${code}). Let certdesk's user read it (for example, add it to the adm group), or set another path with certdesk usage --source.`,
      { field: 'source', cause },
    );
  }
}

function summary(source: string, outcome: ReadOutcome, tally: UsageTally): SourceRead {
  return {
    source,
    lines: outcome.lines,
    skipped: outcome.skipped,
    restarted: outcome.restarted,
    certificates: tally.certificates.size,
    unknown: tally.unknown.size,
    anonymous: tally.anonymous,
  };
}
