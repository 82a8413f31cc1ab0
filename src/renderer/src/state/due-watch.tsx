import { useWindowEvent } from '@mantine/hooks';
import { createContext, use, useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { sameDueSummary, summarizeDue, type DueSummary, type ScheduleItem } from '../../../shared/contract/index.ts';
import { api } from '../bridge.ts';

/** Often enough that a renewal falling due during a working session shows up, rarely enough to cost nothing. */
export const DUE_RECHECK_MS = 5 * 60_000;

export interface DueWatch {
  /** What is due, overdue or expired; `null` until the first check has answered (or while every check fails). */
  due: DueSummary | null;
  /** Asks `schedule:due` again; overlapping calls share one request. */
  refresh: () => void;
  /** A page that just loaded the whole schedule passes it on, saving a round trip. */
  report: (items: ScheduleItem[]) => void;
}

const DueWatchContext = createContext<DueWatch | null>(null);

export function useDueWatch(): DueWatch {
  const value = use(DueWatchContext);
  if (!value) throw new Error('useDueWatch must be used inside <DueWatchProvider>');
  return value;
}

/**
 * Keeps the app-wide count of what needs renewing: checked at start, when the window regains
 * focus or becomes visible, every few minutes, and whenever a page asks. It calls the bridge
 * directly rather than through useCall: a background check must never open the unlock dialog,
 * and a failed check keeps the last answer instead of flashing an error on every page.
 */
export function DueWatchProvider({ children }: { children: ReactNode }) {
  const [due, setDue] = useState<DueSummary | null>(null);
  const inflight = useRef(false);
  const again = useRef(false);
  // An answer older than a report that arrived meanwhile must not overwrite it.
  const generation = useRef(0);

  // An answer equal to the one shown keeps it, so nothing re-renders: every page change asks again, and a
  // re-render of the whole shell there held the new page's first paint back by tens of milliseconds.
  const show = useCallback((next: DueSummary) => setDue((shown) => (shown && sameDueSummary(shown, next) ? shown : next)), []);

  const report = useCallback(
    (items: ScheduleItem[]) => {
      generation.current += 1;
      show(summarizeDue(items));
    },
    [show],
  );

  const refresh = useCallback(() => {
    // A check asked for while one is running may be about a change that one missed: run it after.
    if (inflight.current) {
      again.current = true;
      return;
    }
    inflight.current = true;
    const asked = ++generation.current;
    void api
      .invoke('schedule:due', {})
      .then((result) => {
        if (result.ok && asked === generation.current) show(result.value);
      })
      .catch(() => {
        // The bridge never rejects by contract; a check that does simply keeps the last answer.
      })
      .finally(() => {
        inflight.current = false;
        if (again.current) {
          again.current = false;
          refresh();
        }
      });
  }, [show]);

  useEffect(() => {
    refresh();
    const timer = window.setInterval(refresh, DUE_RECHECK_MS);
    return () => window.clearInterval(timer);
  }, [refresh]);

  useWindowEvent('focus', refresh);
  useEffect(() => {
    const onVisible = () => {
      if (document.visibilityState === 'visible') refresh();
    };
    document.addEventListener('visibilitychange', onVisible);
    return () => document.removeEventListener('visibilitychange', onVisible);
  }, [refresh]);

  const value = useMemo<DueWatch>(() => ({ due, refresh, report }), [due, refresh, report]);
  return <DueWatchContext value={value}>{children}</DueWatchContext>;
}
