/** The request and reply shapes the emulator's handlers share, and the body and error plumbing. */
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';

export interface ApiRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  /** Parsed JSON or form body; undefined when there was none. */
  body: unknown;
  /** Set when the body could not be parsed. */
  bodyError?: string;
  remoteAddress: string;
  now: number;
}

export interface ApiReply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** The OpenAPI path template the request matched, e.g. `/clients/{id}` (for the contract check). */
  route?: string;
}

const MAX_BODY_BYTES = 1024 * 1024;

const REASONS: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

export function reasonPhrase(status: number): string {
  return REASONS[status] ?? 'Error';
}

/** A Management API error, in Auth0's body format: `{statusCode, error, message, errorCode}`. */
export function managementError(status: number, message: string, errorCode?: string): ApiReply {
  const body: Record<string, unknown> = { statusCode: status, error: reasonPhrase(status), message };
  if (errorCode) body.errorCode = errorCode;
  return { status, body };
}

/** An Authentication API error, in OAuth's format: `{error, error_description}`. */
export function tokenError(status: number, error: string, description: string): ApiReply {
  return { status, body: { error, error_description: description } };
}

export function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Reads and parses a JSON or `application/x-www-form-urlencoded` body (at most 1 MiB). */
export async function readBody(req: IncomingMessage): Promise<{ body: unknown; error?: string }> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) return { body: undefined, error: 'Request payload is too large' };
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.length === 0) return { body: undefined };
  const type = (header(req.headers, 'content-type') ?? '').split(';')[0]?.trim().toLowerCase();
  if (type === 'application/x-www-form-urlencoded') return { body: Object.fromEntries(new URLSearchParams(text)) };
  try {
    return { body: JSON.parse(text) as unknown };
  } catch {
    return { body: undefined, error: 'Invalid request payload JSON format' };
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `fields` / `include_fields` query handling shared by the GET operations that support it. */
export function selectFields(view: Record<string, unknown>, query: URLSearchParams): Record<string, unknown> {
  const fields = query.get('fields');
  if (!fields) return view;
  const names = new Set(
    fields
      .split(',')
      .map((f) => f.trim())
      .filter(Boolean),
  );
  const include = query.get('include_fields') !== 'false';
  return Object.fromEntries(Object.entries(view).filter(([k]) => names.has(k) === include));
}
