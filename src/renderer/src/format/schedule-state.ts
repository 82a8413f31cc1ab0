import type { ScheduleItem, ScheduleState } from '../../../shared/contract/index.ts';

/** Expired red, overdue orange, due yellow, ok green: the order `schedule:list` sorts by. */
export const SCHEDULE_STATE_META: Record<ScheduleState, { label: string; color: string; hint: string }> = {
  expired: { label: 'Expired', color: 'red', hint: 'Past its not-after date: clients using it are already refused.' },
  overdue: { label: 'Overdue', color: 'orange', hint: 'Renewal was due and less than a week is left before it expires.' },
  due: { label: 'Due', color: 'yellow', hint: 'Its renewal time has passed: renew it now.' },
  ok: { label: 'OK', color: 'green', hint: 'Nothing to do before its renewal time.' },
};

export const SCHEDULE_STATES: readonly ScheduleState[] = ['expired', 'overdue', 'due', 'ok'];

/**
 * Warnings about a CA that expires before what it signed (or leaves too little room for a
 * renewal): the cascade that takes every client down at once. `ScheduleItem.warnings` are
 * sentences, so this reads their wording; the other warnings (an imported certificate) are notes.
 */
export function isCascadeWarning(warning: string): boolean {
  return /outlive|before this certificate|renew the CA first/i.test(warning);
}

export function hasCascadeWarning(item: ScheduleItem): boolean {
  return item.warnings.some(isCascadeWarning);
}

export function kindLabel(item: ScheduleItem): string {
  return item.kind === 'ca' ? 'CA' : 'Certificate';
}
