/** `certdesk target add|list|test|remove|rollback|history` and `certdesk deliver`: where a certificate goes, and sending it there. */
import { InvalidArgumentError, Option, type Command } from 'commander';
import {
  KEY_FORMATS,
  TARGET_KINDS,
  type ChannelInput,
  type DeliverResult,
  type KeyFormat,
  type TargetFileNames,
  type TargetKind,
  type TargetTestResult,
  type TargetView,
} from '../../../shared/contract/index.ts';
import { probeHostKey } from '../../core/delivery/ssh-connect.ts';
import { exitCodeOf, type CliTools } from '../output.ts';

const ROLES = ['cert', 'chain', 'fullchain', 'key', 'p12'] as const;

/** `cert=leaf.pem,key=leaf.key`: a new name per file role. */
function parseNames(value: string): Partial<TargetFileNames> {
  const names: Partial<TargetFileNames> = {};
  for (const pair of value.split(',')) {
    const [role, name, ...rest] = pair.split('=');
    if (!role || !name || rest.length > 0 || !(ROLES as readonly string[]).includes(role))
      throw new InvalidArgumentError(
        `give ROLE=NAME pairs separated by commas, ROLE one of ${ROLES.join(', ')}; got ${JSON.stringify(pair)}`,
      );
    names[role as (typeof ROLES)[number]] = name;
  }
  return names;
}

function parsePort(value: string): number {
  if (!/^\d{1,5}$/.test(value)) throw new InvalidArgumentError('give a port number, 1–65535');
  return Number(value);
}

function where(t: TargetView): string {
  const spec = t.spec;
  if (spec.kind === 'ssh') return `${spec.user}@${spec.host}:${spec.port}${spec.path}`;
  return spec.path;
}

function describeTarget(t: TargetView): string {
  const lines = [`${t.id}  ${t.kind}  ${where(t)}${t.approved ? '' : '  NOT APPROVED (changed outside certdesk; never used)'}`];
  if (t.spec.kind !== 'csr-inbox') lines.push(`  key            ${t.spec.keyFormat}, mode ${t.spec.keyMode.toString(8).padStart(4, '0')}`);
  if (t.spec.kind === 'folder' && (t.spec.uid !== null || t.spec.gid !== null))
    lines.push(`  owner/group    ${t.spec.uid ?? '—'}/${t.spec.gid ?? '—'}`);
  if (t.spec.kind !== 'csr-inbox' && t.spec.reload) lines.push(`  reload         ${JSON.stringify(t.spec.reload)} (no shell)`);
  if (t.spec.kind === 'ssh') lines.push(`  host key       ${t.spec.hostKey}`);
  if (t.clientKey?.authorizedKey)
    lines.push(
      `  client key     ${t.clientKey.fingerprint}; install for ${t.spec.kind === 'ssh' ? t.spec.user : 'the user'} on the host (append to ~/.ssh/authorized_keys):`,
      `    ${t.clientKey.authorizedKey}`,
    );
  else if (t.clientKey?.problem) lines.push(`  client key     cannot be shown: ${t.clientKey.problem}`);
  lines.push(`  certificate    ${t.certificateId}${t.inheritedFrom ? ' (inherited through renewal)' : ''}`);
  lines.push(`  last delivery  ${t.last ? `${t.last.status} ${t.last.at} serial ${t.last.serialHex}: ${t.last.detail}` : '—'}`);
  return `${lines.join('\n')}\n`;
}

function describeTest(r: TargetTestResult): string {
  const lines = r.checks.map((c) => `  ${c.ok ? 'ok  ' : 'FAIL'}  ${c.name.padEnd(9)} ${c.detail}`);
  return `Target ${r.target}: ${r.ok ? 'ready' : 'NOT ready'}\n${lines.join('\n')}\n`;
}

function describeDelivery(r: DeliverResult): string {
  const lines = r.deliveries.map((d) => `  ${d.status.padEnd(7)} ${d.targetId}  ${d.detail}`);
  return `${r.detail}\n${lines.join('\n')}${lines.length ? '\n' : ''}`;
}

