import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Download, Locator, Page } from '@playwright/test';
import { rotationStep, type EdgeSettings, type RotationStepName } from '../../src/shared/contract/index.ts';
import { freePort, startNginx, type RunningNginx } from '../support/nginx.ts';
import { openssl } from '../support/openssl.ts';
import { holdRoute } from './held-route.ts';
import { hostRpc, rpcCallTo } from './host-rpc.ts';
import { operator } from './operator-cli.ts';
import { expect, startHost, test } from './web-host-fixture.ts';

const DOMAIN = 'login.example.test';
const API = 'https://api.sandbox.certdesk.test/';

/** Opens a Mantine select and picks the option whose name contains `name`. */
async function choose(page: Page, select: Locator, name: string) {
  await select.click();
  await page.getByRole('option', { name }).click();
}

/** The CLI's flags for these settings (`certdesk edge export`). */
function settingsFlags(s: EdgeSettings): string[] {
  return [
    ...['--server-name', s.serverName, '--listen', s.listen, '--server-cert', s.serverCertificatePath, '--server-key', s.serverKeyPath],
    ...['--upstream', s.upstream, '--cname-api-key-file', s.cnameApiKeyInclude, '--bundle-dir', s.bundleDir],
    ...['--verify-client', s.verifyClient ?? 'on'],
  ];
}

/** An openssl-made EC key and CSR: the edge's server key never passes through certdesk. */
function serverKeyAndCsr(dir: string): { keyPath: string; csr: string } {
  const keyPath = join(dir, 'server-key.pem');
  const gen = openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', keyPath]);
  if (gen.status !== 0) throw new Error(`openssl genpkey failed: ${gen.output}`);
  const req = openssl(['req', '-new', '-key', keyPath, '-subj', `/CN=${DOMAIN}`]);
  if (req.status !== 0) throw new Error(`openssl req failed: ${req.output}`);
  return { keyPath, csr: req.stdout };
}

