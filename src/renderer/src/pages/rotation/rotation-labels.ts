import type { RotationJournalEntry, RotationState, RotationStepName } from '../../../../shared/contract/index.ts';
import { ROTATION_STEPS, ROTATION_WAIT, rotationStep } from '../../../../shared/contract/index.ts';

export const STEP_LABEL: Record<RotationStepName, string> = {
  'issue-successor': 'Issue the successor',
  deliver: 'Deliver the successor to the workload',
  'publish-edge': 'Publish the edge bundle if it changed',
  'add-credential': 'Add the new Auth0 credential',
  'bind-both': 'Bind both credentials',
  verify: 'Verify with a real token',
  'remove-old': 'Remove the old credential once the workload switched',
  supersede: 'Revoke the old certificate (superseded)',
};

export const STATE_META: Record<RotationState, { label: string; color: string }> = {
  running: { label: 'Running', color: 'blue' },
  waiting: { label: 'Waiting', color: 'yellow' },
  done: { label: 'Done', color: 'teal' },
  failed: { label: 'Stopped', color: 'red' },
  cancelled: { label: 'Cancelled', color: 'gray' },
};

export type StepStatus = 'pending' | 'running' | 'done' | 'skipped' | 'waiting' | 'failed';

export interface StepView {
  step: number;
  name: RotationStepName;
  status: StepStatus;
  detail: string | null;
}

const PHASE_STATUS: Record<RotationJournalEntry['phase'], StepStatus> = {
  begin: 'running',
  end: 'done',
  skip: 'skipped',
  wait: 'waiting',
  fail: 'failed',
};

/** The steps with the latest status the journal (or the events) gave each. */
export function stepViews(entries: Pick<RotationJournalEntry, 'step' | 'phase' | 'detail'>[]): StepView[] {
  const views: StepView[] = ROTATION_STEPS.map((name) => ({ step: rotationStep(name), name, status: 'pending', detail: null }));
  for (const e of entries) {
    const view = views[e.step - 1];
    if (!view) continue;
    view.status = PHASE_STATUS[e.phase];
    if (e.phase !== 'begin') view.detail = e.detail;
  }
  return views;
}

/** Overlap choices, in seconds: how long both credentials stay bound before the old one goes. */
export const OVERLAP_CHOICES = [
  { value: '0', label: 'No overlap: remove the old credential once verified' },
  { value: '900', label: '15 minutes' },
  { value: '3600', label: '1 hour' },
  { value: '86400', label: '1 day (default)' },
  { value: '604800', label: '7 days' },
];

/**
 * The request a publisher's job waits on at the offline signer (its wait message begins with
 * ROTATION_WAIT.signer and the request's id), or null when the job waits for something else.
 */
export function atSignerRequest(job: { state: RotationState; message: string | null }): string | null {
  if (job.state !== 'waiting' || !job.message?.startsWith(ROTATION_WAIT.signer)) return null;
  return /^\S+/.exec(job.message.slice(ROTATION_WAIT.signer.length).trim())?.[0]?.replace(/:$/, '') ?? null;
}
