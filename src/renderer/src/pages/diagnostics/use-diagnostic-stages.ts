import { useCallback, useEffect, useRef, useState } from 'react';
import type { DiagnosticStage } from '../../../../shared/contract/index.ts';
import { api } from '../../bridge.ts';

export interface LiveStages {
  /** The stages heard so far for the run being followed, by their index (gaps until heard). */
  stages: (DiagnosticStage | undefined)[];
  /** Starts following the run with this id: earlier runs' stages no longer count. */
  begin: (runId: string) => void;
  /** Stops following: a late event of a finished run changes nothing. */
  end: () => void;
}

/** A fresh id for one run, echoed in its `diagnostic-stage` events. */
export function newRunId(): string {
  const random =
    typeof crypto.randomUUID === 'function' ? crypto.randomUUID() : `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
  return `diag-${random}`;
}

/**
 * Follows the `diagnostic-stage` events of one run. Subscribed for as long as the page is shown
 * (not per run), so the web host's event stream is connected before the first stage ends.
 */
export function useDiagnosticStages(): LiveStages {
  const [stages, setStages] = useState<(DiagnosticStage | undefined)[]>([]);
  const following = useRef<string | null>(null);

  useEffect(
    () =>
      api.onEvent((event) => {
        if (event.type !== 'diagnostic-stage' || following.current === null || event.runId !== following.current) return;
        setStages((current) => {
          const next = [...current];
          next[event.index] = event.stage;
          return next;
        });
      }),
    [],
  );

  const begin = useCallback((runId: string) => {
    following.current = runId;
    setStages([]);
  }, []);

  const end = useCallback(() => {
    following.current = null;
  }, []);

  return { stages, begin, end };
}
