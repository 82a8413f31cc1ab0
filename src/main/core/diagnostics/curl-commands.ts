/**
 * Commands an operator can paste to repeat a stage by hand. They name files, never secrets: see
 * `DIAGNOSTIC_FILES` for what each file holds. The access token appears only as `$ACCESS_TOKEN`.
 */

/** The files the commands refer to. */
export const DIAGNOSTIC_FILES = {
  client: 'client.pem',
  clientKey: 'client-key.pem',
  edgeCa: 'edge-ca.pem',
  caBundle: 'ca-bundle.pem',
  foreign: 'foreign.pem',
  foreignKey: 'foreign-key.pem',
} as const;

export interface CommandContext {
  endpoint: URL;
  connectTo?: { host: string; port: number } | undefined;
  /** Whether the edge's server certificate needs `--cacert edge-ca.pem`. */
  edgeCa: boolean;
}

/** POSIX shell quoting: plain words stay bare, anything else is single-quoted. */
export function shellQuote(value: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(value) ? value : `'${value.replaceAll("'", `'\\''`)}'`;
}

function port(url: URL): string {
  return url.port || '443';
}

function bracket(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

function connectToArgs(ctx: CommandContext): string[] {
  if (!ctx.connectTo) return [];
  return ['--connect-to', `${ctx.endpoint.hostname}:${port(ctx.endpoint)}:${bracket(ctx.connectTo.host)}:${ctx.connectTo.port}`];
}

function command(words: string[]): string {
  return words.map(shellQuote).join(' ');
}

export function curlGet(url: string): string {
  return command(['curl', '-sS', url]);
}

/** The token request: with our certificate, a foreign one, or none. */
export function curlTokenRequest(ctx: CommandContext, form: Record<string, string>, identity: 'client' | 'foreign' | 'none'): string {
  const [cert, key] =
    identity === 'client' ? [DIAGNOSTIC_FILES.client, DIAGNOSTIC_FILES.clientKey] : [DIAGNOSTIC_FILES.foreign, DIAGNOSTIC_FILES.foreignKey];
  const words = ['curl', '-sS', ...connectToArgs(ctx), ...(ctx.edgeCa ? ['--cacert', DIAGNOSTIC_FILES.edgeCa] : [])];
  if (identity !== 'none') words.push('--cert', cert, '--key', key);
  for (const [name, value] of Object.entries(form)) words.push('--data-urlencode', `${name}=${value}`);
  words.push(ctx.endpoint.href);
  // certdesk writes the client's key encrypted: curl reads its passphrase from the environment.
  return identity === 'client' ? `${command(words)} --pass "$CLIENT_KEY_PASSPHRASE"` : command(words);
}

/** TLS 1.2 handshake that prints the edge's "Acceptable client certificate CA names". */
export function opensslHandshake(ctx: CommandContext): string {
  const target = ctx.connectTo
    ? `${bracket(ctx.connectTo.host)}:${ctx.connectTo.port}`
    : `${bracket(ctx.endpoint.hostname)}:${port(ctx.endpoint)}`;
  const words = [
    'openssl',
    's_client',
    '-connect',
    target,
    '-servername',
    ctx.endpoint.hostname,
    '-tls1_2',
    ...(ctx.edgeCa ? ['-CAfile', DIAGNOSTIC_FILES.edgeCa] : []),
  ];
  return `${command(words)} </dev/null`;
}

/** base64url(SHA-256(DER of the leaf)): the value `cnf.x5t#S256` must hold. */
export function thumbprintCommand(): string {
  return `openssl x509 -in ${DIAGNOSTIC_FILES.client} -outform DER | openssl dgst -sha256 -binary | basenc --base64url | tr -d '='`;
}

export function curlResource(url: string, tokenType: string): string {
  return `curl -sS -i -H "Authorization: ${tokenType} $ACCESS_TOKEN" ${shellQuote(url)}`;
}
