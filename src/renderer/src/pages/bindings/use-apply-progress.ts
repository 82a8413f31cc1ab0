import { useCallback, useEffect, useRef, useState } from 'react';
import type { ApplyStepEvent, ApplyStepResult, PlanStep, PlanStepKind } from '../../../../shared/contract/index.ts';
import { api } from '../../bridge.ts';

export type LiveStepStatus = 'pending' | 'running' | ApplyStepResult['status'];

/** One step of an apply as the operator watches it: from the plan (pending), then from `apply-step` events. */
export interface LiveStep {
  stepId: string;
  /** `null` for a step whose start was not seen (its event arrived before the page listened). */
  kind: PlanStepKind | null;
  summary: string;
  status: LiveStepStatus;
  attempts: number;
  message?: string;
}

export interface ApplyProgress {
  /** `null` before the first event when no plan was known; otherwise one entry per step. */
  steps: LiveStep[] | null;
  /** Starts following `tenantId`'s apply; the plan's steps (if any) show as pending until events arrive. */
  begin: (planned: PlanStep[] | null) => void;
  /** Stops following: late events of a finished apply no longer change what is shown. */
  end: () => void;
}

const SETTLED = new Set<LiveStepStatus>(['done', 'already-done', 'failed', 'not-run']);

function fromEvent(event: ApplyStepEvent): LiveStep {
  const { step } = event;
  return {
    stepId: step.stepId,
    kind: step.kind,
    summary: step.summary,
    status: step.status,
    attempts: step.attempts,
    ...(step.message ? { message: step.message } : {}),
  };
}

/**
 * Follows the `apply-step` events of one tenant. Subscribed for as long as the page shows the
 * tenant (not per apply), so the web host's event stream is connected before the first step starts.
 */
export function useApplyProgress(tenantId: string): ApplyProgress {
  const [steps, setSteps] = useState<LiveStep[] | null>(null);
  const following = useRef(false);

  useEffect(
    () =>
      api.onEvent((event) => {
        if (event.type !== 'apply-step' || event.tenantId !== tenantId || !following.current) return;
        setSteps((current) => {
          const next: LiveStep[] = [...(current ?? [])];
          // The plan read at apply time may differ from the one on screen: the events' count wins.
          if (next.length > event.total) next.length = event.total;
          const previous = next[event.index];
          // A "running" that overtakes its own result must not undo it.
          if (previous && SETTLED.has(previous.status) && event.step.status === 'running' && previous.stepId === event.step.stepId)
            return current;
          next[event.index] = fromEvent(event);
          for (let index = 0; index < event.total; index += 1) {
            next[index] ??= {
              stepId: `step-${index}`,
              kind: null,
              summary: `Step ${index + 1} of ${event.total}`,
              status: 'pending',
              attempts: 0,
            };
          }
          return next;
        });
      }),
    [tenantId],
  );

  const begin = useCallback((planned: PlanStep[] | null) => {
    following.current = true;
    setSteps(
      planned ? planned.map((step) => ({ stepId: step.id, kind: step.kind, summary: step.summary, status: 'pending', attempts: 0 })) : null,
    );
  }, []);

  const end = useCallback(() => {
    following.current = false;
  }, []);

  return { steps, begin, end };
}
