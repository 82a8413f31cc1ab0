/**
 * `certdesk role` and `certdesk role set ROLE --confirm ROLE`: the data folder's role (issue 12).
 * Setting it is this command only, never a channel: the operator types it, twice.
 */
import type { Command } from 'commander';
import { WORKSTATION_ROLES, type WorkstationRole } from '../../../shared/contract/index.ts';
import type { RoleRecord } from '../../core/workstation/role.ts';
import type { CliTools } from '../output.ts';

const MEANING: Record<WorkstationRole, string> = {
  standalone: 'one installation holds the CA keys and talks to Auth0, the edge and delivery targets (the default)',
  signer: 'an offline signer: it holds the CA keys and opens no network connection',
  publisher: 'a publisher: it talks to Auth0, the edge and delivery targets, and holds no CA private key',
};

function describe(record: RoleRecord): string {
  const since = record.setAt ? ` (set by ${record.setBy} at ${record.setAt})` : ' (never set)';
  return `Role: ${record.role}${since}\n${MEANING[record.role]}\n`;
}

export function registerRoleCommands(program: Command, tools: CliTools): void {
  const role = program
    .command('role')
    .description(`this data folder's role: ${WORKSTATION_ROLES.join(', ')}`)
    .action(async () => {
      const record = await tools.workstationRole();
      tools.print(record, () => describe(record));
    });
  role
    .command('show')
    .description("show this data folder's role")
    .action(async () => {
      const record = await tools.workstationRole();
      tools.print(record, () => describe(record));
    });
  role
    .command('set')
    .description('set the role; refused when the folder holds what the role must not (audited as role.set)')
    .argument('<role>', WORKSTATION_ROLES.join(' | '))
    .option('--confirm <role>', 'the role, typed again')
    .action(async (value: string, o: { confirm?: string }) => {
      const change = await tools.setWorkstationRole(value, o.confirm);
      tools.print(change, () =>
        change.changed
          ? `Role changed from ${change.from} to ${change.role}; recorded as role.set.\n${MEANING[change.role]}\n`
          : `Nothing to do: this data folder is already ${change.role}.\n`,
      );
    });
}
