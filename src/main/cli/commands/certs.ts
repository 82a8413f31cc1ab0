/** The certificate commands of the `certdesk` CLI: issue, sign, csr, renew, revoke, crl, export, list, show, and lint (`ca import` is in authorities.ts, `audit` in audit.ts). */
import { readFileSync } from 'node:fs';
import { Option, type Command } from 'commander';
import type {
  CertificateDetail,
  CertificateSummary,
  ChannelInput,
  KeyType,
  SanEntry,
  SubjectFields,
} from '../../../shared/contract/index.ts';
import { LIMITS } from '../../api/limits.ts';
import { checkChosenFile, writeChosenFile } from '../../core/files/chosen-file.ts';
import { issueInputFromTemplate } from '../../../shared/template-issue.ts';
import { wholeNumber } from '../numbers.ts';
import { CliFailure, type CliTools } from '../output.ts';
import {
  EXIT_FAILURE,
  EXPORT_FORMATS,
  KEY_TYPES,
  OFFERED_REVOCATION_REASONS,
  REVOCATION_REASONS,
  type RevocationReason,
} from '../../../shared/contract/index.ts';

const CERT_HELP = 'certificate id, hex serial or SHA-256 thumbprint';

/** Reads a file for an option; PEM stays text, anything binary (DER) becomes base64. */
export function readInput(path: string, field: string, tools: CliTools): string {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    tools.fail({
      code: 'NOT_FOUND',
      message: `Cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}.`,
      field,
    });
  }
  const text = bytes.toString('utf8');
  return text.includes('-----BEGIN') ? text : bytes.toString('base64');
}

export function parseSan(spec: string, previous: SanEntry[] = []): SanEntry[] {
  const colon = spec.indexOf(':');
  const type = spec.slice(0, colon).toLowerCase();
  // Unknown prefixes go through as-is and are refused by the schema with a named error.
  return [...previous, { type: type as SanEntry['type'], value: spec.slice(colon + 1) }];
}

const days = wholeNumber('days', LIMITS.certDays);

export interface SubjectOptions {
  cn?: string;
  o?: string;
  ou?: string;
  c?: string;
  san?: SanEntry[];
}

export function subjectOf(o: SubjectOptions): SubjectFields {
  return Object.fromEntries(
    Object.entries({ commonName: o.cn, organization: o.o, organizationalUnit: o.ou, country: o.c }).filter(([, v]) => v !== undefined),
  );
}

function describe(c: CertificateSummary | CertificateDetail): string {
  const lines = [
    `${c.commonName ?? c.subject}  [${c.id}]  ${c.status.toUpperCase()}`,
    `  subject   ${c.subject}`,
    `  issuer    ${c.issuerName}`,
    `  serial    ${c.serialHex}`,
    `  valid     ${c.notBefore} → ${c.notAfter}`,
    `  key       ${c.keyType} (${c.keyStorage})`,
    `  sha256    ${c.sha256Hex}`,
  ];
  if ('sha256Base64url' in c) {
    lines.push(`  x5t#S256  ${c.sha256Base64url}`, `  auth0 DN  ${c.subjectLines.replaceAll('\n', ' | ')}`);
    if (c.sans.length) lines.push(`  SANs      ${c.sans.map((s) => `${s.type}:${s.value}`).join(', ')}`);
    if (c.replacesId) lines.push(`  replaces  ${c.replacesId}`);
    if (c.replacedById) lines.push(`  replaced by ${c.replacedById}`);
    if (c.revokedAt) lines.push(`  revoked   ${c.revokedAt} (${c.revocationReason})`);
    lines.push(...c.lint.checks.map((k) => `  ${k.ok ? 'pass' : 'FAIL'}  ${k.message}${k.fix ? ` — ${k.fix}` : ''}`));
  }
  return `${lines.join('\n')}\n`;
}

