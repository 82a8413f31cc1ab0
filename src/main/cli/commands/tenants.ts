/** The `certdesk tenant` commands: Auth0 tenant profiles (add, list, test, remove). */
import { Option, type Command } from 'commander';
import type { ChannelInput, TenantEnvironment, TenantTestResult, TenantView } from '../../../shared/contract/index.ts';
import { TENANT_ENVIRONMENTS } from '../../../shared/contract/index.ts';
import { exitCodeOf, type CliTools } from '../output.ts';

const TENANT_HELP = 'tenant id or name';

function describeTenant(t: TenantView): string {
  const label = t.environment === 'production' ? 'PRODUCTION' : t.environment;
  return [
    `${t.name}  [${t.id}]  ${label}`,
    `  domain         ${t.domain}`,
    `  custom domain  ${t.customDomain ?? '—'}`,
    `  client id      ${t.clientId}`,
    `  secret         ${t.secretStorage === 'keychain' ? 'OS keychain' : 'sealed (passphrase mode)'}`,
    '',
  ].join('\n');
}

function describeTest(name: string, r: TenantTestResult): string {
  if (r.ok)
    return `Connected to "${name}": a token with all ${r.granted.length} scopes certdesk needs (expires in ${r.tokenExpiresIn ?? '?'} s).\n`;
  return `Connected to "${name}", but the M2M application lacks these scopes:\n${r.missing.map((s) => `  ${s}`).join('\n')}\nGrant them in the Auth0 dashboard: Applications → APIs → Auth0 Management API → Machine to Machine Applications.\n`;
}

export function registerTenantCommands(program: Command, tools: CliTools): void {
  const { call, print } = tools;
  const tenant = program.command('tenant').description('Auth0 tenant profiles: the M2M application certdesk uses for each tenant');

  tenant
    .command('add')
    .description('add a tenant; the client secret goes to the OS keychain (sealed in passphrase mode)')
    .requiredOption('--name <name>', 'a label, e.g. "acme prod"')
    .addOption(new Option('--env <environment>', 'which environment the tenant is').choices([...TENANT_ENVIRONMENTS]).makeOptionMandatory())
    .requiredOption('--domain <domain>', "the tenant's domain, e.g. acme.eu.auth0.com")
    .option('--custom-domain <domain>', 'the custom domain clients use through the mTLS edge')
    .requiredOption('--client-id <id>', "the M2M application's client id")
    .requiredOption('--client-secret-env <var>', 'environment variable holding the client secret (never pass it as an argument)')
    .action(
      async (o: {
        name: string;
        env: TenantEnvironment;
        domain: string;
        customDomain?: string;
        clientId: string;
        clientSecretEnv: string;
      }) => {
        const clientSecret = tools.env[o.clientSecretEnv];
        if (clientSecret === undefined || clientSecret === '')
          tools.fail({
            code: 'VALIDATION',
            message: `The environment variable ${o.clientSecretEnv} is not set; put the M2M client secret there.`,
            field: 'clientSecret',
          });
        const input: ChannelInput<'tenants:add'> = {
          name: o.name,
          environment: o.env,
          domain: o.domain,
          clientId: o.clientId,
          clientSecret,
        };
        if (o.customDomain !== undefined) input.customDomain = o.customDomain;
        const added = await call('tenants:add', input);
        print(added, () => `Added tenant\n${describeTenant(added)}`);
      },
    );

  tenant
    .command('edit')
    .description("edit a tenant's profile: only the options given change (a production tenant needs --confirm)")
    .argument('<tenant>', 'tenant id or name')
    .option('--name <name>', 'a new label')
    .addOption(new Option('--env <environment>', 'a new environment').choices([...TENANT_ENVIRONMENTS]))
    .option('--domain <domain>', "the tenant's domain, e.g. acme.eu.auth0.com")
    .option('--custom-domain <domain>', 'the custom domain clients use through the mTLS edge')
    .option('--no-custom-domain', 'remove the custom domain')
    .option('--client-id <id>', "the M2M application's client id")
    .option('--client-secret-env <var>', 'environment variable holding a new client secret (never pass it as an argument)')
    .option('--confirm <name>', "the tenant's current name, typed again (production, or to make it production)")
    .action(
      async (
        ref: string,
        o: {
          name?: string;
          env?: TenantEnvironment;
          domain?: string;
          customDomain?: string | false;
          clientId?: string;
          clientSecretEnv?: string;
          confirm?: string;
        },
      ) => {
        const input: ChannelInput<'tenants:update'> = { tenant: ref };
        if (o.clientSecretEnv !== undefined) {
          const clientSecret = tools.env[o.clientSecretEnv];
          if (clientSecret === undefined || clientSecret === '')
            tools.fail({
              code: 'VALIDATION',
              message: `The environment variable ${o.clientSecretEnv} is not set; put the new M2M client secret there.`,
              field: 'clientSecret',
            });
          input.clientSecret = clientSecret;
        }
        if (o.name !== undefined) input.name = o.name;
        if (o.env !== undefined) input.environment = o.env;
        if (o.domain !== undefined) input.domain = o.domain;
        if (o.customDomain === false) input.customDomain = null;
        else if (o.customDomain !== undefined) input.customDomain = o.customDomain;
        if (o.clientId !== undefined) input.clientId = o.clientId;
        if (o.confirm !== undefined) input.confirm = o.confirm;
        const edited = await call('tenants:update', input);
        print(edited, () => `Edited tenant\n${describeTenant(edited)}`);
      },
    );

  tenant
    .command('list')
    .description('list the tenants, labelled by environment')
    .action(async () => {
      const list = await call('tenants:list', {});
      print(list, () => (list.length ? list.map(describeTenant).join('\n') : 'No tenants yet. Add one with: certdesk tenant add --help\n'));
    });

  tenant
    .command('test')
    .description('get a Management API token and list the scopes certdesk still needs')
    .argument('<tenant>', TENANT_HELP)
    .action(async (ref: string) => {
      const result = await call('tenants:test', { tenant: ref });
      print(result, () => describeTest(ref, result));
      // Connected, but the M2M application needs more grants: the same outcome as a refused call for a scope.
      if (!result.ok) tools.setExitCode(exitCodeOf({ code: 'AUTH0_SCOPE_MISSING' }));
    });

  tenant
    .command('remove')
    .description('remove a tenant and its stored secret; a production tenant needs --confirm with its name')
    .argument('<tenant>', TENANT_HELP)
    .option('--confirm <name>', "the tenant's name, typed again (required for production)")
    .action(async (ref: string, o: { confirm?: string }) => {
      const input: ChannelInput<'tenants:remove'> = { tenant: ref };
      if (o.confirm !== undefined) input.confirm = o.confirm;
      const result = await call('tenants:remove', input);
      print(result, () => `Removed tenant "${result.removed.name}" (${result.removed.id}).\n`);
    });
}
