import type { ErrorCode, Failure } from '../../shared/contract.ts';
import { ERROR_CODES, type ErrorCodeInfo } from '../../shared/error-codes.ts';

/**
 * The shared table, typed by the contract: a code without a row fails this assignment. (src/shared
 * may not import, so the check lives here; test/unit/error-codes.test.ts refuses a row without a code.)
 */
export const ERROR_CODE_TABLE: Readonly<Record<ErrorCode, ErrorCodeInfo>> = ERROR_CODES;

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
