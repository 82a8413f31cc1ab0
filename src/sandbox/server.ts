/**
 * The local sandbox tenant: an Auth0 emulator (Management API subset, token endpoint, discovery,
 * JWKS) on 127.0.0.1, with rate limits and fault injection, and optionally the mTLS edge in front
 * of it. State lives in `dir` and survives restarts.
 */
import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { handleDiscovery, handleJwks, handleToken } from './auth-api.ts';
import { isReservedTestDomain } from './fetch.ts';
import { answerHandshake, HANDSHAKE_PATH, newHandshakeSecret } from './handshake.ts';
import { edgeServerCertificate } from './edge-certificate.ts';
import { startEdge, type Edge, type EdgeOptions, type EdgeTlsError } from './edge.ts';
import { FaultInjector, type FaultConfig, type SandboxApi } from './faults.ts';
import { managementError, readBody, tokenError, type ApiReply, type ApiRequest } from './http.ts';
import { findManagementRoute, handleManagement, MANAGEMENT_PREFIX } from './management-api.ts';
import { SandboxStore, type SandboxStateData } from './state.ts';
import { CERTDESK_MANAGEMENT_SCOPES, demoAudience, demoCustomDomain, emptyState, TenantAdmin } from './tenant-admin.ts';
import { TokenSigner } from './tokens.ts';

export const DEFAULT_DOMAIN = 'sandbox.certdesk.test';
const DEFAULT_M2M_NAME = 'certdesk (sandbox M2M)';

export interface StartSandboxOptions {
  /** Folder for state.json, the signing key and the edge's server certificate. */
  dir: string;
  port?: number;
  /** The tenant domain, used when the folder holds no state yet. */
  domain?: string;
  faults?: Partial<FaultConfig>;
  edge?: EdgeOptions;
  /** Clock for tokens and rate windows; tests pass a controllable one. */
  now?: () => number;
  /** On a new folder, create the M2M application certdesk uses (default true). */
  seed?: boolean;
  /** On a new folder, also create a demo application and API to bind certificates to (default false). */
  demo?: boolean;
  /** Write state.json after every change (default true); false writes it once, on stop (benchmarks). */
  durable?: boolean;
}

export interface ResponseRecord {
  api: SandboxApi;
  method: string;
  path: string;
  /** The OpenAPI path template the request matched, when it matched one. */
  route?: string;
  status: number;
  body: unknown;
  headers: Record<string, string>;
  /** Answered by fault injection (5xx, 429) rather than the emulator's logic. */
  injected: boolean;
  /** The connection was destroyed without an answer. */
  reset: boolean;
  /** When the request arrived, by the real clock (ms since the epoch). */
  receivedAt: number;
  requestHeaders: IncomingMessage['headers'];
}

export interface Sandbox {
  url: string;
  domain: string;
  dir: string;
  edgeUrl?: string;
  edgeServerCaPem?: string;
  /** The seeded M2M application with certdesk's Management API scopes (absent when seed: false). */
  managementClient?: { clientId: string; clientSecret: string };
  /** What a demo sandbox was seeded with (absent otherwise): its custom domain and API. */
  demo?: { customDomain: string; audience: string };
  /** Dashboard-side actions: applications, APIs, client grants. */
  admin: TenantAdmin;
  /** A deep copy of the current state. */
  state(): SandboxStateData;
  setFaults(partial: Partial<FaultConfig>): void;
  onResponse(listener: (record: ResponseRecord) => void): () => void;
  edge?: Pick<Edge, 'setCnameApiKey' | 'reload' | 'onTlsError'>;
  /**
   * Drawn at every start: the sandbox answers handshake challenges with it (see handshake.ts), so a
   * process that finds it through its folder can tell it from another listener. Hex.
   */
  handshakeSecret: string;
  stop(): Promise<void>;
}

export type { EdgeOptions, EdgeTlsError, FaultConfig };

function isManagementPath(path: string): boolean {
  return path === MANAGEMENT_PREFIX || path.startsWith(`${MANAGEMENT_PREFIX}/`);
}

