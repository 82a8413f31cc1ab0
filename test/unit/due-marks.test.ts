import { describe, expect, it } from 'vitest';
import { dueCount, dueMark, sameDueSummary, summarizeDue, type ScheduleItem, type ScheduleState } from '../../src/shared/contract/index.ts';

const item = (id: string, state: ScheduleState, kind: ScheduleItem['kind'] = 'leaf') => ({ id, state, kind }) as ScheduleItem;

describe('due marks', () => {
  it('are stable, and differ by item and by state', () => {
    expect(dueMark('crt_1', 'due')).toBe(dueMark('crt_1', 'due'));
    expect(dueMark('crt_1', 'due')).not.toBe(dueMark('crt_1', 'overdue'));
    expect(dueMark('crt_1', 'due')).not.toBe(dueMark('crt_2', 'due'));
    expect(dueMark('crt_1', 'due')).toMatch(/^[0-9a-z]+\.[0-9a-z]+$/);
    // 100,000 ids in three states: no two share a mark.
    const marks = new Set<string>();
    for (let n = 0; n < 100_000; n++) for (const state of ['due', 'overdue', 'expired'] as const) marks.add(dueMark(`crt_${n}`, state));
    expect(marks.size).toBe(300_000);
  });

  it('summarize what needs an operator: counts by state, CAs among them, one mark each; ok items are left out', () => {
    const summary = summarizeDue([
      item('a', 'expired'),
      item('b', 'overdue'),
      item('c', 'due', 'ca'),
      item('d', 'due'),
      item('e', 'ok'),
      item('f', 'ok', 'ca'),
    ]);
    expect(summary).toEqual({
      expired: 1,
      overdue: 1,
      due: 2,
      cas: 1,
      marks: [dueMark('a', 'expired'), dueMark('b', 'overdue'), dueMark('c', 'due'), dueMark('d', 'due')],
    });
    expect(dueCount(summary)).toBe(4);
    expect(summarizeDue([])).toEqual({ expired: 0, overdue: 0, due: 0, cas: 0, marks: [] });
  });

  it('compare equal only when every field does, a field added later included', () => {
    const items = [item('cert_a', 'due'), item('ca_b', 'expired', 'ca')];
    const summary = summarizeDue(items);
    expect(sameDueSummary(summary, summarizeDue(items))).toBe(true);
    // Each field in turn, whatever fields the summary has: a comparison that skips one fails here.
    for (const field of Object.keys(summary) as (keyof typeof summary)[]) {
      const value = summary[field];
      const changed = { ...summary, [field]: Array.isArray(value) ? [...value.slice(0, -1), 'other'] : Number(value) + 1 };
      expect(sameDueSummary(summary, changed), field).toBe(false);
    }
    expect(sameDueSummary(summary, { ...summary, marks: [...summary.marks].reverse() })).toBe(false);
  });
});