interface AddOptions {
  kind: TargetKind;
  path?: string;
  keyFormat?: KeyFormat;
  mode?: string;
  owner?: string;
  group?: string;
  names?: Partial<TargetFileNames>;
  host?: string;
  port?: number;
  user?: string;
  hostKey?: string;
}

/**
 * As ssh does on a first connection: without --host-key, the host's key is probed (no login is
 * attempted) and shown, and nothing is stored until the operator pins it, having compared it out of
 * band with `ssh-keygen -lf` on the host.
 */
async function requirePin(o: AddOptions, cert: string, reload: string[], fail: CliTools['fail']): Promise<void> {
  if (o.kind !== 'ssh' || o.hostKey !== undefined || !o.host || !o.user || !o.path) return;
  const port = o.port ?? 22;
  const seen = await probeHostKey(o.host, port);
  const rest = [
    `--host ${o.host}`,
    ...(o.port ? [`--port ${o.port}`] : []),
    ...(o.user ? [`--user ${o.user}`] : []),
    ...(o.path ? [`--path ${o.path}`] : []),
  ].join(' ');
  fail({
    code: 'CONFIRMATION_REQUIRED',
    message: `The host ${o.host}:${port} presents the ${seen.algorithm} host key ${seen.fingerprint}. Compare it with the host's own (ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub, run there), then run again with --host-key ${seen.fingerprint}: certdesk target add ${cert} --kind ssh ${rest} --host-key ${seen.fingerprint}${reload.length ? ' -- …' : ''}. Nothing was stored.`,
    field: 'hostKey',
  });
}

function addInput(cert: string, o: AddOptions, reload: string[], fail: CliTools['fail']): ChannelInput<'targets:add'> {
  const need = (value: string | undefined, flag: string): string =>
    value ?? fail({ code: 'VALIDATION', message: `A ${o.kind} target needs ${flag}.`, field: flag.replace(/^--/, '') });
  const common = {
    ...(o.keyFormat ? { keyFormat: o.keyFormat } : {}),
    ...(o.mode ? { mode: o.mode } : {}),
    ...(o.names ? { fileNames: o.names } : {}),
    ...(reload.length ? { reload } : {}),
  };
  switch (o.kind) {
    case 'folder':
      return {
        cert,
        kind: 'folder',
        path: need(o.path, '--path'),
        ...common,
        ...(o.owner ? { owner: o.owner } : {}),
        ...(o.group ? { group: o.group } : {}),
      };
    case 'ssh':
      return {
        cert,
        kind: 'ssh',
        host: need(o.host, '--host'),
        ...(o.port ? { port: o.port } : {}),
        user: need(o.user, '--user'),
        path: need(o.path, '--path'),
        hostKey: need(o.hostKey, '--host-key'),
        ...common,
      };
    case 'csr-inbox':
      return { cert, kind: 'csr-inbox', path: need(o.path, '--path') };
  }
}

