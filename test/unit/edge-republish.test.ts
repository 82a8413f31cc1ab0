import { describe, expect, it } from 'vitest';
import type { EdgeFormValues } from '../../src/renderer/src/pages/edge/edge-form.ts';
import { republishPlan } from '../../src/renderer/src/pages/edge/republish.ts';
import type { EdgeConfigView, EdgePublication, EdgeSettings } from '../../src/shared/contract/index.ts';

const form: EdgeFormValues = {
  ca: ['ca-form'],
  tenant: '',
  serverName: 'typed.example.com',
  listen: '443',
  serverCertificatePath: '/etc/nginx/tls/edge.crt',
  serverKeyPath: '/etc/nginx/tls/edge.key',
  upstream: 'https://tenant.edge.tenants.auth0.com',
  upstreamHost: '',
  cnameApiKeyInclude: '/etc/nginx/secrets/cname.conf',
  clientIpHeader: 'X-Forwarded-For',
  bundleDir: '/etc/nginx/certdesk',
  accessLog: '',
  reloadPreset: 'nginx',
  reloadContainer: '',
};

const approved: EdgeSettings = { ...form, serverName: 'approved.example.com', verifyClient: 'on' };

const config: EdgeConfigView = {
  folder: '/srv/edge',
  folderSetAt: '2026-01-01T00:00:00Z',
  folderSetBy: 'operator',
  settings: approved,
  settingsApprovedAt: '2026-01-01T00:00:00Z',
  settingsApprovedBy: 'operator',
  approved: true,
  problem: null,
  canChooseFolder: false,
  canApprove: false,
  approvedCas: null,
};

const last = { authorityIds: ['ca-old', 'ca-new'] } as EdgePublication;

describe("the palette's republish of the edge", () => {
  it('sends the approved settings, never the typed ones, with the last publication’s CAs and the chosen reload', () => {
    const plan = republishPlan(config, last, form, ['ca-old', 'ca-new', 'ca-form']);
    expect(plan).toEqual({
      ok: true,
      cas: ['ca-old', 'ca-new'],
      input: { ca: ['ca-old', 'ca-new'], settings: approved, reload: { preset: 'nginx' } },
    });
  });

  it('trusts the form’s CA when one of the last publication’s is no longer an issuing CA', () => {
    const plan = republishPlan(config, last, { ...form, reloadPreset: 'none' }, ['ca-new', 'ca-form']);
    expect(plan).toEqual({ ok: true, cas: ['ca-form'], input: { ca: 'ca-form', settings: approved } });
  });

  it('trusts the operator’s approved CA set over the last publication’s and the form’s, minus a CA that no longer issues', () => {
    const approvedCas = {
      source: 'approved' as const,
      approvedAt: '2026-01-02T00:00:00Z',
      approvedBy: 'cli',
      authorities: [
        { sha256: 'aa', id: 'ca-new', name: 'New' },
        { sha256: 'bb', id: 'ca-retired', name: 'Retired' },
        { sha256: 'cc', id: null, name: null },
      ],
    };
    const plan = republishPlan({ ...config, approvedCas }, last, form, ['ca-old', 'ca-new', 'ca-form']);
    expect(plan).toMatchObject({ ok: true, cas: ['ca-new'], input: { ca: 'ca-new', settings: approved } });
  });

  it('names what is missing, with the command that fixes it', () => {
    const noFolder = republishPlan({ ...config, folder: null }, last, form, ['ca-form']);
    expect(noFolder).toMatchObject({ ok: false, code: 'EDGE_FOLDER_NOT_SET', commands: ['certdesk edge folder set DIR'] });

    const noSettings = republishPlan({ ...config, settings: null }, undefined, form, ['ca-form']);
    expect(noSettings).toMatchObject({ ok: false, code: 'EDGE_SETTINGS_NOT_APPROVED' });
    expect(!noSettings.ok && noSettings.commands[0]).toMatch(/^certdesk edge settings set --server-name typed\.example\.com /);

    const broken = republishPlan({ ...config, approved: false, problem: 'changed outside certdesk' }, last, form, ['ca-form']);
    expect(broken).toMatchObject({ ok: false, code: 'EDGE_SETTINGS_NOT_APPROVED' });
    expect(!broken.ok && broken.message).toContain('changed outside certdesk');

    const noCa = republishPlan(config, undefined, { ...form, ca: [] }, []);
    expect(noCa).toMatchObject({ ok: false, code: 'VALIDATION' });
  });
});
