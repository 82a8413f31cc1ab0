/** `certdesk ca create|list|import|retire|reinstate|revoke`: the root and issuing certificate authorities. */
import { Option, type Command } from 'commander';
import type { AuthorityView, CaRevocationReason, ChannelInput } from '../../../shared/contract/index.ts';
import { CA_KEY_TYPES, CA_REVOCATION_REASONS } from '../../../shared/contract/index.ts';
import { LIMITS } from '../../api/limits.ts';
import { wholeNumber } from '../numbers.ts';
import type { CliTools } from '../output.ts';
import { readInput } from './certs.ts';

function describeAuthority(a: AuthorityView): string {
  const fp = a.sha256Hex.toUpperCase().match(/../g)?.join(':') ?? '';
  return [
    `${a.kind === 'root' ? 'Root   ' : 'Issuing'}  ${a.name}  [${a.id}]`,
    `  subject   ${a.subject}`,
    `  key       ${a.keyType}`,
    `  valid     ${a.notBefore} → ${a.notAfter}`,
    `  sha256    ${fp}`,
    ...(a.urls.crlUrl ? [`  crl url   ${a.urls.crlUrl}`] : []),
    ...(a.urls.caIssuersUrl ? [`  issuers   ${a.urls.caIssuersUrl}`] : []),
    ...(a.urls.ocspUrl ? [`  ocsp      ${a.urls.ocspUrl}`] : []),
    '',
  ].join('\n');
}