test('diagnostics: the flight check through real nginx in front of the sandbox passes, a verified one-click rotation completes, then the check catches an edge with optional client verification', async ({
  page,
  dataDir,
}) => {
  const host = await startHost(dataDir, { CERTDESK_SANDBOX_DIR: join(dataDir, 'sandbox') });
  let nginx: RunningNginx | undefined;
  try {
    await page.goto(host.url);
    await expect(page.getByTestId('app-ready')).toBeVisible();

    // ── Before any tenant: the empty state sends the operator to Tenants ──
    await page.getByTestId('nav-diagnostics').click();
    await expect(page.getByTestId('diagnostics-no-tenants')).toContainText('Tenants page');
    await page.getByTestId('diagnostics-open-tenants').click();
    await expect(page.getByTestId('nav-tenants')).toHaveAttribute('aria-current', 'page');

    // ── Set up through the host's own bridge: CAs, the sandbox tenant, its custom domain ──
    const rpc = hostRpc(host);
    const root = await rpc('ca:create', { name: 'Diagnostics Root', keyType: 'ec-p256' });
    const issuing = await rpc('ca:create', { name: 'Diagnostics Issuing', parent: root.id, keyType: 'ec-p256' });
    const sandbox = await rpc('sandbox:start', {});
    expect(sandbox.tenantName).toBe('Sandbox');
    if (!sandbox.url) throw new Error('The sandbox reports no URL.');
    const work = join(dataDir, 'edge');
    mkdirSync(join(work, 'secret'), { recursive: true, mode: 0o700 });
    const keyFile = join(work, 'secret', 'cname-api-key.conf');
    // Web mode hands the one-time cname-api-key include back; the operator saves it for nginx, readable by it only.
    const domain = await rpc('auth0:custom-domain', { tenant: 'Sandbox', domain: DOMAIN });
    expect(domain).toMatchObject({ status: 'ready', keyFile: null, keyInclude: { filename: 'cname-api-key.conf' } });
    writeFileSync(keyFile, domain.keyInclude!.content, { mode: 0o600 });

    // ── The edge: a server certificate from our issuing CA for an openssl key, certdesk's bundle, real nginx ──
    const server = serverKeyAndCsr(work);
    const serverCert = await rpc('certs:issue', {
      ca: issuing.id,
      profile: 'mtls-server',
      sans: [
        { type: 'dns', value: DOMAIN },
        { type: 'dns', value: `mtls.${DOMAIN}` },
      ],
      source: { kind: 'csr', csr: server.csr, useCsrSubject: true },
    });
    const serverCertPath = join(work, 'server.pem');
    // The leaf and the issuing CA: the root is what clients trust (the edge CA PEM).
    writeFileSync(
      serverCertPath,
      serverCert.chainPem
        .split(/(?=-----BEGIN)/)
        .slice(0, 2)
        .join(''),
    );
    const port = await freePort();
    const bundleDir = join(work, 'bundle');
    const settings: EdgeSettings = {
      serverName: DOMAIN,
      listen: `127.0.0.1:${port}`,
      serverCertificatePath: serverCertPath,
      serverKeyPath: server.keyPath,
      upstream: sandbox.url,
      cnameApiKeyInclude: keyFile,
      bundleDir,
      verifyClient: 'on',
    };
    // The operator publishes from this machine's CLI: web mode may not choose the folder or the settings.
    await operator(dataDir, ['edge', 'export', '--out', bundleDir, '--ca', issuing.id, ...settingsFlags(settings)]);
    nginx = await startNginx(join(work, 'nginx'), join(bundleDir, 'certdesk-edge.conf'), port);

    // ── A managed client certificate, bound to the demo application with PoP, the API and the mTLS aliases ──
    // 20 days: due for renewal from the start (30 days before expiry), so the Schedule offers its rotation.
    const client = await rpc('certs:issue', {
      ca: issuing.id,
      subject: { commonName: 'diag-client', organization: 'Diagnostics E2E', country: 'US' },
      days: 20,
      source: { kind: 'generated' },
    });
    await rpc('certs:issue', {
      ca: issuing.id,
      subject: { commonName: 'diag-spare', organization: 'Diagnostics E2E' },
      source: { kind: 'generated' },
    });
    const demo = (await rpc('auth0:clients', { tenant: 'Sandbox' })).find((c) => c.name === 'Demo mTLS client');
    if (!demo) throw new Error('The sandbox has no "Demo mTLS client" application.');
    await rpc('bindings:create', {
      cert: client.id,
      tenant: 'Sandbox',
      clientId: demo.clientId,
      api: API,
      pop: true,
      endpointAliases: true,
    });
    expect((await rpc('auth0:apply', { tenant: 'Sandbox' })).outcome).toBe('applied');
    // The sandbox tenant came with flight check settings for the sandbox's own edge; this spec
    // checks through real nginx instead, so it starts from none.
    expect((await rpc('tenants:list', {})).find((t) => t.name === 'Sandbox')?.diagnostics).toMatchObject({
      edgeAddress: expect.stringMatching(/^127\.0\.0\.1:\d+$/),
      audience: API,
    });
    await rpc('tenants:diagnostics', { tenant: 'Sandbox', settings: {} });

    // ── Diagnostics: the only tenant is chosen; its edge settings are not set yet ──
    await page.getByTestId('nav-diagnostics').click();
    const workspace = page.getByTestId('diagnostics-workspace');
    await expect(workspace).toHaveAttribute('data-tenant-name', 'Sandbox');
    await expect(page.getByTestId('tenant-env-badge').first()).toHaveAttribute('data-env', 'development');
    const edge = workspace.getByTestId('diagnostics-settings');
    await expect(edge).toHaveAttribute('data-configured', 'false');
    // The default discovery URL is on the tenant's custom domain (the sandbox's demo one).
    await expect(edge.getByTestId('diagnostics-discovery-url')).toHaveAttribute(
      'placeholder',
      'https://auth.sandbox.certdesk.test/.well-known/openid-configuration',
    );
    await expect(workspace.getByTestId('diagnostics-client')).toHaveValue(new RegExp(`^Demo mTLS client · ${demo.clientId}$`));
    await expect(workspace.getByTestId('diagnostics-audience')).toHaveAttribute('placeholder', API);

    // A refusal lands on its field: an unbound application and a certificate without a binding have no audience.
    await workspace.getByTestId('diagnostics-client-by-hand').click();
    await workspace.getByTestId('diagnostics-client-id').fill('unbound-application');
    await choose(page, workspace.getByTestId('diagnostics-cert'), 'diag-spare');
    await expect(workspace.getByTestId('diagnostics-audience')).toHaveAttribute('placeholder', 'No default: type the API identifier');
    await workspace.getByTestId('diagnostics-run').click();
    const refused = workspace.getByTestId('diagnostics-error');
    await expect(refused).toHaveAttribute('data-code', 'VALIDATION');
    await expect(refused).toHaveAttribute('data-field', 'audience');
    await expect(refused).toContainText('Which API should the token be for?');
    await expect(workspace.getByTestId('diagnostics-audience')).toBeFocused();
    // Back to the bound application: the certificate chosen for the other one is dropped (the default is the bound one).
    await workspace.getByTestId('diagnostics-client-choose').click();
    await expect(workspace.getByTestId('diagnostics-client')).toHaveValue(new RegExp(`^Demo mTLS client · ${demo.clientId}$`));
    await expect(workspace.getByTestId('diagnostics-cert')).toHaveValue('');
    await expect(workspace.getByTestId('diagnostics-cert')).toHaveAttribute(
      'placeholder',
      'The newest certificate bound to the application',
    );

    // ── Edge settings: the custom domain's discovery, nginx's address, the root its server certificate chains to ──
    await edge.getByTestId('diagnostics-discovery-url').fill(`https://${DOMAIN}/.well-known/openid-configuration`);
    await edge.getByTestId('diagnostics-edge-address').fill('localhost port 1');
    await edge.getByTestId('diagnostics-settings-save').click();
    await expect(edge.getByTestId('diagnostics-edge-address')).toBeFocused();
    await expect(edge).toContainText('The edge address is host:port');
    await edge.getByTestId('diagnostics-edge-address').fill(`127.0.0.1:${port}`);
    await edge.getByTestId('diagnostics-settings-audience').fill(API);
    await edge.getByTestId('diagnostics-edge-ca').fill(root.pem);
    await expect(workspace.getByTestId('diagnostics-unsaved-warning')).toBeVisible();
    await edge.getByTestId('diagnostics-settings-save').click();
    await expect(edge).toHaveAttribute('data-configured', 'true');
    await expect(edge.getByTestId('diagnostics-settings-dirty')).toHaveCount(0);
    // Saved, the section folds to a summary of what is stored.
    await expect(edge.getByTestId('diagnostics-settings-toggle')).toHaveAttribute('aria-expanded', 'false');
    await expect(edge.getByTestId('diagnostics-settings-summary')).toHaveText(
      `edge 127.0.0.1:${port} · own discovery URL · edge CA set · audience ${API}`,
    );
    await expect(workspace.getByTestId('diagnostics-unsaved-warning')).toHaveCount(0);

    // ── Run: every stage passes but the resource server's, skipped without a URL ──
    await workspace.getByTestId('diagnostics-run').click();
    const summary = workspace.getByTestId('diagnostics-summary');
    await expect(summary).toHaveAttribute('data-ok', 'true');
    // A skipped stage checked nothing: the headline counts it instead of saying "All stages passed".
    await expect(summary).toContainText('7 of 8 stages passed, 1 skipped');
    await expect(summary).not.toContainText('All stages passed');
    const stages = workspace.getByTestId('diagnostic-stage');
    await expect(stages).toHaveCount(8);
    const expected = [
      'discovery',
      'edge-handshake',
      'token',
      'signature',
      'binding',
      'reject-no-cert',
      'reject-foreign-cert',
      'resource-server',
    ];
    for (const [index, id] of expected.entries()) {
      await expect(stages.nth(index)).toHaveAttribute('data-stage', id);
      await expect(stages.nth(index)).toHaveAttribute('data-status', id === 'resource-server' ? 'skip' : 'pass');
    }
    const skipped = workspace.locator('[data-testid="diagnostic-stage"][data-stage="resource-server"]');
    await expect(skipped.getByTestId('stage-code')).toHaveText('NO_RESOURCE_URL');
    await expect(skipped.getByTestId('stage-cause')).toContainText('No resource URL was given.');
    await expect(skipped.getByTestId('stage-fix')).toBeVisible();
    await expect(workspace.getByTestId('diagnostics-token-endpoint')).toContainText(`https://mtls.${DOMAIN}/oauth/token`);
    await expect(workspace.getByTestId('diagnostics-audience-used')).toContainText(API);

    // A stage's evidence and its command open from the keyboard.
    const tokenStage = workspace.locator('[data-testid="diagnostic-stage"][data-stage="token"]');
    await expect(tokenStage.getByTestId('stage-command')).toBeHidden();
    await tokenStage.getByTestId('stage-toggle').focus();
    await page.keyboard.press('Enter');
    await expect(tokenStage.getByTestId('stage-toggle')).toHaveAttribute('aria-expanded', 'true');
    await expect(tokenStage.getByTestId('stage-command')).toBeVisible();
    await expect(tokenStage.getByTestId('stage-command')).toContainText(
      `--connect-to mtls.${DOMAIN}:443:127.0.0.1:${port} --cacert edge-ca.pem --cert client.pem --key client-key.pem`,
    );
    await expect(tokenStage.getByTestId('stage-command-copy')).toBeVisible();
    await expect(tokenStage.getByTestId('stage-evidence-row').first()).toBeVisible();

    // The binding: the token's cnf equals the certificate's thumbprint, side by side.
    const bindingStage = workspace.locator('[data-testid="diagnostic-stage"][data-stage="binding"]');
    await bindingStage.getByTestId('stage-toggle').click();
    await expect(bindingStage.getByTestId('binding-thumbprints')).toHaveAttribute('data-match', 'match');
    await expect(bindingStage.getByTestId('thumbprint-certificate')).toContainText(client.sha256Base64url);
    await expect(bindingStage.getByTestId('thumbprint-token')).toContainText(client.sha256Base64url);

    // The decoded token, its cnf.x5t#S256 marked.
    const token = page.getByTestId('diagnostics-token');
    await expect(token).toHaveAttribute('data-has-token', 'true');
    await expect(token.getByTestId('token-header')).toContainText('"alg": "RS256"');
    await expect(token.getByTestId('token-payload')).toContainText(`"aud": "${API}"`);
    await expect(token.getByTestId('token-cnf-line')).toContainText(`"x5t#S256": "${client.sha256Base64url}"`);
    await expect(token.getByTestId('token-thumbprints')).toHaveAttribute('data-match', 'match');

    // The files the commands name: web mode hands them to the browser as downloads, no folder asked for anywhere.
    await expect(workspace.getByTestId('diagnostics-files-dir')).toHaveCount(0);
    await workspace.getByTestId('diagnostics-files-passphrase').fill('flight check files 2026');
    const downloads: Download[] = [];
    const allSix = new Promise<void>((resolve) => {
      const collect = (download: Download) => {
        downloads.push(download);
        if (downloads.length === 6) {
          page.off('download', collect);
          resolve();
        }
      };
      page.on('download', collect);
    });
    await workspace.getByTestId('diagnostics-files-save').click();
    await allSix;
    await expect(workspace.getByTestId('diagnostics-files-saved')).toContainText("6 files saved to your browser's downloads");
    const flightFiles = join(dataDir, 'flight-files');
    mkdirSync(flightFiles);
    for (const download of downloads) await download.saveAs(join(flightFiles, download.suggestedFilename()));
    expect(readdirSync(flightFiles).sort()).toEqual([
      'ca-bundle.pem',
      'client-key.pem',
      'client.pem',
      'edge-ca.pem',
      'foreign-key.pem',
      'foreign.pem',
    ]);
    expect(readFileSync(join(flightFiles, 'client.pem'), 'utf8')).toContain('BEGIN CERTIFICATE');
    expect(readFileSync(join(flightFiles, 'client-key.pem'), 'utf8')).toContain('BEGIN ENCRYPTED PRIVATE KEY');
    // openssl opens the key with the passphrase, and it is the certificate's key.
    const keyPublic = openssl(['pkey', '-in', join(flightFiles, 'client-key.pem'), '-passin', 'pass:flight check files 2026', '-pubout']);
    expect(keyPublic.status, keyPublic.output).toBe(0);
    expect(keyPublic.stdout).toBe(openssl(['x509', '-in', join(flightFiles, 'client.pem'), '-noout', '-pubkey']).stdout);

    // ── One-click rotation of the due, bound certificate, verified with a real token through this edge ──
    await page.getByTestId('nav-schedule').click();
    const row = page.locator('[data-testid="schedule-row"][data-schedule-name="diag-client"]');
    await expect(row).toHaveAttribute('data-schedule-state', 'due');
    await row.getByTestId('schedule-rotate').click();
    const rotate = page.getByTestId('rotate-dialog');
    await rotate.getByTestId('rotate-overlap').click();
    await page.getByRole('option', { name: /No overlap/ }).click();
    await expect(rotate.getByTestId('rotate-verify')).toBeChecked();
    await rotate.getByTestId('rotate-start').click();
    await expect(rotate.getByTestId('rotation-outcome')).toHaveAttribute('data-state', 'done');
    // Steps by name: the numbers move when a step is added (deliver, issue 11).
    const stepRow = (name: RotationStepName) => rotate.locator(`[data-testid="rotation-step"][data-step="${rotationStep(name)}"]`);
    await expect(stepRow('verify')).toHaveAttribute('data-status', 'done');
    await expect(stepRow('verify')).toContainText('token bound to x5t#S256');
    for (const name of ['issue-successor', 'add-credential', 'bind-both', 'remove-old', 'supersede'] as const)
      await expect(stepRow(name)).toHaveAttribute('data-status', 'done');
    await rotate.getByRole('button', { name: 'Close' }).click();
    // The successor, a full 90 days, is no longer due.
    await expect(row).toHaveAttribute('data-schedule-state', 'ok');
    await page.getByTestId('nav-diagnostics').click();
    await expect(workspace).toHaveAttribute('data-tenant-name', 'Sandbox');

    // ── The edge turns to optional client verification: the flight check names it ──
    await operator(dataDir, [
      'edge',
      'export',
      '--out',
      bundleDir,
      '--ca',
      issuing.id,
      ...settingsFlags({ ...settings, verifyClient: 'optional' }),
    ]);
    expect(readFileSync(join(bundleDir, 'certdesk-edge.conf'), 'utf8')).toContain('ssl_verify_client      optional;');
    await nginx.reload();

    await workspace.getByTestId('diagnostics-run').click();
    await expect(summary).toHaveAttribute('data-ok', 'false');
    await expect(summary).toHaveAttribute('data-failed', '1');
    await expect(summary).toContainText('1 stage failed');
    const noCert = workspace.locator('[data-testid="diagnostic-stage"][data-stage="reject-no-cert"]');
    await expect(noCert).toHaveAttribute('data-status', 'fail');
    await expect(noCert).toHaveAttribute('data-code', 'EDGE_VERIFY_NOT_ON');
    await expect(noCert.getByTestId('stage-cause')).toContainText('The edge let a request without a certificate through to Auth0');
    await expect(noCert.getByTestId('stage-fix')).toContainText('ssl_verify_client on');
    // A failed stage opens by itself, its command ready to repeat by hand.
    await expect(noCert.getByTestId('stage-command')).toBeVisible();
    await expect(noCert.getByTestId('stage-command')).not.toContainText('--cert ');
    for (const id of ['discovery', 'edge-handshake', 'token', 'signature', 'binding', 'reject-foreign-cert']) {
      await expect(workspace.locator(`[data-testid="diagnostic-stage"][data-stage="${id}"]`)).toHaveAttribute('data-status', 'pass');
    }
    // The summary's link takes the focus to the failed stage.
    await summary.getByTestId('summary-failed-stage').click();
    await expect(noCert).toBeFocused();
  } finally {
    await nginx?.stop();
    await host.stop();
  }
});

