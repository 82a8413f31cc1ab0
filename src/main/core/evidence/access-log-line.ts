/** One request as the edge's access log (nginx `log_format certdesk_mtls`) records it. */
export interface EdgeRequest {
  /** Milliseconds since the epoch. */
  at: number;
  /** Lower-case hex without leading zeros; '' when the client sent no certificate. */
  serial: string;
  /** `$ssl_client_i_dn`: RFC 2253, most specific RDN first; '' without a certificate. */
  issuer: string;
  /** `$ssl_client_verify`: SUCCESS, FAILED:reason or NONE. */
  verify: string;
  path: string;
  status: number;
}

const HEX = /^[0-9A-Fa-f]+$/;

/** A field of the parsed object as text; nginx writes every one as a JSON string, a number is taken for status. */
function field(o: Record<string, unknown>, name: string): string | null {
  const v = o[name];
  return typeof v === 'string' ? v : typeof v === 'number' && name === 'status' ? String(v) : null;
}

/**
 * The request one log line records, or null when the line is not one of ours: not JSON, a field
 * missing or of the wrong type, a time that does not parse, a serial that is not hex, a status
 * outside 100–599. Such lines are skipped and counted, never guessed at.
 */
export function parseAccessLogLine(line: string): EdgeRequest | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    return null;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return null;
  const o = parsed as Record<string, unknown>;
  const time = field(o, 'time');
  const serialText = field(o, 'serial');
  const issuer = field(o, 'issuer');
  const verify = field(o, 'verify');
  const path = field(o, 'path');
  const statusText = field(o, 'status');
  if (time === null || serialText === null || issuer === null || verify === null || path === null || statusText === null) return null;
  const at = Date.parse(time);
  const status = Number(statusText);
  if (!Number.isFinite(at) || !/^\d{3}$/.test(statusText) || status < 100 || status > 599) return null;
  if (serialText !== '' && !HEX.test(serialText)) return null;
  return { at, serial: normalSerial(serialText), issuer, verify, path, status };
}

/** Hex as certdesk stores it (lower case), without the leading zeros nginx or an importer may add. */
export function normalSerial(hex: string): string {
  const trimmed = hex.toLowerCase().replace(/^0+/, '');
  return trimmed === '' && hex !== '' ? '0' : trimmed;
}