export function registerAuthorityCommands(program: Command, tools: CliTools): void {
  const ca = program.command('ca').description('certificate authorities: create, import and list the root and issuing CAs');
  ca.command('create')
    .description('create a root CA, or an issuing CA below --parent')
    .requiredOption('--name <name>', 'the CA name, used as the subject CN')
    .addOption(new Option('--key <type>', 'key type').choices([...CA_KEY_TYPES]).default('ec-p256'))
    .option('--years <n>', 'validity in whole years (default 10 for a root, 5 for an issuing CA)', wholeNumber('years', LIMITS.caYears))
    .option('--parent <ca>', 'id or name of the root that signs this issuing CA')
    .option('--org <organization>', 'subject O')
    .option('--country <cc>', 'subject C, two capital letters')
    .option('--crl-url <url>', 'CRL distribution point (http/https) put in the leaves it issues')
    .option('--ca-issuers-url <url>', "where the CA's certificate is published (AIA caIssuers) in the leaves it issues")
    .option('--ocsp-url <url>', 'OCSP responder (AIA) in the leaves it issues; only if you run one')
    .action(
      async (opts: {
        name: string;
        key: (typeof CA_KEY_TYPES)[number];
        years?: number;
        parent?: string;
        org?: string;
        country?: string;
        crlUrl?: string;
        caIssuersUrl?: string;
        ocspUrl?: string;
      }) => {
        const input: ChannelInput<'ca:create'> = { name: opts.name, keyType: opts.key, progressId: 'cli' };
        if (opts.years !== undefined) input.years = opts.years;
        if (opts.parent !== undefined) input.parent = opts.parent;
        if (opts.org !== undefined) input.organization = opts.org;
        if (opts.country !== undefined) input.country = opts.country;
        if (opts.crlUrl !== undefined) input.crlUrl = opts.crlUrl;
        if (opts.caIssuersUrl !== undefined) input.caIssuersUrl = opts.caIssuersUrl;
        if (opts.ocspUrl !== undefined) input.ocspUrl = opts.ocspUrl;
        const created = await tools.call('ca:create', input);
        tools.print(created, () => `Created ${created.kind} CA "${created.name}" (${created.id})\n${describeAuthority(created)}`);
      },
    );
  ca.command('list')
    .description('list the certificate authorities')
    .action(async () => {
      const list = await tools.call('ca:list', {});
      tools.print(list, () =>
        list.length
          ? list.map(describeAuthority).join('\n')
          : 'No certificate authorities yet. Create one with: certdesk ca create --name "My Root CA"\n',
      );
    });
  ca.command('import')
    .description('import an existing CA certificate with its private key (PKCS#8, PKCS#1 or SEC1, encrypted or not)')
    .requiredOption('--cert <file>', 'CA certificate (PEM or DER)')
    .requiredOption('--key <file>', 'its private key')
    .option('--key-passphrase-env <var>', 'environment variable holding the key passphrase')
    .option('--name <name>', 'name in certdesk (default: the subject CN)')
    .action(async (o: { cert: string; key: string; keyPassphraseEnv?: string; name?: string }) => {
      const input: ChannelInput<'ca:import'> = { certPem: readInput(o.cert, 'cert', tools), keyPem: readInput(o.key, 'key', tools) };
      if (o.keyPassphraseEnv) {
        const pass = tools.env[o.keyPassphraseEnv];
        if (pass === undefined)
          tools.fail({ code: 'VALIDATION', message: `The environment variable ${o.keyPassphraseEnv} is not set.`, field: 'keyPassphrase' });
        input.keyPassphrase = pass;
      }
      if (o.name) input.name = o.name;
      const imported = await tools.call('ca:import', input);
      tools.print(imported, () => `Imported ${imported.kind} CA "${imported.name}" (${imported.id})\n`);
    });

  ca.command('urls')
    .description('set the CRL distribution point and AIA URLs leaves issued under a CA carry from now on (audited); "" clears one')
    .argument('<ca>', 'id or name of the CA')
    .option('--crl-url <url>', 'CRL distribution point (http/https)')
    .option('--ca-issuers-url <url>', "where the CA's certificate is published (AIA caIssuers)")
    .option('--ocsp-url <url>', 'OCSP responder (AIA); only if you run one')
    .action(async (ref: string, o: { crlUrl?: string; caIssuersUrl?: string; ocspUrl?: string }) => {
      const current = (await tools.call('ca:list', {})).find((a) => a.id === ref || a.name.toLowerCase() === ref.toLowerCase());
      // An option not given keeps the CA's current URL; the core refuses a bad one by field before anything is stored.
      const pick = (given: string | undefined, now: string | null | undefined) => (given === undefined ? (now ?? null) : given || null);
      const updated = await tools.call('ca:set-urls', {
        ca: ref,
        crlUrl: pick(o.crlUrl, current?.urls.crlUrl),
        caIssuersUrl: pick(o.caIssuersUrl, current?.urls.caIssuersUrl),
        ocspUrl: pick(o.ocspUrl, current?.urls.ocspUrl),
      });
      tools.print(updated, () => `Updated "${updated.name}"; leaves issued from now on carry:\n${describeAuthority(updated)}`);
    });
  ca.command('retire')
    .description('stop new issuance under a CA; what it signed stays valid (audited)')
    .argument('<ca>', 'id or name of the CA')
    .option('--confirm <name>', "the CA's name, typed again (required)")
    .action(async (ref: string, o: { confirm?: string }) => {
      const authority = await confirmedAuthority(tools, ref, o.confirm, 'retire');
      const retired = await tools.call('ca:retire', { ca: authority.id, retired: true });
      tools.print(retired, () => `Retired ${retired.kind} CA "${retired.name}": it signs nothing new.\n`);
    });
  ca.command('reinstate')
    .description('put a retired (not revoked) CA back in service (audited)')
    .argument('<ca>', 'id or name of the CA')
    .action(async (ref: string) => {
      const reinstated = await tools.call('ca:retire', { ca: ref, retired: false });
      tools.print(reinstated, () => `"${reinstated.name}" is back in service.\n`);
    });
  ca.command('revoke')
    .description("revoke an issuing CA: its root's CRL lists it, signed again at once (audited; cannot be undone)")
    .argument('<ca>', 'id or name of the issuing CA')
    .option('--confirm <name>', "the CA's name, typed again (required)")
    .addOption(new Option('--reason <reason>', 'RFC 5280 reason').choices([...CA_REVOCATION_REASONS]).default('unspecified'))
    .action(async (ref: string, o: { confirm?: string; reason: CaRevocationReason }) => {
      const authority = await confirmedAuthority(tools, ref, o.confirm, 'revoke');
      const revoked = await tools.call('ca:revoke', { ca: authority.id, reason: o.reason });
      tools.print(revoked, () => `Revoked "${revoked.name}" (${o.reason}); its root's CRL now lists serial ${revoked.serialHex}.\n`);
    });
}

/** Destructive CA commands run only when --confirm repeats the CA's name, as production tenants are confirmed. */
async function confirmedAuthority(tools: CliTools, ref: string, confirm: string | undefined, verb: string): Promise<AuthorityView> {
  const list = await tools.call('ca:list', {});
  const authority = list.find((a) => a.id === ref) ?? list.find((a) => a.name.toLowerCase() === ref.toLowerCase());
  if (!authority)
    tools.fail({ code: 'NOT_FOUND', message: `No CA with id or name "${ref}"; list them with certdesk ca list.`, field: 'ca' });
  if (confirm !== authority.name)
    tools.fail({
      code: 'CONFIRMATION_REQUIRED',
      message:
        confirm === undefined
          ? `To ${verb} "${authority.name}", type its name again: --confirm "${authority.name}". Nothing was changed.`
          : `--confirm "${confirm}" is not the CA's name "${authority.name}"; nothing was changed.`,
      field: 'confirm',
    });
  return authority;
}
