/**
 * Small real implementations of the rotation's ports, for the state machine's tests: a delivery
 * that writes real files to a temp folder (and a csr-inbox the test drops CSRs into), and an
 * evidence source backed by a list of requests the test says the edge saw. The real ports (folder,
 * ssh and csr-inbox targets; nginx's access log) have their own tests.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CoreContext } from '../../src/main/core/context.ts';
import { CertdeskError } from '../../src/main/core/errors.ts';
import type { CertificateUsage, DeliveryOutcome, DeliveryPort, EvidencePort } from '../../src/main/core/rotation/ports.ts';

function pem(der: Uint8Array): string {
  const b64 = Buffer.from(der).toString('base64');
  return `-----BEGIN CERTIFICATE-----\n${b64.replace(/.{64}/g, '$&\n').replace(/\n$/, '')}\n-----END CERTIFICATE-----\n`;
}

/** A certificate and its predecessors: a target added to one is inherited by its successors. */
function lineage(ctx: CoreContext, certificateId: string): string[] {
  const ids: string[] = [];
  for (let id: string | null = certificateId; id && !ids.includes(id);) {
    ids.push(id);
    id = ctx.certificates.get(id, ctx.clock.now())?.replacesId ?? null;
  }
  return ids;
}

/** Delivery to folders: `dir/<serial>/cert.pem` and `dir/current` naming the serial. */
export class FolderDelivery implements DeliveryPort {
  readonly folders = new Map<string, string>();
  readonly inboxes = new Map<string, string>();
  /** Every deliver() call, with the serial it found already current (skipped) or wrote. */
  readonly calls: { certificateId: string; outcome: 'wrote' | 'already-current' }[] = [];
  answered: { targetId: string; certificateId: string }[] = [];
  private readonly ctx: CoreContext;

  constructor(ctx: CoreContext) {
    this.ctx = ctx;
  }

  private folderOf(certificateId: string): string | undefined {
    return lineage(this.ctx, certificateId)
      .map((id) => this.folders.get(id))
      .find(Boolean);
  }

  targetCount(certificateId: string): number {
    return this.folderOf(certificateId) ? 1 : 0;
  }

  async deliver(certificateId: string): Promise<DeliveryOutcome> {
    const dir = this.folderOf(certificateId)!;
    const cert = this.ctx.certificates.get(certificateId, this.ctx.clock.now())!;
    const current = join(dir, 'current');
    if (existsSync(current) && readFileSync(current, 'utf8') === cert.serialHex) {
      this.calls.push({ certificateId, outcome: 'already-current' });
      return { kind: 'skip', detail: `the folder ${dir} already holds serial ${cert.serialHex}` };
    }
    try {
      mkdirSync(join(dir, cert.serialHex), { recursive: true });
      writeFileSync(join(dir, cert.serialHex, 'cert.pem'), pem(cert.certDer));
      writeFileSync(`${current}.tmp`, cert.serialHex);
      renameSync(`${current}.tmp`, current);
    } catch (cause) {
      throw new CertdeskError('VALIDATION', `The folder target ${dir} refused the release: ${(cause as Error).message}`, {
        field: 'target',
        cause,
      });
    }
    this.calls.push({ certificateId, outcome: 'wrote' });
    return { kind: 'done', detail: `delivered serial ${cert.serialHex} to ${dir}` };
  }

  csrInbox(certificateId: string): { targetId: string; dir: string } | null {
    const id = lineage(this.ctx, certificateId).find((c) => this.inboxes.has(c));
    return id ? { targetId: `inbox-${id}`, dir: this.inboxes.get(id)! } : null;
  }

  async inboxCsr(certificateId: string): Promise<{ csrPem: string; targetId: string } | null> {
    const inbox = this.csrInbox(certificateId);
    const file = inbox && join(inbox.dir, 'request.csr');
    if (!inbox || !file || !existsSync(file)) return null;
    return { csrPem: readFileSync(file, 'utf8'), targetId: inbox.targetId };
  }

  async answerInbox(targetId: string, certificateId: string): Promise<void> {
    const dir = [...this.inboxes.entries()].find(([id]) => `inbox-${id}` === targetId)![1];
    const cert = this.ctx.certificates.get(certificateId, this.ctx.clock.now())!;
    mkdirSync(join(dir, 'issued'), { recursive: true });
    writeFileSync(join(dir, 'issued', 'cert.pem'), pem(cert.certDer));
    rmSync(join(dir, 'request.csr'), { force: true });
    this.answered.push({ targetId, certificateId });
  }
}

interface Seen {
  certificateId: string;
  at: Date;
  status: number;
  path: string;
}

/** The edge's evidence as a list of requests the test records, each at certdesk's clock's now. */
export class MemoryEvidence implements EvidencePort {
  readonly seen: Seen[] = [];
  refreshes = 0;
  private readonly ctx: CoreContext;

  constructor(ctx: CoreContext) {
    this.ctx = ctx;
  }

  /** The edge saw this certificate: a token request (200) unless told otherwise. */
  request(certificateId: string, status = 200, path = '/oauth/token'): void {
    this.seen.push({ certificateId, at: this.ctx.clock.now(), status, path });
  }

  configured(): boolean {
    return true;
  }

  async refresh(): Promise<void> {
    this.refreshes += 1;
  }

  usage(certificateId: string): CertificateUsage | null {
    const mine = this.seen.filter((s) => s.certificateId === certificateId);
    if (mine.length === 0) return null;
    return {
      certificateId,
      firstSeen: mine[0]!.at.toISOString(),
      lastSeen: mine.at(-1)!.at.toISOString(),
      requests: mine.length,
      lastStatus: mine.at(-1)!.status,
    };
  }

  tokenSuccessesSince(certificateId: string, since: Date): number {
    return this.seen.filter(
      (s) => s.certificateId === certificateId && s.at >= since && s.path.endsWith('/oauth/token') && s.status >= 200 && s.status < 300,
    ).length;
  }

  requestsSince(certificateId: string, since: Date): number {
    return this.seen.filter((s) => s.certificateId === certificateId && s.at >= since).length;
  }
}
