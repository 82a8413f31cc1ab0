/**
 * The desktop app's way to add a target: the folder comes from main's native folder dialog, never
 * from the renderer's input, and a reload argv or an ssh host is confirmed in a native message box.
 * Driven here through the same dispatch Electron's IPC uses, with the dialogs answered by the test.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dialogTargetApprover } from '../../src/main/core/delivery/target-approver.ts';
import { resolveOwnerId } from '../../src/main/core/delivery/owners.ts';
import { parseKeyMode } from '../../src/main/core/delivery/target-specs.ts';
import { createHandlers, dispatch } from '../../src/main/host/dispatch.ts';
import { withIssuingCa } from '../support/pki.ts';
import { files } from '../support/pki.ts';
import { tempDir } from '../support/temp.ts';

async function desktop(answers: { folder: string | null; confirm: boolean }) {
  const t = await withIssuingCa();
  const cert = await t.service.issue({ ca: 'Test Issuing', subject: { commonName: 'desk' }, source: { kind: 'generated' } });
  const asked: string[][] = [];
  const handlers = createHandlers(t.service, {
    targetApprover: dialogTargetApprover(
      () => Promise.resolve(answers.folder),
      (summary) => {
        asked.push([...summary]);
        return Promise.resolve(answers.confirm);
      },
    ),
  });
  const count = () => (t.service.db.prepare('SELECT count(*) AS n FROM delivery_targets').get() as { n: number }).n;
  return { t, cert, handlers, asked, count };
}

describe('adding a target from the desktop app', () => {
  it('uses the folder the operator chose in the dialog, not the path the renderer sent', async () => {
    const chosen = join(tempDir(), 'chosen');
    const planted = join(tempDir(), 'planted');
    const { cert, handlers } = await desktop({ folder: chosen, confirm: true });
    const result = await dispatch(handlers, 'targets:add', { cert: cert.id, kind: 'folder', path: planted });
    expect(result).toMatchObject({ ok: true, value: { target: { spec: { path: chosen }, approvedBy: 'electron-dialog' } } });
    expect(existsSync(planted)).toBe(false);
  });

  it('a cancelled dialog or a refused confirmation stores nothing', async () => {
    const cancelled = await desktop({ folder: null, confirm: true });
    expect(await dispatch(cancelled.handlers, 'targets:add', { cert: cancelled.cert.id, kind: 'folder' })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', field: 'path' },
    });
    expect(cancelled.count()).toBe(0);

    const chosen = join(tempDir(), 'chosen');
    const refused = await desktop({ folder: chosen, confirm: false });
    const result = await dispatch(refused.handlers, 'targets:add', {
      cert: refused.cert.id,
      kind: 'folder',
      reload: ['/usr/bin/touch', '/tmp/x'],
    });
    expect(result).toMatchObject({ ok: false, error: { code: 'TARGET_NOT_APPROVED' } });
    expect(refused.asked).toEqual([[`folder ${chosen}`, 'then runs ["/usr/bin/touch","/tmp/x"] (no shell)']]);
    expect(refused.count()).toBe(0);
    expect(existsSync(chosen)).toBe(false);

    const ssh = await dispatch(refused.handlers, 'targets:add', {
      cert: refused.cert.id,
      kind: 'ssh',
      host: 'edge.example.com',
      user: 'deploy',
      path: '/srv/tls',
      hostKey: `SHA256:${'z'.repeat(43)}`,
    });
    expect(ssh).toMatchObject({ ok: false, error: { code: 'TARGET_NOT_APPROVED' } });
    expect(refused.asked[1]).toEqual(['ssh deploy@edge.example.com:22 /srv/tls', `host key SHA256:${'z'.repeat(43)}`]);
    expect(refused.count()).toBe(0);
  });
});

describe('target spec fields', () => {
  it('resolves owner and group names from passwd and group files, numbers as they are', () => {
    const f = files({
      passwd: 'root:x:0:0::/root:/bin/sh\napp:x:1234:1234::/srv/app:/usr/sbin/nologin\n',
      group: 'root:x:0:\nwww:x:33:\n',
    });
    const paths = { passwd: f.passwd!, group: f.group! };
    expect(resolveOwnerId('app', 'owner', paths)).toBe(1234);
    expect(resolveOwnerId('www', 'group', paths)).toBe(33);
    expect(resolveOwnerId('4321', 'owner', paths)).toBe(4321);
    expect(resolveOwnerId(undefined, 'owner', paths)).toBeNull();
    expect(() => resolveOwnerId('nobody-here', 'owner', paths)).toThrow(expect.objectContaining({ code: 'NOT_FOUND', field: 'owner' }));
    expect(() => resolveOwnerId('a;b', 'group', paths)).toThrow(expect.objectContaining({ code: 'VALIDATION', field: 'group' }));
    expect(readdirSync(f.dir).sort()).toEqual(['group', 'passwd']);
  });

  it('accepts key modes for the owner and at most the group', () => {
    expect(parseKeyMode(undefined)).toBe(0o600);
    expect(parseKeyMode('0640')).toBe(0o640);
    expect(parseKeyMode('400')).toBe(0o400);
    for (const bad of ['0644', '0606', '0040', '600x', '1600', ''])
      expect(() => parseKeyMode(bad), bad).toThrow(expect.objectContaining({ code: 'VALIDATION', field: 'mode' }));
  });
});
