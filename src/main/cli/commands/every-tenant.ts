/**
 * `certdesk plan` and `certdesk apply` without `--tenant`: every tenant that has bindings, one after
 * the other. A tenant that fails is reported and the others still run; a production tenant is
 * applied only when `--confirm` names it.
 */
import type { ApplyResult, Failure, TenantPlan, TenantView } from '../../../shared/contract/index.ts';
import { EXIT_FAILURE, EXIT_RETRY_LATER } from '../../../shared/contract/index.ts';
import { exitCodeOf, worstExitCode, type CliTools } from '../output.ts';

export type EveryTenant<T> = { tenant: string } & ({ ok: true; value: T } | { ok: false; error: Failure } | { ok: false; skipped: string });

/** The failure a CLI call threw, or the exception itself when it is not one. */
function failureOf(error: unknown): Failure {
  const failure = (error as { failure?: Failure }).failure;
  if (failure) return failure;
  throw error;
}

async function boundTenants(tools: CliTools): Promise<TenantView[]> {
  const [tenants, bindings] = await Promise.all([tools.call('tenants:list', {}), tools.call('bindings:list', {})]);
  const bound = new Set(bindings.map((b) => b.tenantId));
  return tenants.filter((t) => bound.has(t.id));
}

async function eachTenant<T>(
  tools: CliTools,
  run: (tenant: TenantView) => Promise<T | { skipped: string }>,
): Promise<EveryTenant<T>[] | null> {
  const tenants = await boundTenants(tools);
  if (tenants.length === 0) return null;
  const results: EveryTenant<T>[] = [];
  for (const tenant of tenants) {
    try {
      const value = await run(tenant);
      if (value !== null && typeof value === 'object' && 'skipped' in value)
        results.push({ tenant: tenant.name, ok: false, skipped: value.skipped });
      else results.push({ tenant: tenant.name, ok: true, value: value as T });
    } catch (error) {
      results.push({ tenant: tenant.name, ok: false, error: failureOf(error) });
    }
  }
  return results;
}

function notDone(r: EveryTenant<unknown>, verb: string): string {
  if (r.ok) return '';
  return 'skipped' in r
    ? `"${r.tenant}" skipped: ${r.skipped}\n`
    : `${verb} for "${r.tenant}" failed (${r.error.code}${r.error.field ? `, ${r.error.field}` : ''}): ${r.error.message}\n`;
}

const NO_BINDINGS = 'No tenant has bindings yet, so there is nothing to plan or apply. Bind a certificate first: certdesk bind --help\n';

export async function planEveryTenant(tools: CliTools, describe: (plan: TenantPlan) => string): Promise<void> {
  const results = await eachTenant(tools, (t) => tools.call('auth0:plan', { tenant: t.id }));
  if (!results) return tools.print([], () => NO_BINDINGS);
  tools.print(results, () => results.map((r) => (r.ok ? describe(r.value) : notDone(r, 'The plan'))).join('\n'));
  tools.setExitCode(worstExitCode(results.map((r) => (r.ok ? (r.value.blocked ? EXIT_FAILURE : 0) : notDoneExitCode(r)))));
}

export async function applyEveryTenant(
  tools: CliTools,
  confirm: string | undefined,
  describe: (result: ApplyResult) => string,
): Promise<void> {
  const results = await eachTenant<ApplyResult>(tools, async (t) => {
    const confirmed = confirm !== undefined && confirm === t.name;
    if (t.environment === 'production' && !confirmed)
      return {
        skipped: `a production tenant is applied only when named: certdesk apply --tenant "${t.name}" --confirm "${t.name}", or certdesk apply --confirm "${t.name}".`,
      };
    return tools.call('auth0:apply', confirmed ? { tenant: t.id, confirm } : { tenant: t.id });
  });
  if (!results) return tools.print([], () => NO_BINDINGS);
  tools.print(results, () => results.map((r) => (r.ok ? `── ${r.tenant} ──\n${describe(r.value)}` : notDone(r, 'Apply'))).join('\n'));
  // 1: something needs the operator (a failure, a block, a skipped production tenant); 75: only waiting work.
  tools.setExitCode(worstExitCode(results.map((r) => (r.ok ? applyExitCode(r.value) : notDoneExitCode(r)))));
}

/** A tenant that failed exits as its error code says (75 when Auth0 only did not answer); a skipped one needs the operator. */
function notDoneExitCode(r: EveryTenant<unknown> & { ok: false }): number {
  return 'error' in r ? exitCodeOf(r.error) : EXIT_FAILURE;
}

/** queued: the work waits in the outbox (may retry); blocked: drift or a refusal needs the operator. */
export function applyExitCode(result: ApplyResult): number {
  if (result.outcome === 'blocked') return EXIT_FAILURE;
  return result.outcome === 'queued' ? EXIT_RETRY_LATER : 0;
}
