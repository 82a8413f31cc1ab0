import {
  EDGE_MAX_CAS,
  RELOAD_PRESETS,
  type EdgeCas,
  type TenantView,
  isDockerContainerName,
  type AuthorityView,
  type EdgePublishInput,
  type EdgeReload,
  type EdgeSettings,
  type ReloadPreset,
} from '../../../../shared/contract/index.ts';
import { EDGE_SETTING_FIELDS, rebuildEdgeSettings, type EdgeSettingField } from '../../../../shared/validation.ts';

/** Everything the Edge page asks for. None of it is secret: the cname-api-key itself stays in a file on the edge. */
export interface EdgeFormValues {
  /** The issuing CAs the edge trusts: one, or old and new together during a rollover. */
  ca: string[];
  /** The tenant whose custom domain the edge serves: only prefills the server name (never sent). */
  tenant: string;
  serverName: string;
  listen: string;
  serverCertificatePath: string;
  serverKeyPath: string;
  upstream: string;
  upstreamHost: string;
  cnameApiKeyInclude: string;
  clientIpHeader: string;
  bundleDir: string;
  /** nginx's JSON-lines access log on the edge (certdesk's evidence of use); empty for none. */
  accessLog: string;
  /** A preset id (`none`, `nginx`, `systemctl`, `docker`, `custom`): never a command line. */
  reloadPreset: string;
  /** The container for the `docker` preset. */
  reloadContainer: string;
}

export type EdgeField = keyof EdgeFormValues;

export const DEFAULT_LISTEN = '443';
export const DEFAULT_CLIENT_IP_HEADER = 'X-Forwarded-For';
export const DEFAULT_BUNDLE_DIR = '/etc/nginx/certdesk';

const STORAGE_KEY = 'certdesk.edge.form.v1';

/** The form's fields that are edge settings (the nginx rules' fields); verifyClient is always on in the form. */
const SETTING_FIELDS = EDGE_SETTING_FIELDS.filter(
  (field): field is Exclude<EdgeSettingField, 'verifyClient'> => field !== 'verifyClient',
) satisfies readonly EdgeField[];

/** Every field the form remembers: the CA, the edge settings in their one order, the reload. */
const FIELDS: EdgeField[] = ['ca', 'tenant', ...SETTING_FIELDS, 'reloadPreset', 'reloadContainer'];

/** The form's `data-testid`s, also used to put the cursor on a field with an error. */
export const TEST_IDS: Record<EdgeField, string> = {
  ca: 'edge-ca',
  tenant: 'edge-tenant',
  serverName: 'edge-server-name',
  listen: 'edge-listen',
  serverCertificatePath: 'edge-server-cert',
  serverKeyPath: 'edge-server-key',
  upstream: 'edge-upstream',
  upstreamHost: 'edge-upstream-host',
  cnameApiKeyInclude: 'edge-cname-file',
  clientIpHeader: 'edge-client-ip-header',
  bundleDir: 'edge-bundle-dir',
  accessLog: 'edge-access-log',
  reloadPreset: 'edge-reload',
  reloadContainer: 'edge-reload-container',
};

/**
 * The issuing CAs to start with: the remembered ones that still exist (an older certdesk remembered one
 * id, a string), else the first that has not expired.
 */
function defaultCas(issuing: AuthorityView[], remembered: unknown, now: number): string[] {
  const ids = typeof remembered === 'string' ? [remembered] : Array.isArray(remembered) ? remembered : [];
  const kept = ids.filter(
    (id, i): id is string => typeof id === 'string' && ids.indexOf(id) === i && issuing.some((authority) => authority.id === id),
  );
  if (kept.length > 0) return kept.slice(0, EDGE_MAX_CAS);
  const first = (issuing.find((authority) => Date.parse(authority.notAfter) > now) ?? issuing[0])?.id;
  return first ? [first] : [];
}

/** What was typed last time (localStorage), over the defaults. Unknown keys and non-text values are ignored. */
export function initialEdgeValues(issuing: AuthorityView[], now = Date.now()): EdgeFormValues {
  const stored = readStored();
  const values: EdgeFormValues = {
    tenant: '',
    serverName: '',
    listen: DEFAULT_LISTEN,
    serverCertificatePath: '',
    serverKeyPath: '',
    upstream: '',
    upstreamHost: '',
    cnameApiKeyInclude: '',
    clientIpHeader: DEFAULT_CLIENT_IP_HEADER,
    bundleDir: DEFAULT_BUNDLE_DIR,
    accessLog: '',
    reloadPreset: 'none',
    reloadContainer: '',
    ...stored.text,
    ca: defaultCas(issuing, stored.ca, now),
  };
  if (!(RELOAD_PRESETS as readonly string[]).includes(values.reloadPreset)) values.reloadPreset = 'none';
  return values;
}

