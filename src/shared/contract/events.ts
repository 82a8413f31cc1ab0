import type { ApplyStepResult } from './bindings.ts';
import type { DiagnosticStage } from './diagnostics.ts';
import type { RotationJournalEntry, RotationState, RotationStepName } from './rotation.ts';
import type { VaultStatus } from './vault.ts';

/** Progress of one long operation (key generation, signing). */
export interface ProgressEvent {
  type: 'progress';
  progressId: string;
  step: number;
  total: number;
  label: string;
}

/** One apply step started or finished. */
export interface ApplyStepEvent {
  type: 'apply-step';
  tenantId: string;
  index: number;
  total: number;
  step: ApplyStepResult | (Omit<ApplyStepResult, 'status'> & { status: 'running' });
}

/** A rotation job moved: a step began, ended, was skipped, failed or is waiting; or the job was cancelled (state `cancelled`). */
export interface RotationEvent {
  type: 'rotation';
  jobId: string;
  batchId: string | null;
  certificateId: string;
  step: number;
  name: RotationStepName;
  phase: RotationJournalEntry['phase'];
  state: RotationState;
  detail: string;
}

/** Something the operator should hear about (a rotation finished, stopped, waits): a toast in the renderer. */
export interface NoticeEvent {
  type: 'notice';
  tone: 'success' | 'info' | 'warning' | 'error';
  title: string;
  body: string;
}

/** One diagnostics stage finished. */
export interface DiagnosticStageEvent {
  type: 'diagnostic-stage';
  runId: string;
  index: number;
  stage: DiagnosticStage;
}

/**
 * Another process wrote to the store (the CLI, a second certdesk): what the pages show may be out of date,
 * so they read it again. Never sent for this service's own writes, which the pages already follow.
 */
export interface StoreChangedEvent {
  type: 'store-changed';
}

/**
 * The key store of this service was set up, unlocked or locked (by an operator, or by itself when idle), its
 * passphrase changed (which leaves it unlocked) or its idle lock set: every window shows the new state, not
 * only the one that asked, and one waiting on an unlock goes on.
 */
export interface VaultEvent {
  type: 'vault';
  change: 'setup' | 'unlock' | 'lock' | 'idle-lock' | 'passphrase-change' | 'idle-lock-setting';
  vault: VaultStatus;
}

export type CertdeskEvent =
  ProgressEvent | ApplyStepEvent | RotationEvent | DiagnosticStageEvent | NoticeEvent | StoreChangedEvent | VaultEvent;

/** The IPC channel main uses for `CertdeskEvent`s. */
export const EVENT_CHANNEL = 'certdesk:event';
