/**
 * `certdesk request …` on a publisher: requests for the offline signer, queued for the next bundle
 * (`certdesk bundle export`). `certdesk bundle send-ca` is the signer's side: its CA certificates.
 */
import { Option, type Command } from 'commander';
import {
  KEY_TYPES,
  OFFERED_REVOCATION_REASONS,
  type KeyType,
  type RevocationReason,
  type SanEntry,
} from '../../../shared/contract/index.ts';
import { LIMITS } from '../../api/limits.ts';
import type { OutgoingRequest } from '../../core/offline/outgoing-requests.ts';
import type { SignRequestInput } from '../../core/offline/requests.ts';
import { wholeNumber } from '../numbers.ts';
import type { CliTools } from '../output.ts';
import { parseSan, readInput, subjectOf, type SubjectOptions } from './certs.ts';

const NEXT = 'Queued for the signer: write the bundle with certdesk bundle export --out FILE.';

function listText(requests: OutgoingRequest[]): string {
  if (requests.length === 0) return 'No request has been made for the offline signer.\n';
  return `${requests
    .map((r) => {
      const what = r.kind === 'sign-request' ? `${r.kind} (${r.purpose})` : r.kind;
      const outcome = r.state === 'refused' ? ` — ${r.refusalCode}: ${r.refusalReason}` : r.certificateId ? ` → ${r.certificateId}` : '';
      return `${r.requestId}  ${r.state.padEnd(9)} ${what}, made ${r.createdAt}${outcome}`;
    })
    .join('\n')}\n`;
}

export function registerRequestCommands(program: Command, tools: CliTools): void {
  const request = program.command('request').description("a publisher's requests for the offline signer, queued for the next bundle");
  const days = wholeNumber('days', LIMITS.certDays);

  const sign = async (input: SignRequestInput) => {
    const queued = await (await tools.offline()).requestSignature(input);
    tools.print(
      queued,
      () =>
        `Request ${queued.requestId}: sign ${queued.item.purpose}, ${queued.item.profile}, ${queued.item.validityDays} days.\n${NEXT}\n`,
    );
  };

  request
    .command('issue')
    .description('ask the signer for a new client certificate: the key is made and sealed here (or give the workload CSR with --csr)')
    .requiredOption('--ca <ca>', 'issuing CA (id or name), as held here without its key')
    .option('--cn <cn>', 'subject common name')
    .option('--o <org>', 'subject organization')
    .option('--ou <unit>', 'subject organizational unit')
    .option('--c <cc>', 'subject country (two capital letters)')
    .option('--san <type:value>', 'subject alternative name, dns:…, uri:… or email:… (repeatable)', parseSan)
    .option('--days <n>', 'validity in days (profile default: 90)', days)
    .addOption(new Option('--key <type>', 'key type (profile default: ec-p256)').choices([...KEY_TYPES]))
    .option('--csr <file>', "the workload's CSR (PEM or DER); no key is made here")
    .option('--profile <name>', 'issuance profile', 'auth0-mtls-client')
    .option('--note <text>', 'shown to the operator at the signer', '')
    .action(async (o: SubjectOptions & { ca: string; days?: number; key?: KeyType; csr?: string; profile: string; note: string }) => {
      const subject = subjectOf(o);
      const input: SignRequestInput = {
        purpose: 'issue',
        ca: o.ca,
        profile: o.profile,
        note: o.note,
        // A CSR carries its subject: an empty one must not count as "given", or every --csr request is refused.
        ...(o.csr === undefined || Object.keys(subject).length > 0 ? { subject } : {}),
        source: o.csr
          ? { kind: 'csr', csr: readInput(o.csr, 'csr', tools) }
          : o.key
            ? { kind: 'generated', keyType: o.key }
            : { kind: 'generated' },
      };
      if (o.san) input.sans = o.san satisfies SanEntry[];
      if (o.days !== undefined) input.days = o.days;
      await sign(input);
    });

  request
    .command('renew')
    .description('ask the signer for the successor of a certificate: same subject and SANs, a new key made here (or the CSR given)')
    .argument('<cert>', 'certificate id, hex serial or SHA-256 thumbprint')
    .option('--days <n>', 'validity in days', days)
    .option('--csr <file>', "the workload's new CSR (PEM or DER)")
    .option('--note <text>', 'shown to the operator at the signer', '')
    .action(async (cert: string, o: { days?: number; csr?: string; note: string }) => {
      const input: SignRequestInput = {
        purpose: 'renew',
        predecessor: cert,
        note: o.note,
        source: o.csr ? { kind: 'csr', csr: readInput(o.csr, 'csr', tools) } : { kind: 'generated' },
      };
      if (o.days !== undefined) input.days = o.days;
      await sign(input);
    });

  request
    .command('revoke')
    .description('ask the signer to revoke a certificate; its answer carries the new CRLs')
    .argument('<cert>', 'certificate id, hex serial or SHA-256 thumbprint')
    .addOption(new Option('--reason <reason>', 'RFC 5280 reason').choices([...OFFERED_REVOCATION_REASONS]).default('unspecified'))
    .option('--note <text>', 'shown to the operator at the signer', '')
    .action(async (cert: string, o: { reason: RevocationReason; note: string }) => {
      const queued = (await tools.offline()).requestRevocation({ cert, reason: o.reason, note: o.note });
      tools.print(queued, () => `Request ${queued.requestId}: revoke serial ${queued.item.serial} (${queued.item.reason}).\n${NEXT}\n`);
    });

  request
    .command('crl')
    .description('ask the signer for a pre-signed CRL series, so the edge has a fresh CRL on time while the signer stays offline')
    .argument('<ca>', 'the CA (id or name)')
    .option('--count <n>', 'how many CRLs', wholeNumber('count', { min: 1, max: 60 }), 8)
    .option('--period-hours <n>', 'how long each is the current one', wholeNumber('period-hours', { min: 4, max: 744 }), 168)
    .option('--from <time>', "the first CRL's thisUpdate (ISO 8601); default: when the signer signs")
    .option('--note <text>', 'shown to the operator at the signer', '')
    .action(async (ca: string, o: { count: number; periodHours: number; from?: string; note: string }) => {
      const queued = (await tools.offline()).requestCrlSeries({
        ca,
        count: o.count,
        periodHours: o.periodHours,
        from: o.from ?? null,
        note: o.note,
      });
      tools.print(queued, () => `Request ${queued.requestId}: ${queued.item.count} CRLs of ${queued.item.periodHours} h.\n${NEXT}\n`);
    });

  request
    .command('list')
    .description('every request made for the signer, and what became of it')
    .action(async () => {
      const requests = (await tools.offline()).requests();
      tools.print(requests, () => listText(requests));
    });
}

export function registerSendCaCommand(transfer: Command, tools: CliTools): void {
  transfer
    .command('send-ca')
    .description("a signer's CA certificates (not keys) for the publisher, queued for the next bundle")
    .argument('[ca]', 'one CA (id or name); default: every CA, roots first')
    .action(async (ca: string | undefined) => {
      const queued = (await tools.offline()).sendCaCertificates(ca);
      tools.print(
        queued,
        () => `Queued ${queued.map((q) => q.ca).join(', ')}.\nWrite the bundle with certdesk bundle export --out FILE.\n`,
      );
    });
}