test('diagnostics: edge settings cleared while the page showed an older list open as "not set", not folded on the old ones', async ({
  page,
  dataDir,
}) => {
  const host = await startHost(dataDir, { CERTDESK_SANDBOX_DIR: join(dataDir, 'sandbox') });
  try {
    const rpc = hostRpc(host);
    await rpc('sandbox:start', {});
    await rpc('tenants:diagnostics', { tenant: 'Sandbox', settings: { edgeAddress: '127.0.0.1:9', audience: API } });
    await page.goto(host.url);
    await expect(page.getByTestId('app-ready')).toBeVisible();
    await page.getByTestId('nav-diagnostics').click();
    const edge = page.getByTestId('diagnostics-settings');
    await expect(edge).toHaveAttribute('data-configured', 'true');
    await expect(edge.getByTestId('diagnostics-settings-toggle')).toHaveAttribute('aria-expanded', 'false');

    // On the Tenants page, which read the list before, the settings are cleared by another caller. Back on
    // Diagnostics (its chunk already in, so it mounts as Tenants unmounts), the page starts from the list
    // Tenants held, while its own read of the fresh one is held back.
    await page.getByTestId('nav-tenants').click();
    await expect(page.getByTestId('tenant-row')).toHaveCount(1);
    await rpc('tenants:diagnostics', { tenant: 'Sandbox', settings: {} });
    const freshList = await holdRoute(page, rpcCallTo('tenants:list'));
    await page.getByTestId('nav-diagnostics').click();
    await expect(edge).toHaveAttribute('data-configured', 'true');
    await expect.poll(freshList.asked).toBe(true);
    freshList.release();
    // The fresh list: nothing stored, so the section is open on an empty form, ready to fill in.
    await expect(edge).toHaveAttribute('data-configured', 'false');
    await expect(edge.getByTestId('diagnostics-settings-toggle')).toHaveAttribute('aria-expanded', 'true');
    await expect(edge.getByTestId('diagnostics-discovery-url')).toBeVisible();
    await expect(edge.getByTestId('diagnostics-edge-address')).toHaveValue('');
  } finally {
    await host.stop();
  }
});
