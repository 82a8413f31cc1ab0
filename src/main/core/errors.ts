import type { ErrorCode, Failure } from '../../shared/contract/index.ts';

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
