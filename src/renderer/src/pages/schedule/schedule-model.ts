import type { ScheduleItem } from '../../../../shared/contract/index.ts';
import { addDays, isoWeek, isoWeekLabel, startOfIsoWeek } from '../../format/iso-week.ts';

const DAY_MS = 86_400_000;

export interface HeatmapWeek {
  /** `2025-W07`. */
  key: string;
  week: number;
  /** Monday 00:00 and the following Monday 00:00, local time. */
  start: Date;
  end: Date;
  /** The renewals that fall in this week, most urgent first. */
  items: ScheduleItem[];
  /** Of those, how many are already due (their renewal time has passed): only ever in the current week. */
  alreadyDue: number;
}

/**
 * One bucket per ISO week from the current one on. A renewal whose time has passed belongs to the
 * current week: that is when it must be done. Renewals beyond the last week are left out.
 */
export function heatmapWeeks(items: readonly ScheduleItem[], now: Date, weeks = 26): HeatmapWeek[] {
  const first = startOfIsoWeek(now);
  const buckets: HeatmapWeek[] = Array.from({ length: weeks }, (_, index) => {
    const start = addDays(first, index * 7);
    return { key: isoWeekLabel(start), week: isoWeek(start).week, start, end: addDays(start, 7), items: [], alreadyDue: 0 };
  });
  for (const item of items) {
    const renewAt = Date.parse(item.renewAt);
    if (Number.isNaN(renewAt)) continue;
    if (renewAt <= now.getTime()) {
      buckets[0]!.items.push(item);
      buckets[0]!.alreadyDue += 1;
      continue;
    }
    const bucket = buckets.find((week) => renewAt >= week.start.getTime() && renewAt < week.end.getTime());
    bucket?.items.push(item);
  }
  return buckets;
}

/** How many renewals in `weeks` fall beyond the heat map's last week. */
export function beyondHeatmap(items: readonly ScheduleItem[], weeks: readonly HeatmapWeek[]): number {
  const last = weeks.at(-1)?.end.getTime() ?? 0;
  return items.filter((item) => Date.parse(item.renewAt) >= last).length;
}

/** A CA that expires before some of what it signed: the date everything under it stops working. */
export interface Cascade {
  ca: ScheduleItem;
  /** Leaves and CAs in the list that it signed and that outlive it. */
  outlived: ScheduleItem[];
}

/**
 * Cascades among the items shown. `ScheduleItem` names a leaf's issuer, not its id, so a leaf is
 * matched to its CA by name (authority names are unique in certdesk). A CA whose own warnings say
 * it is outlived counts even when the outliving items are filtered out of the list.
 */
export function cascades(items: readonly ScheduleItem[]): Map<string, Cascade> {
  const result = new Map<string, Cascade>();
  for (const ca of items.filter((item) => item.kind === 'ca')) {
    const expires = Date.parse(ca.notAfter);
    const outlived = items.filter((item) => item.id !== ca.id && item.issuerName === ca.name && Date.parse(item.notAfter) > expires);
    if (outlived.length > 0 || ca.warnings.some((warning) => /outlive/i.test(warning))) result.set(ca.id, { ca, outlived });
  }
  return result;
}

export interface TimelineRange {
  start: number;
  now: number;
  end: number;
}

/**
 * The next twelve months, or less when everything shown expires sooner (never under a month, so a
 * short certificate still reads as a bar). A little of the past stays in view for the "today" line
 * and for what has already expired.
 */
export function timelineRange(items: readonly ScheduleItem[], now: number): TimelineRange {
  const latest = Math.max(now, ...items.map((item) => Date.parse(item.notAfter)).filter((at) => !Number.isNaN(at)));
  const end = Math.min(now + 365 * DAY_MS, Math.max(latest, now + 30 * DAY_MS));
  const start = now - (end - now) * 0.04;
  return { start, now, end };
}

export interface Tick {
  at: number;
  label: string;
}

const monthFormat = new Intl.DateTimeFormat(undefined, { month: 'short' });
const monthYearFormat = new Intl.DateTimeFormat(undefined, { month: 'short', year: 'numeric' });
const dayFormat = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric' });

/** Month starts over a long range (with the year on January and the first tick), Mondays over a short one. */
export function timelineTicks(range: TimelineRange): Tick[] {
  const ticks: Tick[] = [];
  if (range.end - range.start < 75 * DAY_MS) {
    for (let at = addDays(startOfIsoWeek(new Date(range.start)), 7); at.getTime() <= range.end; at = addDays(at, 7)) {
      ticks.push({ at: at.getTime(), label: dayFormat.format(at) });
    }
    return ticks;
  }
  const first = new Date(range.start);
  for (
    let at = new Date(first.getFullYear(), first.getMonth() + 1, 1);
    at.getTime() <= range.end;
    at = new Date(at.getFullYear(), at.getMonth() + 1, 1)
  ) {
    ticks.push({
      at: at.getTime(),
      label: ticks.length === 0 || at.getMonth() === 0 ? monthYearFormat.format(at) : monthFormat.format(at),
    });
  }
  return ticks;
}
