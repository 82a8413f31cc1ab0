/** `certdesk usage`: evidence of use from the edge's access log, per certificate. */
import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { UsageReport } from '../../../shared/contract/index.ts';
import { probeHostKey } from '../../core/delivery/ssh-connect.ts';
import type { SshLogSetup } from '../../core/evidence/ssh-log-config.ts';
import { parseSshLogUrl } from '../../core/evidence/ssh-log-config.ts';
import type { CliTools } from '../output.ts';

const when = (iso: string) => iso.slice(0, 19).replace('T', ' ');

function human(report: UsageReport): string {
  const out: string[] = [];
  if (!report.configured && report.reads.length === 0)
    out.push('No edge access log is configured. Set one with: certdesk usage --source PATH (the --access-log of certdesk edge export).');
  for (const r of report.reads)
    out.push(
      `Read ${r.source}: ${r.lines} line(s)${r.skipped ? `, ${r.skipped} skipped (not certdesk's format)` : ''}${r.restarted === 'new-file' ? ', from the start of a new file (rotated)' : r.restarted === 'truncated' ? ', from the start (the file was truncated)' : ''}${r.anonymous ? `, ${r.anonymous} without a client certificate` : ''}`,
    );
  if (report.certificates.length === 0) out.push('No certificate of certdesk has been seen at the edge.');
  else {
    out.push(`${'LAST SEEN'.padEnd(20)} ${'REQUESTS'.padStart(8)} ${'TOKEN OK'.padStart(8)} LAST  ${'STATUS'.padEnd(10)} CERTIFICATE`);
    for (const c of report.certificates)
      out.push(
        `${when(c.lastSeen).padEnd(20)} ${String(c.requests).padStart(8)} ${String(c.tokenSuccesses).padStart(8)} ${String(c.lastStatus).padEnd(5)} ${c.status.padEnd(10)} ${c.name} (serial ${c.serialHex})`,
      );
  }
  if (report.unknown.length > 0) {
    out.push(`Seen at the edge but not in certdesk (${report.unknown.length}):`);
    for (const u of report.unknown)
      out.push(`  serial ${u.serialHex}  issuer ${u.issuer}  ${u.requests} request(s), last ${when(u.lastSeen)}`);
  }
  return `${out.join('\n')}\n`;
}

/** What `usage --source ssh://…` prints: no key material beyond the public line the host needs. */
function sshSetupView(setup: SshLogSetup) {
  return {
    source: setup.source,
    hostKey: setup.hostKey,
    authorizedKey: setup.authorizedKey,
    clientKeyFingerprint: setup.fingerprint,
    clientKeyReused: setup.clientKeyReused,
  };
}

function sshSetupHuman(setup: SshLogSetup): string {
  const { user, host } = parseSshLogUrl(setup.source);
  return [
    `certdesk reads the edge access log over ssh from now on: ${setup.source}`,
    `  host key (pinned): ${setup.hostKey}`,
    `Add this line to ~${user}/.ssh/authorized_keys on ${host} (${setup.clientKeyReused ? 'the same key as before' : 'a new key'}):`,
    `  ${setup.authorizedKey}`,
    'To let it only read over SFTP, put restrict,command="/usr/lib/openssh/sftp-server -R" before it (the sftp-server path as on the host).',
    'Then run: certdesk usage',
    '',
  ].join('\n');
}

/** `--source ssh://…` without `--host-key`: shows what the host presents, for the operator to confirm there, and stops. */
async function needHostKey(url: string, tools: CliTools): Promise<never> {
  const { host, port } = parseSshLogUrl(url);
  await tools.requireNetwork("reading the edge's access log over ssh");
  const seen = await probeHostKey(host, port).catch(() => null);
  return tools.fail({
    code: 'VALIDATION',
    message: `An ssh source needs --host-key SHA256:…, the host's key fingerprint.${seen ? ` ${host}:${port} presents ${seen.fingerprint} (${seen.algorithm}): confirm it on the host (ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub) before passing it.` : ''} Nothing was stored.`,
    field: 'hostKey',
  });
}

export function registerUsageCommand(program: Command, tools: CliTools): void {
  program
    .command('usage')
    .description("what the edge's access log shows of each certificate: first and last seen, requests, last status, token successes")
    .argument('[cert]', 'only this certificate (id, serial or thumbprint)')
    .option('--log <file>', 'read this access log once, from its start, without storing anything')
    .option(
      '--source <path|url>',
      "the edge's access log, read from now on: a path on this machine, or ssh://USER@HOST[:PORT]/PATH on the edge machine (certdesk edge export --access-log)",
    )
    .option('--host-key <SHA256:…>', "with an ssh:// source: the host key's fingerprint, pinned")
    .option('--clear-source', 'stop reading an access log')
    .action(async (cert: string | undefined, o: { log?: string; source?: string; hostKey?: string; clearSource?: boolean }) => {
      if (o.source !== undefined || o.clearSource) {
        if (o.source !== undefined && o.clearSource)
          tools.fail({ code: 'VALIDATION', message: 'Give either --source or --clear-source, not both.', field: 'source' });
        if (o.source?.startsWith('ssh://')) {
          if (o.hostKey === undefined) await needHostKey(o.source, tools);
          // Nothing is read now: the host does not know the client key until the operator adds its line.
          const setup = await tools.usageSshSource(o.source, o.hostKey!);
          tools.print(sshSetupView(setup), () => sshSetupHuman(setup));
          return;
        }
        if (o.hostKey !== undefined)
          tools.fail({ code: 'VALIDATION', message: '--host-key belongs to an ssh:// source only.', field: 'hostKey' });
        await tools.usageSource(o.clearSource ? null : resolve(o.source!));
      }
      if (o.log !== undefined) {
        const report = await tools.usageOfFile(resolve(o.log));
        const only =
          cert === undefined ? report : { ...report, certificates: report.certificates.filter((c) => matches(c, cert)), unknown: [] };
        tools.print(only, () => human(only));
        return;
      }
      const report = await tools.call('usage:list', cert === undefined ? {} : { cert });
      tools.print(report, () => human(report));
    });
}

/** A reference as `certs:get` takes it, for a file read outside the store: id, serial or SHA-256. */
function matches(c: { certificateId: string; serialHex: string }, ref: string): boolean {
  const r = ref.toLowerCase().replace(/:/g, '');
  return c.certificateId === ref || c.serialHex === r;
}
