import { request } from 'node:https';

export interface HttpAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** Parsed JSON when the answer is JSON, the text otherwise (nginx's own error pages are HTML). */
  body: unknown;
}

export interface TlsPost {
  host: string;
  port: number | string;
  path: string;
  /** SNI name; the edge picks its server block by it. */
  servername?: string;
  ca: string;
  cert?: string;
  key?: string;
  form: Record<string, string>;
  headers?: Record<string, string>;
}

/**
 * POSTs a form over TLS, with a client certificate when given. Every call opens its own
 * connection (`agent: false`): Node's global agent keeps connections alive, and a connection kept
 * from before an nginx reload would meet the old worker, which hangs up on it when it retires.
 */
export function tlsPost(options: TlsPost): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: options.host,
        port: options.port,
        path: options.path,
        method: 'POST',
        ...(options.servername ? { servername: options.servername } : {}),
        ca: options.ca,
        ...(options.cert ? { cert: options.cert, key: options.key } : {}),
        agent: false,
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...options.headers },
      },
      (res) => {
        let text = '';
        res.on('data', (d: Buffer) => (text += d.toString()));
        res.on('end', () => {
          let body: unknown = text;
          try {
            body = JSON.parse(text);
          } catch {
            // not JSON: keep the text
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body });
        });
      },
    );
    req.on('error', reject);
    req.end(new URLSearchParams(options.form).toString());
  });
}