const AUTHENTICATION_ROUTES = new Set(['POST /oauth/token', 'GET /.well-known/openid-configuration', 'GET /.well-known/jwks.json']);

/** The contract operation (path template) a request addresses, for the records of injected answers too. */
function routeOf(api: SandboxApi, method: string, path: string): string | undefined {
  if (api === 'management') return findManagementRoute(method, path)?.route.template;
  return AUTHENTICATION_ROUTES.has(`${method} ${path}`) ? path : undefined;
}

function route(req: ApiRequest, store: SandboxStore, signer: TokenSigner, faults: FaultInjector): Promise<ApiReply> | ApiReply {
  if (isManagementPath(req.path)) return handleManagement(req, store, signer);
  const key = `${req.method} ${req.path}`;
  switch (key) {
    case 'POST /oauth/token':
      return handleToken(req, { store, signer, tokenType: () => faults.settings.tokenType }).then((r) => ({ ...r, route: '/oauth/token' }));
    case 'GET /.well-known/openid-configuration':
      return { ...handleDiscovery(req, store), route: '/.well-known/openid-configuration' };
    case 'GET /.well-known/jwks.json':
      return { ...handleJwks(signer), route: '/.well-known/jwks.json' };
    case 'POST /oauth/par':
      return tokenError(400, 'invalid_request', 'Pushed authorization requests are not emulated by the sandbox.');
    case 'GET /userinfo':
    case 'POST /userinfo':
      return tokenError(401, 'invalid_token', 'The sandbox issues no user access tokens, so /userinfo has nothing to answer.');
    default:
      return tokenError(404, 'not_found', `Not found: ${req.method} ${req.path}`);
  }
}

function demoOf(store: SandboxStore): Sandbox['demo'] {
  const customDomain = demoCustomDomain(store.data.domain);
  const audience = demoAudience(store.data.domain);
  const seeded =
    store.data.custom_domains.some((d) => d.domain === customDomain && d.status === 'ready') &&
    store.resourceServer(audience) !== undefined;
  return seeded ? { customDomain, audience } : undefined;
}

