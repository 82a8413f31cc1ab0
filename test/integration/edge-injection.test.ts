import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { publishEdge, republishIfChanged } from '../../src/main/core/edge/publish-edge.ts';
import { createHandlers, dispatch } from '../../src/main/host/dispatch.ts';
import type { EdgeSettings } from '../../src/shared/contract/index.ts';
import { withIssuingCa } from '../support/pki.ts';
import { tempDir } from '../support/temp.ts';
import { edgeSettings } from '../support/edge-settings.ts';

/**
 * Issue 10, finding 3. The upstream parses as a URL whose path is `/` with no query or fragment (what
 * the old check asked), because the URL parser drops the tabs and newlines and reads everything up
 * to the last `@` as a user name. Written raw, it ends the mTLS location after a forged
 * `client-certificate-ca-verified SUCCESS`, and opens a named location that swallows the real
 * certificate headers.
 */
const ATTACK = 'http://localhost;\n\tproxy_set_header\tclient-certificate-ca-verified\tSUCCESS;\n}\nlocation\t@dead\t{';
/** The same without white space, so the schema's control-character rule cannot be what stops it. */
const ATTACK_PRINTABLE = 'http://localhost;}location@dead{';

const SAFE: EdgeSettings = edgeSettings();

function counts(t: Awaited<ReturnType<typeof withIssuingCa>>) {
  return t.service.db
    .prepare('SELECT (SELECT count(*) FROM edge_publications) p, (SELECT count(*) FROM audit_log) a, (SELECT count(*) FROM crls) c')
    .get();
}

describe('nginx directive injection through the edge settings (issue 10, finding 3)', () => {
  it('is a value the old check let through', () => {
    for (const value of [ATTACK, ATTACK_PRINTABLE]) {
      const url = new URL(value);
      expect([url.protocol, url.pathname, url.search, url.hash]).toEqual(['http:', '/', '', '']);
    }
  });

  it('is refused at the API boundary, naming the upstream field; nothing is written or recorded', async () => {
    const t = await withIssuingCa();
    const handlers = createHandlers(t.service);
    const out = join(tempDir(), 'out');
    const before = counts(t);
    // With its tabs and newlines it meets the schema's printable-text rule (named by input path); without
    // them, the nginx rules (named by setting, as the config writer names it).
    for (const [upstream, field] of [
      [ATTACK, 'settings.upstream'],
      [ATTACK_PRINTABLE, 'upstream'],
    ] as const) {
      for (const [channel, input] of [
        ['edge:publish', { ca: 'Test Issuing', dir: out, settings: { ...SAFE, upstream } }],
        ['edge:preview', { ca: 'Test Issuing', settings: { ...SAFE, upstream } }],
      ] as const) {
        const result = await dispatch(handlers, channel, input);
        expect(result).toMatchObject({ ok: false, error: { code: 'VALIDATION', field, message: expect.stringMatching(/^upstream/) } });
      }
    }
    // The printable one meets the nginx rule itself, which says what to fix.
    expect(
      await dispatch(handlers, 'edge:preview', { ca: 'Test Issuing', settings: { ...SAFE, upstream: ATTACK_PRINTABLE } }),
    ).toMatchObject({
      error: { message: expect.stringContaining('without a user name or password') },
    });
    // A client-IP header that would stand in for the verification header is refused the same way.
    expect(
      await dispatch(handlers, 'edge:publish', {
        ca: 'Test Issuing',
        dir: out,
        settings: { ...SAFE, clientIpHeader: 'client-certificate-ca-verified' },
      }),
    ).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'clientIpHeader' } });
    expect(existsSync(out)).toBe(false);
    expect(counts(t)).toEqual(before);
  });

  it('is refused by the config writer too, for a caller past the boundary and for settings stored by an older certdesk', async () => {
    const t = await withIssuingCa();
    const ctx = t.service.edgeContext();
    const out = join(tempDir(), 'bundle');
    const before = counts(t);
    await expect(
      publishEdge(ctx, t.service.crls, { ca: 'Test Issuing', dir: out, settings: { ...SAFE, upstream: ATTACK } }),
    ).rejects.toMatchObject({ code: 'VALIDATION', field: 'upstream' });
    expect(existsSync(out)).toBe(false);
    expect(counts(t)).toEqual(before);

    // A publication an older certdesk recorded with the crafted upstream: rotation republishes from it.
    // Published by the operator (the CLI's path), so the folder and settings are the approved ones.
    await t.service.publishEdge({ ca: 'Test Issuing', dir: out, settings: SAFE });
    expect(readdirSync(out).sort()).toEqual(['README.md', 'ca-bundle.pem', 'certdesk-edge.conf', 'crl.pem']);
    rmSync(out, { recursive: true });
    t.service.db
      .prepare('UPDATE edge_publications SET settings = ?, bundle_sha256 = ?')
      .run(JSON.stringify({ ...SAFE, upstream: ATTACK }), 'stale');
    const stored = counts(t);
    await expect(republishIfChanged(ctx, t.service.crls, t.issuingId)).rejects.toMatchObject({ code: 'VALIDATION', field: 'upstream' });
    expect(existsSync(out)).toBe(false);
    expect(counts(t)).toEqual(stored);
  });
});