export function registerTargetCommands(program: Command, tools: CliTools): void {
  const { call, print } = tools;
  const target = program.command('target').description('delivery targets: where a certificate (and its successors) are delivered');

  target
    .command('add')
    .description('add a delivery target to CERT (its renewals inherit it); after --, an argv to run after each delivery (no shell)')
    .argument('<cert>', 'certificate id, serial or common name')
    .argument('[reload...]', 'the reload argv, after --: certdesk target add CERT --kind folder --path DIR -- systemctl reload app')
    .addOption(new Option('--kind <kind>', 'the kind of target').choices([...TARGET_KINDS]).makeOptionMandatory())
    .option('--path <dir>', 'the folder (absolute, no symlink on the way); for ssh, the folder on the host')
    .addOption(
      new Option('--key-format <format>', 'how the key is written (encrypted and p12: under a passphrase the vault holds)').choices([
        ...KEY_FORMATS,
      ]),
    )
    .option('--mode <octal>', 'the key file mode (default 0600)')
    .option('--owner <user>', 'owner of the files: a user name or uid (chown)')
    .option('--group <group>', 'group of the files: a group name or gid (chown)')
    .option('--names <role=name,…>', 'file names: cert, chain, fullchain, key, p12', parseNames)
    .option('--host <host>', 'ssh: the host')
    .option('--port <port>', 'ssh: the port (22)', parsePort)
    .option('--user <user>', 'ssh: the user')
    .option('--host-key <SHA256:…>', "ssh: the host key's fingerprint, pinned (without it, the host's key is shown and nothing stored)")
    .action(async (cert: string, reload: string[], o: AddOptions) => {
      // Before the host-key probe: an offline signer sends nothing, not even that.
      await tools.requireNetwork('adding a delivery target');
      await requirePin(o, cert, reload, tools.fail);
      const added = await call('targets:add', addInput(cert, o, reload, tools.fail));
      print(added, () =>
        [
          `Added target\n${describeTarget(added.target)}`,
          added.passphrase ? `The key's passphrase (shown once; the vault keeps it for deliveries):\n  ${added.passphrase}\n` : '',
          added.authorizedKey
            ? `Install the target's client key for ${o.user ?? 'the user'} on ${o.host ?? 'the host'} (append to ~/.ssh/authorized_keys there):\n  ${added.authorizedKey}\n`
            : '',
          `Deliver now with: certdesk deliver ${cert}\n`,
        ].join(''),
      );
    });

  target
    .command('list')
    .description("list delivery targets: all, or CERT's (its own and those inherited through renewals)")
    .argument('[cert]', 'certificate id, serial or common name')
    .action(async (cert: string | undefined) => {
      const list = await call('targets:list', cert === undefined ? {} : { cert });
      print(list, () =>
        list.length ? list.map(describeTarget).join('\n') : 'No delivery targets. Add one with: certdesk target add --help\n',
      );
    });

  target
    .command('test')
    .description('check a target without delivering: approved, writable, layout, current serial')
    .argument('<target>', 'target id')
    .action(async (ref: string) => {
      const result = await call('targets:test', { target: ref });
      print(result, () => describeTest(result));
      if (!result.ok) tools.setExitCode(exitCodeOf({ code: 'DELIVERY_FAILED' }));
    });

  target
    .command('remove')
    .description('stop delivering to a target (for the whole lineage); its history stays')
    .argument('<target>', 'target id')
    .option('--yes', 'confirm the removal')
    .action(async (ref: string, o: { yes?: boolean }) => {
      if (!o.yes)
        tools.fail({
          code: 'CONFIRMATION_REQUIRED',
          message: `Removing target ${ref} stops every delivery to it, for this certificate and its renewals. Run again with --yes to remove it.`,
          field: 'yes',
        });
      const removed = await call('targets:remove', { target: ref });
      print(removed, () => `Removed target ${removed.id} (${where(removed)}). The files already delivered stay where they are.\n`);
    });

  target
    .command('rollback')
    .description("point a folder or ssh target's current release back at its previous one, then run its reload (again: undo)")
    .argument('<target>', 'target id')
    .action(async (ref: string) => {
      const rolled = await call('targets:rollback', { target: ref });
      print(rolled, () =>
        [
          `Rolled back target ${rolled.target}: release ${rolled.releaseId}${rolled.serialHex ? ` (serial ${rolled.serialHex})` : ''} is current again.\n`,
          rolled.rolledBackFrom ? `Release ${rolled.rolledBackFrom} is now previous; run this again to return to it.\n` : '',
          rolled.reload ? `Ran the reload ${JSON.stringify(rolled.reload)} (no shell).\n` : '',
        ].join(''),
      );
    });

  target
    .command('history')
    .description('the delivery history of a target or a certificate')
    .option('--target <target>', 'target id')
    .option('--cert <cert>', 'certificate id, serial or common name')
    .action(async (o: { target?: string; cert?: string }) => {
      const list = await call('targets:history', { ...(o.target ? { target: o.target } : {}), ...(o.cert ? { cert: o.cert } : {}) });
      print(list, () =>
        list.length
          ? list.map((d) => `${d.at}  ${d.status.padEnd(7)} ${d.targetId}  serial ${d.serialHex}  ${d.detail}\n`).join('')
          : 'No deliveries yet.\n',
      );
    });

  program
    .command('deliver')
    .description('deliver a certificate (and its key) to its targets; a target that already has this serial is skipped')
    .argument('<cert>', 'certificate id, serial or common name')
    .action(async (cert: string) => {
      const result = await call('certs:deliver', { cert });
      print(result, () => describeDelivery(result));
    });
}
