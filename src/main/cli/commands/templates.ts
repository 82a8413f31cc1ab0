/** `certdesk template`: named issue settings (issue 13), used with `certdesk issue --template NAME`. */
import { Option, type Command } from 'commander';
import { KEY_TYPES, type KeyType, type SanPattern, type TemplateSaveInput, type TemplateView } from '../../../shared/contract/index.ts';
import { LIMITS } from '../../api/limits.ts';
import { wholeNumber } from '../numbers.ts';
import type { CliTools } from '../output.ts';

function parsePattern(spec: string, previous: SanPattern[] = []): SanPattern[] {
  const colon = spec.indexOf(':');
  // An unknown type goes through and is refused by the schema with a named error.
  return [...previous, { type: spec.slice(0, colon).toLowerCase() as SanPattern['type'], pattern: spec.slice(colon + 1) }];
}

function describe(t: TemplateView): string {
  const subject = Object.entries(t.subject)
    .map(([field, value]) => `${field}=${value}`)
    .join(', ');
  return [
    `${t.name}`,
    `  profile   ${t.profile}`,
    `  CA        ${t.caName ?? (t.ca ? `${t.ca} (no longer exists)` : 'chosen at issue time')}`,
    `  key       ${t.keyType ?? "the profile's default"}`,
    `  subject   ${subject || '(common name only)'}`,
    `  SANs      ${t.sans.map((s) => `${s.type}:${s.pattern}`).join(', ') || 'none'}`,
    `  days      ${t.days}`,
    '',
  ].join('\n');
}

export function registerTemplateCommands(program: Command, tools: CliTools): void {
  const { call, print } = tools;
  const template = program
    .command('template')
    .description('certificate templates: named issue settings ({cn} in a SAN pattern is the common name)');

  template
    .command('list')
    .description('list the saved templates')
    .action(async () => {
      const list = await call('templates:list', {});
      print(list, () =>
        list.length ? list.map(describe).join('') : 'No template is saved yet. Save one with: certdesk template save NAME --profile …\n',
      );
    });

  template
    .command('show <name>')
    .description('show one template')
    .action(async (name: string) => {
      const found = await call('templates:get', { name });
      print(found, () => describe(found));
    });

  template
    .command('save <name>')
    .description('save issue settings under a name (refused if the name exists, unless --replace)')
    .option('--profile <name>', 'issuance profile', 'auth0-mtls-client')
    .option('--ca <ca>', 'issuing CA (id or name); otherwise chosen at issue time')
    .addOption(new Option('--key <type>', "key type (otherwise the profile's default)").choices([...KEY_TYPES]))
    .option('--o <org>', 'subject organization')
    .option('--ou <unit>', 'subject organizational unit')
    .option('--c <cc>', 'subject country (two capital letters)')
    .option('--san <type:pattern>', 'SAN pattern, e.g. dns:{cn}.clients.example.com (repeatable)', parsePattern)
    .requiredOption('--days <n>', 'validity in days', wholeNumber('days', LIMITS.certDays))
    .option('--replace', 'overwrite a template of the same name')
    .action(
      async (
        name: string,
        o: {
          profile: string;
          ca?: string;
          key?: KeyType;
          o?: string;
          ou?: string;
          c?: string;
          san?: SanPattern[];
          days: number;
          replace?: true;
        },
      ) => {
        const subject = Object.fromEntries(
          Object.entries({ organization: o.o, organizationalUnit: o.ou, country: o.c }).filter(([, v]) => v !== undefined),
        );
        const input: TemplateSaveInput = { name, profile: o.profile, days: o.days };
        if (o.ca) input.ca = o.ca;
        if (o.key) input.keyType = o.key;
        if (Object.keys(subject).length) input.subject = subject;
        if (o.san) input.sans = o.san;
        if (o.replace) input.replace = true;
        const saved = await call('templates:save', input);
        print(saved, () => `Saved\n${describe(saved)}`);
      },
    );

  template
    .command('rename <name> <to>')
    .description('rename a template')
    .action(async (name: string, to: string) => {
      const renamed = await call('templates:rename', { name, to });
      print(renamed, () => `Renamed to ${renamed.name}\n`);
    });

  template
    .command('delete <name>')
    .description('delete a template (certificates issued from it are not touched)')
    .action(async (name: string) => {
      const removed = await call('templates:delete', { name });
      print(removed, () => `Deleted ${removed.name}\n`);
    });
}
