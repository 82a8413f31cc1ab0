/** `certdesk bind|unbind|bindings|plan|apply|outbox`: certificates on Auth0 applications. */
import type { Command } from 'commander';
import type { ApplyResult, BindingView, ChannelInput, DriftItem, OutboxItem, TenantPlan } from '../../../shared/contract/index.ts';
import { EXIT_FAILURE } from '../../../shared/contract/index.ts';
import type { CliTools } from '../output.ts';
import { applyEveryTenant, applyExitCode, planEveryTenant } from './every-tenant.ts';

function describeBinding(b: BindingView): string {
  return [
    `${b.id}  ${b.state.toUpperCase()}  ${b.tenantName} → ${b.clientId}`,
    `  certificate  ${b.subject}  [${b.certificateId}, ${b.certificateStatus}, expires ${b.notAfter}]`,
    `  credential   ${b.credentialType} "${b.credentialName}"  ${b.credentialId ?? '(not created yet)'}${b.credentialExpiresAt ? `, Auth0 expires_at ${b.credentialExpiresAt}` : ''}`,
    `  options      ${[b.requirePop ? 'proof of possession' : null, b.api ? `API ${b.api}` : null, b.endpointAliases ? 'endpoint aliases' : null].filter(Boolean).join(', ') || '—'}`,
    `  applied      ${b.appliedAt ?? 'not yet (run certdesk apply)'}`,
    '',
  ].join('\n');
}

function describeDrift(drift: DriftItem[]): string {
  if (drift.length === 0) return 'No drift.\n';
  return `Drift (shown, never fixed silently):\n${drift.map((d) => `  ${d.severity === 'blocking' ? '✖ BLOCKING' : '! warning '} ${d.kind}: ${d.message}\n               fix: ${d.fix}`).join('\n')}\n`;
}

/** A plan as a readable diff: each step with its before (-) and after (+). */
export function describePlan(plan: TenantPlan): string {
  const label = plan.environment === 'production' ? 'PRODUCTION' : plan.environment;
  const lines = [`Plan for "${plan.tenantName}" (${label}), read ${plan.readAt}`, ''];
  for (const c of plan.clients) {
    lines.push(
      `Application ${c.clientId}${c.name ? ` (${c.name})` : ''}: ${c.authMethod ?? 'no certificate method'}, ${c.credentials.length} credential${c.credentials.length === 1 ? '' : 's'}${c.requirePop ? ', proof of possession required' : ''}`,
    );
  }
  lines.push('');
  if (plan.steps.length === 0) lines.push('No changes: the tenant matches the inventory.');
  plan.steps.forEach((s, i) => lines.push(`${i + 1}. ${s.summary}`, `   - ${s.before}`, `   + ${s.after}`));
  lines.push('', describeDrift(plan.drift));
  if (plan.blocked) lines.push('apply is blocked until the blocking drift is resolved.\n');
  return lines.join('\n');
}

function describeOutbox(items: OutboxItem[]): string {
  if (items.length === 0) return 'The outbox is empty.\n';
  return `${items.map((o) => `${o.state.padEnd(8)} ${o.tenantName}: ${o.summary}  (${o.attempts} attempt${o.attempts === 1 ? '' : 's'}, queued ${o.createdAt})${o.lastError ? `\n         last error: ${o.lastError}` : ''}`).join('\n')}\n`;
}

function describeApply(r: ApplyResult): string {
  const steps = r.steps.map(
    (s, i) =>
      `${i + 1}. ${s.status.padEnd(12)} ${s.summary}${s.attempts > 1 ? ` (${s.attempts} attempts)` : ''}${s.message ? `\n   ${s.message}` : ''}`,
  );
  const waiting = r.outbox.filter((o) => o.state !== 'done').length;
  return (
    [
      r.message,
      ...steps,
      waiting ? `${waiting} change${waiting === 1 ? '' : 's'} wait${waiting === 1 ? 's' : ''} in the outbox (certdesk outbox).` : '',
      r.drift.length ? describeDrift(r.drift) : '',
    ]
      .filter(Boolean)
      .join('\n') + '\n'
  );
}

