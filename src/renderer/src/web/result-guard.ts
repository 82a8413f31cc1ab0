import type { CertdeskEvent, Failure, Result } from '../../../shared/contract/index.ts';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isFailure(value: unknown): value is Failure {
  return (
    isRecord(value) &&
    typeof value.code === 'string' &&
    typeof value.message === 'string' &&
    (value.field === undefined || typeof value.field === 'string')
  );
}

/** The web host's body is trusted to match the contract once it has the Result envelope. */
export function isResult(value: unknown): value is Result<unknown> {
  if (!isRecord(value)) return false;
  if (value.ok === true) return 'value' in value;
  return value.ok === false && isFailure(value.error);
}

export function isCertdeskEvent(value: unknown): value is CertdeskEvent {
  if (!isRecord(value)) return false;
  if (value.type === 'progress')
    return (
      typeof value.progressId === 'string' &&
      typeof value.step === 'number' &&
      typeof value.total === 'number' &&
      typeof value.label === 'string'
    );
  if (value.type === 'diagnostic-stage')
    return (
      typeof value.runId === 'string' &&
      typeof value.index === 'number' &&
      isRecord(value.stage) &&
      typeof value.stage.id === 'string' &&
      typeof value.stage.status === 'string'
    );
  if (value.type === 'rotation')
    return (
      typeof value.jobId === 'string' &&
      typeof value.certificateId === 'string' &&
      typeof value.step === 'number' &&
      typeof value.phase === 'string' &&
      typeof value.state === 'string'
    );
  if (value.type === 'store-changed') return true;
  if (value.type === 'vault')
    return (
      typeof value.change === 'string' &&
      isRecord(value.vault) &&
      typeof value.vault.state === 'string' &&
      typeof value.vault.detail === 'string' &&
      isRecord(value.vault.keychain)
    );
  if (value.type === 'notice') return typeof value.title === 'string' && typeof value.body === 'string' && typeof value.tone === 'string';
  if (value.type === 'apply-step')
    return (
      typeof value.tenantId === 'string' &&
      typeof value.index === 'number' &&
      typeof value.total === 'number' &&
      isRecord(value.step) &&
      typeof value.step.stepId === 'string' &&
      typeof value.step.status === 'string'
    );
  return false;
}
