/** The Edge page's reading of the approved CA set: what it says before publishing, and the command it offers to copy. */
import { describe, expect, it } from 'vitest';
import { approvedChoice, caSetChange } from '../../src/renderer/src/pages/edge/edge-ca-approval.ts';
import { approveCommand } from '../../src/renderer/src/pages/edge/edge-form.ts';
import type { EdgeApprovedCas, EdgeSettings } from '../../src/shared/contract/index.ts';

const approved: EdgeApprovedCas = {
  source: 'approved',
  approvedAt: '2026-01-01T00:00:00.000Z',
  approvedBy: 'cli',
  authorities: [
    { sha256: 'aa'.repeat(32), id: 'old', name: 'Old Issuing' },
    { sha256: 'bb'.repeat(32), id: 'new', name: 'New Issuing' },
    { sha256: 'cc'.repeat(32), id: null, name: null },
  ],
};

describe('the chosen issuing CAs against the approved set', () => {
  it('names a CA outside the set as added, and approved ones left out (or gone) as removed', () => {
    expect(caSetChange(['old', 'arrived'], approved)).toEqual({
      added: ['arrived'],
      removed: [approved.authorities[1], approved.authorities[2]],
    });
    expect(caSetChange(['old', 'new'], approved)).toEqual({ added: [], removed: [approved.authorities[2]] });
  });

  it('counts every CA as added while no set is approved', () => {
    expect(caSetChange(['old'], null)).toEqual({ added: ['old'], removed: [] });
  });

  it('starts the select from the approved CAs certdesk still holds as issuing CAs', () => {
    expect(approvedChoice(approved, [{ id: 'new' }, { id: 'old' }, { id: 'other' }])).toEqual(['old', 'new']);
    expect(approvedChoice(approved, [{ id: 'other' }])).toEqual([]);
    expect(approvedChoice(null, [{ id: 'old' }])).toEqual([]);
  });

  it('offers the settings command with one --ca per chosen CA, after the settings', () => {
    const settings: EdgeSettings = {
      serverName: 'auth.example.com',
      listen: '443',
      serverCertificatePath: '/etc/nginx/tls/edge.crt',
      serverKeyPath: '/etc/nginx/tls/edge.key',
      upstream: 'https://tenant.example',
      cnameApiKeyInclude: '/etc/nginx/secrets/cname.conf',
      bundleDir: '/etc/nginx/certdesk',
    };
    const command = approveCommand(settings, ['3f2a-old', "it's"]);
    expect(command).toMatch(/^certdesk edge settings set --server-name auth\.example\.com /);
    expect(command.endsWith(` --bundle-dir /etc/nginx/certdesk --ca 3f2a-old --ca 'it'\\''s'`)).toBe(true);
    expect(approveCommand(settings)).not.toContain('--ca');
  });
});