export async function startSandbox(options: StartSandboxOptions): Promise<Sandbox> {
  const now = options.now ?? Date.now;
  // certdesk sends a tenant's requests to a sandbox only for names under .test (RFC 6761), which no real tenant can have.
  if (options.domain !== undefined && !isReservedTestDomain(options.domain))
    throw new Error(`The sandbox's tenant domain must end in .test (RFC 6761), like ${DEFAULT_DOMAIN}; "${options.domain}" does not.`);
  const { store, created } = SandboxStore.open(options.dir, () => emptyState(options.domain ?? DEFAULT_DOMAIN), options.durable ?? true);
  const admin = new TenantAdmin(store);
  if (created && options.seed !== false) admin.createM2mClient({ name: DEFAULT_M2M_NAME, scopes: CERTDESK_MANAGEMENT_SCOPES });
  if (created && options.demo === true) {
    const audience = demoAudience(store.data.domain);
    admin.createResourceServer({ identifier: audience, name: 'Demo API' });
    const demo = admin.createClient({ name: 'Demo mTLS client' });
    admin.grant({ clientId: demo.clientId, audience, scopes: [] });
    admin.verifiedCustomDomain(demoCustomDomain(store.data.domain));
  }
  const signer = await TokenSigner.open(options.dir);
  const faults = new FaultInjector(options.faults, now);
  const events = new EventEmitter<{ response: [ResponseRecord] }>();
  const stopping = new AbortController();
  const handshakeSecret = newHandshakeSecret();

  const record = (r: ResponseRecord) => events.emit('response', r);

  const onRequest = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const receivedAt = Date.now();
    const url = new URL(req.url ?? '/', 'http://sandbox');
    const method = req.method ?? 'GET';
    const api: SandboxApi = isManagementPath(url.pathname) ? 'management' : 'authentication';
    const base = { api, method, path: url.pathname, receivedAt, requestHeaders: req.headers };
    const latency = faults.latencyFor(api);
    if (latency > 0) await delay(latency, undefined, { signal: stopping.signal }).catch(() => undefined);
    if (stopping.signal.aborted) return void req.socket.destroy();

    const decision = faults.decide(api);
    if (decision.kind === 'reset') {
      req.socket.destroy();
      record({ ...base, status: 0, body: undefined, headers: {}, injected: true, reset: true });
      return;
    }
    const { body, error } = await readBody(req);
    let reply: ApiReply;
    let injected = false;
    // Refused before the emulator's logic (a fault or the rate window): the record still names the operation.
    let refusedEarly = false;
    if (decision.kind === 'rate-limited') {
      // A full window is the emulator's own answer, as Auth0's would be; a share-drawn 429 is a fault.
      injected = decision.injected;
      refusedEarly = true;
      // Auth0 counts and refuses before it looks at the request; the record still names the operation.
      reply =
        api === 'management'
          ? managementError(429, 'Global limit has been reached', 'too_many_requests')
          : tokenError(429, 'too_many_requests', 'Global limit has been reached');
    } else if (decision.kind === 'fail') {
      injected = true;
      refusedEarly = true;
      reply =
        api === 'management'
          ? managementError(decision.status, 'The sandbox injected this failure (fail5xxShare).', 'injected_fault')
          : tokenError(decision.status, 'temporarily_unavailable', 'The sandbox injected this failure (fail5xxShare).');
    } else {
      const apiReq: ApiRequest = {
        method,
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        body,
        bodyError: error,
        remoteAddress: req.socket.remoteAddress ?? '',
        now: now(),
      };
      try {
        reply = await route(apiReq, store, signer, faults);
      } catch (cause) {
        const message = `The sandbox failed: ${(cause as Error).message}`;
        reply = api === 'management' ? managementError(500, message, 'sandbox_error') : tokenError(500, 'server_error', message);
      }
    }
    const headers: Record<string, string> = { ...decision.headers, ...reply.headers };
    if (injected) headers['x-sandbox-fault'] = decision.kind;
    if (reply.body === undefined) {
      res.writeHead(reply.status, headers).end();
    } else {
      headers['content-type'] = 'application/json; charset=utf-8';
      res.writeHead(reply.status, headers).end(JSON.stringify(reply.body));
    }
    record({
      ...base,
      route: reply.route ?? (refusedEarly ? routeOf(api, method, url.pathname) : undefined),
      status: reply.status,
      body: reply.body,
      headers,
      injected,
      reset: false,
    });
  };

  // A client that goes away mid-request (or a reset the sandbox injected) must not take the process down.
  // The handshake is no Auth0 operation: it skips latency, faults and the records.
  const server: Server = createServer((req, res) =>
    new URL(req.url ?? '/', 'http://sandbox').pathname === HANDSHAKE_PATH
      ? answerHandshake(req, res, handshakeSecret)
      : void onRequest(req, res).catch(() => req.socket.destroy()),
  );
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  let edge: Edge | undefined;
  if (options.edge) {
    try {
      edge = await startEdge({
        ...options.edge,
        upstream: new URL(url),
        server: await edgeServerCertificate(options.dir, store.data.domain),
        defaultCnameApiKey: () => store.primaryDomain()?.cname_api_key,
      });
    } catch (error) {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      throw error;
    }
  }

  const m2m = store.data.clients.find((c) => c.name === DEFAULT_M2M_NAME);
  let stopped: Promise<void> | undefined;
  return {
    url,
    domain: store.data.domain,
    dir: options.dir,
    edgeUrl: edge?.url,
    edgeServerCaPem: edge?.serverCaPem,
    managementClient: m2m ? { clientId: m2m.client_id, clientSecret: m2m.client_secret } : undefined,
    demo: demoOf(store),
    admin,
    state: () => structuredClone(store.data),
    setFaults: (partial) => faults.configure(partial),
    onResponse: (listener) => {
      events.on('response', listener);
      return () => events.off('response', listener);
    },
    edge: edge ? { setCnameApiKey: edge.setCnameApiKey, reload: edge.reload, onTlsError: edge.onTlsError } : undefined,
    handshakeSecret,
    stop: () => {
      stopped ??= (async () => {
        stopping.abort();
        await edge?.close();
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
        store.flush();
      })();
      return stopped;
    },
  };
}