type TextField = Exclude<EdgeField, 'ca'>;

function readStored(): { text: Partial<Record<TextField, string>>; ca: unknown } {
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? '{}');
    if (typeof parsed !== 'object' || parsed === null) return { text: {}, ca: null };
    const text: Partial<Record<TextField, string>> = {};
    for (const field of FIELDS) {
      const value = (parsed as Record<string, unknown>)[field];
      if (field !== 'ca' && typeof value === 'string') text[field] = value;
    }
    return { text, ca: (parsed as Record<string, unknown>).ca };
  } catch {
    return { text: {}, ca: null };
  }
}

export function rememberEdgeValues(values: EdgeFormValues): void {
  try {
    localStorage.setItem(STORAGE_KEY, JSON.stringify(values));
  } catch {
    // Storage refused (quota, privacy mode): the form simply starts from the defaults next time.
  }
}

// The server's rules (rebuildEdgeSettings, from shared/validation.ts), so most mistakes show while typing with the
// very words main would use; the server still has the last word.

/** What an empty required field asks for. */
const REQUIRED: Partial<Record<EdgeSettingField, string>> = {
  serverName: 'Enter the custom domain, such as auth.example.com',
  listen: 'Enter a port, such as 443',
  serverCertificatePath: 'Enter the path of the TLS certificate',
  serverKeyPath: 'Enter the path of the TLS key',
  upstream: 'Enter the origin, such as https://tenant.edge.tenants.auth0.com',
  bundleDir: 'Enter the folder of the bundle on the edge',
  cnameApiKeyInclude: 'Enter the path of the cname-api-key file',
};

/**
 * Errors by field. `preview` checks what the bundle needs; `publish` adds the reload command (the
 * folder is the operator's configured edge folder, never typed here).
 */
export function validateEdge(values: EdgeFormValues, scope: 'preview' | 'publish'): Partial<Record<EdgeField, string>> {
  const errors: Partial<Record<EdgeField, string>> = {};
  const add = (field: EdgeField, error: string | null) => {
    if (error) errors[field] = error;
  };
  if (values.ca.length === 0) errors.ca = 'Choose the issuing CA whose client certificates the edge accepts';
  else if (values.ca.length > EDGE_MAX_CAS) errors.ca = `Choose at most ${EDGE_MAX_CAS} issuing CAs`;
  const settings = toEdgeSettings(values);
  const rules = rebuildEdgeSettings(settings);
  const ruleErrors: Partial<Record<EdgeSettingField, string>> = rules.ok ? {} : rules.errors;
  for (const field of SETTING_FIELDS) {
    const required = REQUIRED[field];
    add(field, required && !settings[field] ? required : (ruleErrors[field] ?? null));
  }
  if (scope === 'publish') {
    if (values.reloadPreset === 'docker' && !isDockerContainerName(values.reloadContainer.trim()))
      errors.reloadContainer = 'A container name: a letter or digit, then letters, digits, _ . -';
  }
  return errors;
}

export function toEdgeSettings(values: EdgeFormValues): EdgeSettings {
  const header = values.clientIpHeader.trim();
  const upstreamHost = values.upstreamHost.trim();
  const accessLog = values.accessLog.trim();
  return {
    serverName: values.serverName.trim(),
    listen: values.listen.trim(),
    serverCertificatePath: values.serverCertificatePath.trim(),
    serverKeyPath: values.serverKeyPath.trim(),
    upstream: values.upstream.trim(),
    ...(upstreamHost ? { upstreamHost } : {}),
    cnameApiKeyInclude: values.cnameApiKeyInclude.trim(),
    ...(header ? { clientIpHeader: header } : {}),
    bundleDir: values.bundleDir.trim(),
    ...(accessLog ? { accessLog } : {}),
    verifyClient: 'on',
  };
}

/** The preset chosen, as the contract carries it; `null` for none. */
export function toReload(values: EdgeFormValues): EdgeReload | null {
  const preset = values.reloadPreset as ReloadPreset;
  if (preset === 'docker') return { preset, container: values.reloadContainer.trim() };
  if (preset === 'nginx' || preset === 'systemctl' || preset === 'custom') return { preset };
  return null;
}

