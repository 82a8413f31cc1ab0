/** The expiry webhook against a real HTTP listener on 127.0.0.1: the test payload, the round's once-per-threshold POST, and refusals. */
import type { Database } from 'better-sqlite3';
import { describe, expect, it, onTestFinished } from 'vitest';
import { Webhook } from '../../src/main/core/webhook/webhook.ts';
import { systemClock } from '../../src/main/core/clock.ts';
import { startBackgroundWork } from '../../src/main/host/background.ts';
import type { WebhookPayload } from '../../src/shared/contract/index.ts';
import { closedLoopbackUrl, startHttpListener } from '../support/http-listener.ts';
import { withIssuingCa } from '../support/pki.ts';

function auditActions(db: Database, prefix: string): string[] {
  return (db.prepare('SELECT action FROM audit_log WHERE action LIKE ? ORDER BY seq').all(`${prefix}%`) as { action: string }[]).map(
    (row) => row.action,
  );
}

describe('the expiry webhook', () => {
  it('sends a test payload, then each newly due certificate once per threshold from the background round', async () => {
    const listener = await startHttpListener();
    onTestFinished(() => listener.close());
    const t = await withIssuingCa();
    // A 10-day certificate is inside its renewal window at once (due); a 90-day one is not.
    const due = await t.service.issue({
      ca: 'Test Issuing',
      subject: { commonName: 'due-client' },
      days: 10,
      source: { kind: 'generated' },
    });
    await t.service.issue({ ca: 'Test Issuing', subject: { commonName: 'fine-client' }, days: 90, source: { kind: 'generated' } });

    const view = t.service.webhook.set(listener.url);
    expect(view).toMatchObject({ url: listener.url, available: true, lastResult: null });

    const test = await t.service.webhook.test();
    expect(test).toMatchObject({ ok: true, status: 204, kind: 'test', error: null });
    const first = await listener.nth(1);
    expect(first.method).toBe('POST');
    expect(first.headers['content-type']).toBe('application/json');
    expect(first.json).toMatchObject({ type: 'certdesk.test', version: 1, items: [], omitted: 0 });

    // No notices (as in web mode): the webhook alone has something to tell, and is told it.
    const background = startBackgroundWork(t.service, { intervalMs: 3_600_000 });
    onTestFinished(() => background.stop());
    await background.tick();
    const warning = (await listener.nth(2)).json as WebhookPayload;
    expect(warning.type).toBe('certdesk.expiry-warning');
    expect(warning.items).toEqual([
      {
        id: due.id,
        kind: 'leaf',
        name: 'due-client',
        state: 'due',
        renewAt: expect.any(String),
        notAfter: due.notAfter,
        issuer: 'Test Issuing',
        profile: 'auth0-mtls-client',
      },
    ]);
    expect(t.service.webhook.show().lastResult).toMatchObject({ ok: true, kind: 'warning', items: 1, status: 204 });

    // The same threshold is never sent twice: the next round posts nothing.
    await background.tick();
    expect(listener.requests).toHaveLength(2);
    expect(t.service.db.prepare('SELECT subject_id, threshold FROM webhook_sent').all()).toEqual([
      { subject_id: due.id, threshold: 'due' },
    ]);
    expect(auditActions(t.service.db, 'webhook.')).toEqual(['webhook.set', 'webhook.sent']);
  });

  it('names an unreachable receiver, keeps it as the last result and in the audit log, and retries next round', async () => {
    const t = await withIssuingCa();
    await t.service.issue({ ca: 'Test Issuing', subject: { commonName: 'due-client' }, days: 10, source: { kind: 'generated' } });
    t.service.webhook.set(await closedLoopbackUrl());

    await expect(t.service.webhook.test()).rejects.toMatchObject({ code: 'WEBHOOK_UNREACHABLE', field: 'url' });
    expect(t.service.webhook.show().lastResult).toMatchObject({
      ok: false,
      kind: 'test',
      status: null,
      error: { code: 'WEBHOOK_UNREACHABLE' },
    });

    const failed = await t.service.webhook.announce(t.service.schedule({}));
    expect(failed).toMatchObject({ ok: false, kind: 'warning', error: { code: 'WEBHOOK_UNREACHABLE' } });
    // Nothing is remembered as sent: the next round tries again. The same failure again is not logged again.
    expect(t.service.db.prepare('SELECT COUNT(*) AS n FROM webhook_sent').get()).toEqual({ n: 0 });
    await t.service.webhook.announce(t.service.schedule({}));
    expect(auditActions(t.service.db, 'webhook.')).toEqual(['webhook.set', 'webhook.failed', 'webhook.failed']);
  });

  it('names a receiver that answers non-2xx, and one that does not answer in time', async () => {
    const refusing = await startHttpListener((_request, response) => void response.writeHead(503).end('busy'));
    const silent = await startHttpListener(() => 'hang');
    onTestFinished(() => Promise.all([refusing.close(), silent.close()]).then(() => undefined));
    const t = await withIssuingCa();
    t.service.webhook.set(refusing.url);
    await expect(t.service.webhook.test()).rejects.toMatchObject({ code: 'WEBHOOK_REJECTED', message: expect.stringContaining('503') });
    expect(t.service.webhook.show().lastResult).toMatchObject({ ok: false, status: 503 });

    const hook = new Webhook(t.service.db, systemClock, t.service.audit, { timeoutMs: 300 });
    hook.set(silent.url);
    await expect(hook.test()).rejects.toMatchObject({ code: 'WEBHOOK_TIMEOUT' });
    expect(silent.requests).toHaveLength(1);
  });

  it.each([
    ['http://hooks.example.com/certdesk', 'https://'],
    ['https://ops:secret@hooks.example.com/certdesk', 'user name or password'],
    ['ftp://127.0.0.1/hook', 'https://'],
    ['not a url', 'not a URL'],
    ['https://hooks.example.com/x#frag', 'fragment'],
  ])('refuses %s with nothing changed', async (url, words) => {
    const listener = await startHttpListener();
    onTestFinished(() => listener.close());
    const t = await withIssuingCa();
    t.service.webhook.set(listener.url);
    const auditRows = t.service.db.prepare('SELECT COUNT(*) AS n FROM audit_log').get();
    expect(() => t.service.webhook.set(url)).toThrow(
      expect.objectContaining({ code: 'WEBHOOK_URL_INVALID', field: 'url', message: expect.stringContaining(words) }),
    );
    expect(t.service.webhook.show().url).toBe(listener.url);
    expect(t.service.db.prepare('SELECT COUNT(*) AS n FROM audit_log').get()).toEqual(auditRows);
    expect(listener.requests).toHaveLength(0);
  });

  it('accepts https anywhere and http to loopback only', async () => {
    const t = await withIssuingCa();
    expect(t.service.webhook.set('https://hooks.example.com/certdesk/abc').url).toBe('https://hooks.example.com/certdesk/abc');
    expect(t.service.webhook.set('http://localhost:8080/h').url).toBe('http://localhost:8080/h');
    expect(t.service.webhook.set('http://[::1]:9/h').url).toBe('http://[::1]:9/h');
    expect(t.service.webhook.set(null).url).toBeNull();
  });

  it('on an offline signer: refused to set or test, and the round sends nothing', async () => {
    const listener = await startHttpListener();
    onTestFinished(() => listener.close());
    const t = await withIssuingCa();
    await t.service.issue({ ca: 'Test Issuing', subject: { commonName: 'due-client' }, days: 10, source: { kind: 'generated' } });
    t.service.webhook.set(listener.url);
    await t.service.setRole('signer', 'signer');
    expect(t.service.webhook.show().available).toBe(false);
    expect(() => t.service.webhook.set('https://hooks.example.com/x')).toThrow(expect.objectContaining({ code: 'ROLE_OFFLINE' }));
    await expect(t.service.webhook.test()).rejects.toMatchObject({ code: 'ROLE_OFFLINE' });
    expect(await t.service.webhook.announce(t.service.schedule({}))).toBeNull();
    expect(listener.requests).toHaveLength(0);
    expect(t.service.webhook.show().url).toBe(listener.url);
  });
});