export function registerCertCommands(program: Command, tools: CliTools): void {
  const { call, print } = tools;

  program
    .command('issue')
    .description('issue a client certificate with a key certdesk generates and seals')
    .option('--ca <ca>', 'issuing CA (id or name); required unless the template names one')
    .option('--template <name>', 'start from a saved template (certdesk template list); the options given here win')
    .option('--cn <cn>', 'subject common name')
    .option('--o <org>', 'subject organization')
    .option('--ou <unit>', 'subject organizational unit')
    .option('--c <cc>', 'subject country (two capital letters)')
    .option('--san <type:value>', 'subject alternative name, dns:…, uri:… or email:… (repeatable)', parseSan)
    .option('--days <n>', 'validity in days (profile default: 90)', days)
    .addOption(new Option('--key <type>', 'key type (profile default: ec-p256)').choices([...KEY_TYPES]))
    .option('--profile <name>', "issuance profile (default: auth0-mtls-client, or the template's)")
    .action(
      async (o: {
        ca?: string;
        template?: string;
        cn?: string;
        o?: string;
        ou?: string;
        c?: string;
        san?: SanEntry[];
        days?: number;
        key?: KeyType;
        profile?: string;
      }) => {
        let input: ChannelInput<'certs:issue'>;
        if (o.template) {
          const template = await call('templates:get', { name: o.template });
          input = issueInputFromTemplate(template, {
            subject: subjectOf(o),
            ...(o.ca ? { ca: o.ca } : {}),
            ...(o.san ? { sans: o.san } : {}),
            ...(o.days !== undefined ? { days: o.days } : {}),
            ...(o.key ? { keyType: o.key } : {}),
          });
          if (o.profile) input.profile = o.profile;
          if (!input.ca)
            tools.fail({
              code: 'VALIDATION',
              message: `Template "${template.name}" names no issuing CA: give one with --ca.`,
              field: 'ca',
            });
          input.progressId = 'cli';
        } else {
          if (!o.ca)
            tools.fail({
              code: 'VALIDATION',
              message: 'Give the issuing CA with --ca (id or name), or a template with --template.',
              field: 'ca',
            });
          input = {
            ca: o.ca,
            profile: o.profile ?? 'auth0-mtls-client',
            subject: subjectOf(o),
            source: o.key ? { kind: 'generated', keyType: o.key } : { kind: 'generated' },
            progressId: 'cli',
          };
          if (o.san) input.sans = o.san;
          if (o.days !== undefined) input.days = o.days;
        }
        const cert = await call('certs:issue', input);
        print(cert, () => `Issued\n${describe(cert)}`);
      },
    );

  program
    .command('sign')
    .description('sign a PKCS#10 CSR (PEM or DER file); the key stays with the client, the subject is yours to give')
    .requiredOption('--ca <ca>', 'issuing CA (id or name)')
    .requiredOption('--csr <file>', 'the CSR file')
    .option('--cn <cn>', "subject common name (the CSR's own subject is not used unless --use-csr-subject)")
    .option('--o <org>', 'subject organization')
    .option('--ou <unit>', 'subject organizational unit')
    .option('--c <cc>', 'subject country (two capital letters)')
    .option('--san <type:value>', "subject alternative name, dns:…, uri:… or email:… (repeatable; default: the CSR's)", parseSan)
    .option('--use-csr-subject', "put the CSR's own subject in the certificate (read it first with `certdesk csr <file>`)")
    .option('--days <n>', 'validity in days (profile default: 90)', days)
    .option('--profile <name>', 'issuance profile', 'auth0-mtls-client')
    .action(async (o: SubjectOptions & { ca: string; csr: string; useCsrSubject?: boolean; days?: number; profile: string }) => {
      const csr = readInput(o.csr, 'csr', tools);
      const subject = subjectOf(o);
      const given = Object.keys(subject).length > 0 || o.san !== undefined;
      if (given === (o.useCsrSubject === true))
        tools.fail({
          code: given ? 'VALIDATION' : 'SUBJECT_MISSING',
          message: given
            ? 'Give either the subject (--cn, --o, --ou, --c, --san) or --use-csr-subject, not both.'
            : "Give the certificate's subject with --cn (and --o, --ou, --c), or confirm the CSR's own with --use-csr-subject after reading it (`certdesk csr FILE`): a CSR's subject is never used unasked.",
          field: 'subject',
        });
      const input: ChannelInput<'certs:issue'> = {
        ca: o.ca,
        profile: o.profile,
        source: { kind: 'csr', csr, ...(o.useCsrSubject ? { useCsrSubject: true } : {}) },
        progressId: 'cli',
      };
      if (Object.keys(subject).length > 0) input.subject = subject;
      if (o.san) input.sans = o.san;
      if (o.days !== undefined) input.days = o.days;
      const cert = await call('certs:issue', input);
      print(cert, () => `Signed\n${describe(cert)}`);
    });

  program
    .command('csr')
    .description('show what a CSR asks for (subject, SANs, key) without signing anything')
    .argument('<file>', 'the CSR file (PEM or DER)')
    .action(async (file: string) => {
      const view = await call('certs:inspect-csr', { csr: readInput(file, 'csr', tools) });
      print(view, () =>
        [
          `subject   ${view.subject || '(empty)'}`,
          `SANs      ${view.sans.map((s) => `${s.type}:${s.value}`).join(', ') || '(none)'}`,
          `key       ${view.keyType}`,
          ...(view.otherAttributes.length ? [`also      ${view.otherAttributes.join(', ')} (kept only with --use-csr-subject)`] : []),
          '',
        ].join('\n'),
      );
    });

  program
    .command('renew')
    .description('renew a certificate: a new key by default, the same subject and SANs, linked to the old one')
    .argument('<cert>', CERT_HELP)
    .option('--same-key', 'keep the current key instead of re-keying')
    .option('--days <n>', 'validity in days', days)
    .action(async (cert: string, o: { sameKey?: boolean; days?: number }) => {
      const input: ChannelInput<'certs:renew'> = { cert, sameKey: o.sameKey === true, progressId: 'cli' };
      if (o.days !== undefined) input.days = o.days;
      const renewed = await call('certs:renew', input);
      print(renewed, () => `Renewed\n${describe(renewed)}`);
    });

  program
    .command('revoke')
    .description('revoke a certificate (then publish a new CRL with `certdesk crl`)')
    .argument('<cert>', CERT_HELP)
    .addOption(
      new Option('--reason <reason>', `RFC 5280 reason: ${OFFERED_REVOCATION_REASONS.join(', ')}`)
        // certificateHold is parsed, not offered: the core refuses it by name (REVOCATION_REASON_UNSUPPORTED), in --json too.
        .argParser(revocationReason)
        .default('unspecified'),
    )
    .action(async (cert: string, o: { reason: (typeof REVOCATION_REASONS)[number] }) => {
      const revoked = await call('certs:revoke', { cert, reason: o.reason });
      print(revoked, () => `Revoked\n${describe(revoked)}`);
    });

  program
    .command('crl')
    .description('sign a new CRL for a CA (PEM, label X509 CRL)')
    .requiredOption('--ca <ca>', 'CA id or name')
    .option('--out <file>', 'write the PEM here instead of stdout, in an existing folder')
    .option('--force', 'replace --out if it already exists')
    .action(async (o: { ca: string; out?: string; force?: boolean }) => {
      // Checked before signing: a refused --out leaves no new CRL (and no spent CRL number) behind.
      const target = { field: 'out', replace: o.force === true, replaceHint: 'pass --force' };
      if (o.out) checkChosenFile(o.out, target);
      const crl = await call('crl:generate', { ca: o.ca });
      const written = o.out ? writeChosenFile(o.out, crl.pem, { ...target, private: false }) : null;
      print(written ? { ...crl, writtenTo: written } : crl, () =>
        written ? `CRL #${crl.crlNumber} (${crl.revokedCount} revoked, next update ${crl.nextUpdate}) written to ${written}\n` : crl.pem,
      );
    });

  program
    .command('export')
    .description('export a certificate, its chain, a PKCS#12 or the encrypted private key')
    .argument('<cert>', CERT_HELP)
    .addOption(new Option('--format <format>', 'what to export').choices([...EXPORT_FORMATS]).makeOptionMandatory())
    .option('--out <file>', 'output file in an existing folder (required for der, p12 and key)')
    .option('--force', 'replace --out if it already exists')
    .option('--passphrase-env <var>', 'environment variable with the passphrase for p12/key', 'CERTDESK_EXPORT_PASSPHRASE')
    .action(async (cert: string, o: { format: (typeof EXPORT_FORMATS)[number]; out?: string; force?: boolean; passphraseEnv: string }) => {
      const input: ChannelInput<'certs:export'> = { cert, format: o.format };
      if (o.format === 'p12' || o.format === 'key') {
        const passphrase = tools.env[o.passphraseEnv];
        if (passphrase === undefined)
          tools.fail({
            code: 'PASSPHRASE_TOO_SHORT',
            message: `An export with the private key needs a passphrase: set it in ${o.passphraseEnv}.`,
            field: 'passphrase',
          });
        if (!o.out)
          tools.fail({
            code: 'VALIDATION',
            message: `--out is required for ${o.format}: the key is written to a file, never to the terminal.`,
            field: 'out',
          });
        input.passphrase = passphrase;
      } else if (o.format === 'der' && !o.out) {
        tools.fail({ code: 'VALIDATION', message: '--out is required for der (binary output).', field: 'out' });
      }
      // The operator names --out, so it stays; but its folder must exist, and a file there is replaced only with --force.
      const target = o.out ? { field: 'out', replace: o.force === true, replaceHint: 'pass --force' } : undefined;
      if (o.out && target) checkChosenFile(o.out, target);
      const result = await call('certs:export', input);
      const bytes = Buffer.from(result.contentBase64 ?? '', 'base64');
      if (!o.out || !target) {
        print(result, () => bytes.toString('utf8'));
        return;
      }
      const written = writeChosenFile(o.out, bytes, { ...target, private: result.containsKey });
      // A key goes to its file only, never also to the terminal.
      const { contentBase64, ...withoutKey } = result;
      print({ ...(result.containsKey ? withoutKey : { ...withoutKey, contentBase64 }), writtenTo: written }, () => `Wrote ${written}\n`);
    });

  program
    .command('list')
    .description('list certificates in the inventory')
    .addOption(new Option('--status <status>', 'only this status').choices(['active', 'superseded', 'revoked', 'expired']))
    .option(
      '--expiring-within <days>',
      'only certificates that expire within DAYS',
      wholeNumber('expiring-within', LIMITS.expiringWithinDays),
    )
    .option('--search <text>', 'match CN, subject, SAN, serial or thumbprint')
    .option('--issuer <ca>', 'only certificates of this CA')
    .option('--limit <n>', 'at most N rows', wholeNumber('limit', LIMITS.listLimit), 100)
    .action(async (o: { status?: 'active'; expiringWithin?: number; search?: string; issuer?: string; limit: number }) => {
      const q: ChannelInput<'certs:list'> = { limit: o.limit };
      if (o.status) q.status = o.status;
      if (o.expiringWithin !== undefined) q.expiringWithinDays = o.expiringWithin;
      if (o.search) q.search = o.search;
      if (o.issuer) q.issuer = o.issuer;
      const page = await call('certs:list', q);
      print(page, () =>
        page.items.length ? `${page.items.map(describe).join('\n')}\n${page.items.length} of ${page.total}\n` : 'No certificates match.\n',
      );
    });

  program
    .command('show')
    .description('show one certificate: both DN forms, thumbprints, lineage and the lint checklist')
    .argument('<cert>', CERT_HELP)
    .action(async (cert: string) => {
      const detail = await call('certs:get', { cert });
      print(detail, () => describe(detail));
    });

  program
    .command('lint')
    .description('check any certificate file against the mTLS client checklist')
    .argument('<file>', 'PEM or DER certificate')
    .action(async (file: string) => {
      const result = await call('certs:lint', { pem: readInput(file, 'file', tools) });
      print(
        result,
        () => `${result.checks.map((k) => `${k.ok ? 'pass' : 'FAIL'}  ${k.message}${k.fix ? ` — ${k.fix}` : ''}`).join('\n')}\n`,
      );
      if (!result.ok) tools.setExitCode(EXIT_FAILURE);
    });
}

function revocationReason(text: string): RevocationReason {
  if ((REVOCATION_REASONS as readonly string[]).includes(text)) return text as RevocationReason;
  throw new CliFailure({
    code: 'VALIDATION',
    message: `--reason must be one of ${OFFERED_REVOCATION_REASONS.join(', ')}; got "${text}".`,
    field: 'reason',
  });
}