export function toPublishInput(values: EdgeFormValues): EdgePublishInput {
  const reload = toReload(values);
  return { ca: edgeCas(values), settings: toEdgeSettings(values), ...(reload ? { reload } : {}) };
}

/** The CAs as the contract carries them: one id as before, a list only for a set. */
export function edgeCas(values: EdgeFormValues): EdgeCas {
  return values.ca.length === 1 ? values.ca[0]! : [...values.ca];
}

/**
 * The form once a tenant is picked: picking is the operator asking for that tenant's edge, so its custom
 * domain (when it has one) becomes the server name, which stays editable. No custom domain: unchanged.
 */
export function withTenant(values: EdgeFormValues, tenant: TenantView | undefined): EdgeFormValues {
  return { ...values, tenant: tenant?.id ?? '', ...(tenant?.customDomain ? { serverName: tenant.customDomain } : {}) };
}

/**
 * The form field a server error names, or `null` for an alert. Schema errors name the input path
 * (`settings.serverName`); the nginx rules name the setting alone (`serverName`). A folder problem (`dir`)
 * is the operator's configured folder, shown as an alert.
 */
export function edgeFieldFor(field: string | undefined): EdgeField | null {
  if (!field) return null;
  const path = field.replace(/^settings\./, '');
  if (path === 'dir') return null;
  if (path === 'reload.container') return 'reloadContainer';
  if (path === 'reload' || path.startsWith('reload.') || path === 'reloadCommand') return 'reloadPreset';
  return (FIELDS as string[]).includes(path) ? (path as EdgeField) : null;
}

/** One shell word: plain when it holds nothing a shell reads, else single-quoted. */
function shellWord(value: string): string {
  return /^[A-Za-z0-9._~+@=,:/-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

/**
 * The CLI command with which the operator approves exactly these settings (web mode cannot), and with
 * `cas` (ids: one shell word each) this set of issuing CAs too.
 */
export function approveCommand(settings: EdgeSettings, cas: readonly string[] = []): string {
  const flags: Array<[string, string | undefined]> = [
    ['--server-name', settings.serverName],
    ['--upstream', settings.upstream],
    ['--server-cert', settings.serverCertificatePath],
    ['--server-key', settings.serverKeyPath],
    ['--cname-api-key-file', settings.cnameApiKeyInclude],
    ['--listen', settings.listen],
    ['--bundle-dir', settings.bundleDir],
    ['--upstream-host', settings.upstreamHost],
    ['--client-ip-header', settings.clientIpHeader],
    ['--access-log', settings.accessLog],
  ];
  const words = flags.filter(([, value]) => value).map(([flag, value]) => `${flag} ${shellWord(value!)}`);
  for (const ca of cas) words.push(`--ca ${shellWord(ca)}`);
  return `certdesk edge settings set ${words.join(' ')}`;
}

/** Approved settings back into the form's fields (the CA and the reload stay as they are). */
export function withApprovedSettings(values: EdgeFormValues, settings: EdgeSettings): EdgeFormValues {
  return {
    ...values,
    serverName: settings.serverName,
    listen: settings.listen,
    serverCertificatePath: settings.serverCertificatePath,
    serverKeyPath: settings.serverKeyPath,
    upstream: settings.upstream,
    upstreamHost: settings.upstreamHost && settings.upstreamHost !== settings.serverName ? settings.upstreamHost : '',
    cnameApiKeyInclude: settings.cnameApiKeyInclude,
    clientIpHeader: settings.clientIpHeader ?? values.clientIpHeader,
    bundleDir: settings.bundleDir,
    accessLog: settings.accessLog ?? '',
  };
}

/** Whether the typed settings are the approved ones, compared as main compares them (rebuilt, defaults applied). */
export function matchesApproved(values: EdgeFormValues, approved: EdgeSettings | null): boolean {
  if (!approved) return false;
  const rebuilt = rebuildEdgeSettings(toEdgeSettings(values));
  if (!rebuilt.ok) return false;
  const typed = rebuilt.settings as unknown as Record<string, unknown>;
  const stored = approved as unknown as Record<string, unknown>;
  // A setting left out is null once rebuilt and absent as stored: both mean none.
  return Object.keys({ ...typed, ...stored }).every((field) => (typed[field] ?? null) === (stored[field] ?? null));
}
