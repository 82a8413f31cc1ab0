/**
 * A certdesk service with an issuing CA and a tenant profile pointing at a sandbox tenant, plus an
 * Auth0 application to bind to: the starting point of every bindings test.
 */
import type { StartSandboxOptions } from '../../src/sandbox/index.ts';
import type { TenantEnvironment } from '../../src/shared/contract/index.ts';
import { withIssuingCa } from './pki.ts';
import { startTestSandbox, type TestSandbox } from './sandbox.ts';
import type { TestService } from './service.ts';

export const PAYMENTS_API = 'https://payments.example.com/';

export interface BindingsRig {
  t: TestService & { rootId: string; issuingId: string };
  sb: TestSandbox;
  tenant: string;
  /** The Auth0 application the tests bind certificates to. */
  appId: string;
  issue(commonName: string): Promise<{ id: string; sha256Base64url: string; subjectLines: string }>;
  /** Management API calls the sandbox answered since the last `mark()` (token requests excluded). */
  managementCalls(): { method: string; path: string; status: number; injected: boolean }[];
  mark(): void;
}

export async function bindingsRig(
  options: {
    sandbox?: Partial<StartSandboxOptions>;
    environment?: TenantEnvironment;
    backoffMs?: number;
    /** Wraps the sandbox's fetch, to act on the tenant between certdesk's read and its write. */
    fetch?: (sandboxFetch: typeof fetch, sb: TestSandbox) => typeof fetch;
  } = {},
): Promise<BindingsRig> {
  const sb = await startTestSandbox(options.sandbox);
  const t = await withIssuingCa({
    fetch: options.fetch ? options.fetch(sb.fetch, sb) : sb.fetch,
    auth0: { backoffMs: options.backoffMs ?? 5, timeoutInSeconds: 5 },
  });
  const { clientId, clientSecret } = sb.sandbox.managementClient!;
  await t.service.addTenant({
    name: 'Sandbox',
    environment: options.environment ?? 'development',
    domain: sb.sandbox.domain,
    clientId,
    clientSecret,
  });
  const app = sb.sandbox.admin.createClient({ name: 'payments-client' });
  sb.sandbox.admin.createResourceServer({ identifier: PAYMENTS_API });
  sb.sandbox.admin.grant({ clientId: app.clientId, audience: PAYMENTS_API, scopes: [] });
  let from = sb.records.length;
  return {
    t,
    sb,
    tenant: 'Sandbox',
    appId: app.clientId,
    issue: (commonName) =>
      t.service.issue({
        ca: 'Test Issuing',
        subject: { commonName, organization: 'YourOrg', country: 'US' },
        source: { kind: 'generated' },
      }),
    managementCalls: () =>
      sb.records
        .slice(from)
        .filter((r) => r.api === 'management')
        .map((r) => ({ method: r.method, path: r.path, status: r.status, injected: r.injected })),
    mark: () => {
      from = sb.records.length;
    },
  };
}
