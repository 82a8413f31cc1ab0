/**
 * The background round on a large inventory (issue 14 §6): it tells what is due, overdue or expired
 * exactly as the whole schedule would, while reading only those leaves, never every certificate.
 */
import { describe, expect, it } from 'vitest';
import { startBackgroundWork, type Notice } from '../../src/main/host/background.ts';
import { fillInventory } from '../../bench/inventory-fill.ts';
import { withIssuingCa } from '../support/pki.ts';

const TOTAL = 3_000;

describe('background round', () => {
  it('reads only the leaves that are due and tells the same ones as the whole schedule', async () => {
    const t = await withIssuingCa();
    await t.service.issue({ ca: 'Test Issuing', subject: { commonName: 'seed' }, source: { kind: 'generated' } });
    // Expiries spread over 400 days: some leaves are past their renewal time, most are not.
    fillInventory(t.service.db, TOTAL);
    const warning = t.service.schedule({}).filter((i) => i.kind === 'leaf' && ['due', 'overdue', 'expired'].includes(i.state));
    expect(warning.length).toBeGreaterThan(0);
    expect(warning.length).toBeLessThan(TOTAL / 2);

    // Every row the round reads from the certificates table, by whichever query it uses.
    const repository = t.service.edgeContext().certificates;
    let rowsRead = 0;
    const query = repository.query.bind(repository);
    const candidates = repository.renewalCandidates.bind(repository);
    repository.query = (...args) => {
      const result = query(...args);
      rowsRead += result.rows.length;
      return result;
    };
    repository.renewalCandidates = (...args) => {
      const rows = candidates(...args);
      rowsRead += rows.length;
      return rows;
    };

    const notices: Notice[] = [];
    const background = startBackgroundWork(t.service, { notify: (n) => notices.push(n), intervalMs: 3_600_000 });
    await background.tick();
    background.stop();

    expect(notices[0]).toMatchObject({ title: `${warning.length} certificates need rotation` });
    expect(rowsRead).toBeGreaterThanOrEqual(warning.length);
    expect(rowsRead).toBeLessThan(TOTAL / 2);
  });

  it('builds the schedule only when there is something new to tell: never without notices or a webhook', async () => {
    const t = await withIssuingCa();
    await t.service.issue({ ca: 'Test Issuing', subject: { commonName: 'seed' }, source: { kind: 'generated' } });
    fillInventory(t.service.db, TOTAL);
    let builds = 0;
    const schedule = t.service.schedule;
    t.service.schedule = (query) => {
      builds += 1;
      return schedule(query);
    };

    // Web mode: no notices, no webhook URL. The round reads the due states and nothing more.
    const quiet = startBackgroundWork(t.service, { intervalMs: 3_600_000 });
    await quiet.tick();
    quiet.stop();
    expect(builds).toBe(0);

    // With notices: the first round has everything due to tell; the next, nothing new.
    const notices: Notice[] = [];
    const told = startBackgroundWork(t.service, { notify: (n) => notices.push(n), intervalMs: 3_600_000 });
    await told.tick();
    expect(builds).toBe(1);
    expect(notices).toHaveLength(1);
    await told.tick();
    expect(builds).toBe(1);
    expect(notices).toHaveLength(1);

    // A certificate that enters a warning state between rounds is new: the round builds the schedule and tells it alone.
    await t.service.issue({ ca: 'Test Issuing', subject: { commonName: 'short-lived' }, days: 10, source: { kind: 'generated' } });
    await told.tick();
    told.stop();
    expect(builds).toBe(2);
    expect(notices[1]).toMatchObject({ title: 'A certificate is due', body: expect.stringContaining('short-lived') });
  });
});
