import { ERROR_CODES as ERROR_CODE_TABLE, type ErrorCode, type Failure } from '../../shared/contract/index.ts';

export { ERROR_CODE_TABLE };

/** Whether a failure with this code may pass by itself: the same request may succeed later, unchanged. */
export function isTransientError(error: unknown): boolean {
  return error instanceof CertdeskError && ERROR_CODE_TABLE[error.code].transient;
}

/** An expected, explainable failure: it crosses the contract as `{ ok: false, error }`. */
export class CertdeskError extends Error {
  readonly code: ErrorCode;
  readonly field: string | undefined;

  constructor(code: ErrorCode, message: string, options: { field?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'CertdeskError';
    this.code = code;
    this.field = options.field;
  }

  toFailure(): Failure {
    return this.field === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, field: this.field };
  }
}

export function isCertdeskError(value: unknown): value is CertdeskError {
  return value instanceof CertdeskError;
}
