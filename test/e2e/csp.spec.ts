import { CONTENT_SECURITY_POLICY, contentSecurityPolicy } from '../../src/main/host/content-security.ts';
import { expect, startHost, test } from './web-host-fixture.ts';

interface Violation {
  directive: string;
  policy: string;
  sample: string;
}
/** The few DOM pieces the probe touches (the test project compiles without the DOM library). */
interface ProbeElement {
  textContent: string | null;
  setAttribute(name: string, value: string): void;
}
interface ProbeDocument {
  addEventListener(
    type: 'securitypolicyviolation',
    listener: (e: { effectiveDirective: string; originalPolicy: string; sample: string }) => void,
  ): void;
  createElement(tag: string): ProbeElement;
  body: { append(node: ProbeElement): void };
}
type Probe = typeof globalThis & { document: ProbeDocument; __violations?: Violation[]; __injected?: unknown; __handler?: unknown };

test('csp: the page is served with the builder’s policy, and a script injected into it never runs', async ({ page, dataDir }) => {
  const host = await startHost(dataDir);
  try {
    const response = await page.goto(host.url);
    expect(response?.headers()['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    await expect(page.getByTestId('app-ready')).toBeVisible();

    await page.evaluate(() => {
      const probe = globalThis as Probe;
      const { document } = probe;
      probe.__violations = [];
      document.addEventListener('securitypolicyviolation', (e) =>
        probe.__violations!.push({ directive: e.effectiveDirective, policy: e.originalPolicy, sample: e.sample }),
      );
      // What an injection would do: an inline <script>, and an inline event handler.
      const script = document.createElement('script');
      script.textContent = 'globalThis.__injected = "ran";';
      document.body.append(script);
      const img = document.createElement('img');
      img.setAttribute('onerror', 'globalThis.__handler = "ran"');
      img.setAttribute('src', 'data:image/png;base64,AA==');
      document.body.append(img);
    });

    await expect
      .poll(() => page.evaluate(() => ((globalThis as Probe).__violations ?? []).map((v) => v.directive).sort()))
      .toEqual(expect.arrayContaining(['script-src-attr', 'script-src-elem']));
    expect(await page.evaluate(() => (globalThis as Probe).__injected)).toBeUndefined();
    expect(await page.evaluate(() => (globalThis as Probe).__handler)).toBeUndefined();
    // The header's policy (it alone carries frame-ancestors) is one of those that refused the script.
    const policies = await page.evaluate(() => ((globalThis as Probe).__violations ?? []).map((v) => v.policy));
    expect(policies).toContain(CONTENT_SECURITY_POLICY);
    expect(CONTENT_SECURITY_POLICY).not.toBe(contentSecurityPolicy('meta'));
    // And the app still works under it.
    await expect(page.getByTestId('app-ready')).toBeVisible();
  } finally {
    await host.stop();
  }
});
