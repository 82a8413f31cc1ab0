import { describe, expect, it } from 'vitest';
import { matchesApproved, withApprovedSettings, type EdgeFormValues } from '../../src/renderer/src/pages/edge/edge-form.ts';
import type { EdgeSettings } from '../../src/shared/contract/index.ts';

const blank: EdgeFormValues = {
  ca: [],
  tenant: '',
  serverName: '',
  listen: '443',
  serverCertificatePath: '',
  serverKeyPath: '',
  upstream: '',
  upstreamHost: '',
  cnameApiKeyInclude: '',
  clientIpHeader: 'X-Forwarded-For',
  bundleDir: '/etc/nginx/certdesk',
  accessLog: '',
  reloadPreset: 'none',
  reloadContainer: '',
};

const approved: EdgeSettings = {
  serverName: 'auth.example.com',
  listen: '443',
  serverCertificatePath: '/etc/nginx/tls/edge.crt',
  serverKeyPath: '/etc/nginx/tls/edge.key',
  upstream: 'https://tenant.edge.tenants.auth0.com',
  upstreamHost: 'auth.example.com',
  cnameApiKeyInclude: '/etc/nginx/secrets/cname.conf',
  clientIpHeader: 'X-Forwarded-For',
  bundleDir: '/etc/nginx/certdesk',
  verifyClient: 'on',
};

describe('the Edge page compares typed settings with the approved ones as main does', () => {
  it('an access log left out matches an approval without one, and a typed one does not', () => {
    const typed = withApprovedSettings(blank, approved);
    expect(typed.accessLog).toBe('');
    expect(matchesApproved(typed, approved)).toBe(true);
    expect(matchesApproved({ ...typed, accessLog: '/var/log/nginx/certdesk.log' }, approved)).toBe(false);
  });

  it('an approved access log comes back into the form and matches', () => {
    const withLog: EdgeSettings = { ...approved, accessLog: '/var/log/nginx/certdesk.log' };
    const typed = withApprovedSettings(blank, withLog);
    expect(typed.accessLog).toBe('/var/log/nginx/certdesk.log');
    expect(matchesApproved(typed, withLog)).toBe(true);
    expect(matchesApproved({ ...typed, upstream: 'https://other.edge.tenants.auth0.com' }, withLog)).toBe(false);
  });
});