export function registerBindingCommands(program: Command, tools: CliTools): void {
  const { call, print } = tools;

  program
    .command('bind')
    .description('bind a certificate to an Auth0 application (recorded in the outbox; nothing is sent until apply)')
    .argument('<cert>', 'certificate id, hex serial or SHA-256 thumbprint')
    .requiredOption('--tenant <tenant>', 'tenant id or name')
    .requiredOption('--client <id>', "the Auth0 application's client id")
    .option('--api <id>', 'also require mTLS proof of possession on this API (identifier or id)')
    .option('--pop', 'require proof of possession (certificate-bound tokens) on the application')
    .option('--endpoint-aliases', "turn on the tenant's mTLS endpoint aliases")
    .option(
      '--verify-audience <id>',
      "without --api, when the tenant has no default audience: the API that rotation's verify step requests a token for (kept once, as the tenant's flight check audience)",
    )
    .action(
      async (
        cert: string,
        o: { tenant: string; client: string; api?: string; pop?: boolean; endpointAliases?: boolean; verifyAudience?: string },
      ) => {
        const input: ChannelInput<'bindings:create'> = { cert, tenant: o.tenant, clientId: o.client };
        if (o.api !== undefined) input.api = o.api;
        if (o.pop) input.pop = true;
        if (o.endpointAliases) input.endpointAliases = true;
        if (o.verifyAudience !== undefined) input.verifyAudience = o.verifyAudience;
        const bound = await call('bindings:create', input);
        print(
          bound,
          () =>
            `Queued in the outbox:\n${describeBinding(bound)}Review with: certdesk plan --tenant "${bound.tenantName}"\nThen:        certdesk apply --tenant "${bound.tenantName}"\n`,
        );
      },
    );

  program
    .command('unbind')
    .description('retire a binding: apply removes its credential after the others are bound (never the last one)')
    .argument('<binding>', 'binding id')
    .option('--confirm <name>', "the tenant's name, typed again (required for production)")
    .action(async (binding: string, o: { confirm?: string }) => {
      const input: ChannelInput<'bindings:remove'> = { binding };
      if (o.confirm !== undefined) input.confirm = o.confirm;
      const retired = await call('bindings:remove', input);
      print(retired, () => `Retired; the credential is removed on the next apply:\n${describeBinding(retired)}`);
    });

  program
    .command('bindings')
    .description('list the bindings')
    .option('--tenant <tenant>', 'only this tenant')
    .action(async (o: { tenant?: string }) => {
      const list = await call('bindings:list', o.tenant === undefined ? {} : { tenant: o.tenant });
      print(list, () =>
        list.length ? list.map(describeBinding).join('\n') : 'No bindings yet. Bind a certificate with: certdesk bind --help\n',
      );
    });

  program
    .command('plan')
    .description("read the tenant's state and show what apply would change, and any drift")
    .option('--tenant <tenant>', 'tenant id or name (default: every tenant with bindings)')
    .action(async (o: { tenant?: string }) => {
      if (o.tenant === undefined) return planEveryTenant(tools, describePlan);
      const plan = await call('auth0:plan', { tenant: o.tenant });
      print(plan, () => describePlan(plan));
      if (plan.blocked) tools.setExitCode(EXIT_FAILURE);
    });

  program
    .command('apply')
    .description('apply the plan step by step (idempotent; within the rate limit; what cannot be done now stays in the outbox)')
    .option('--tenant <tenant>', 'tenant id or name (default: every tenant with bindings; production ones only when --confirm names them)')
    .option('--confirm <name>', "the tenant's name, typed again (required for production)")
    .action(async (o: { tenant?: string; confirm?: string }) => {
      if (o.tenant === undefined) return applyEveryTenant(tools, o.confirm, describeApply);
      const input: ChannelInput<'auth0:apply'> = { tenant: o.tenant };
      if (o.confirm !== undefined) input.confirm = o.confirm;
      const result = await call('auth0:apply', input);
      print(result, () => describeApply(result));
      tools.setExitCode(applyExitCode(result));
    });

  program
    .command('outbox')
    .description('list the changes waiting for Auth0 (and the most recent done ones)')
    .option('--tenant <tenant>', 'only this tenant')
    .action(async (o: { tenant?: string }) => {
      const items = await call('outbox:list', o.tenant === undefined ? {} : { tenant: o.tenant });
      print(items, () => describeOutbox(items));
    });
}
