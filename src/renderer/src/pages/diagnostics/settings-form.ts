import type { TenantDiagnostics, TenantView } from '../../../../shared/contract/index.ts';
import { hasWhitespace, isEdgeAddress, isHttpsUrl, isHttpUrl } from '../../../../shared/validation.ts';

export interface SettingsValues {
  discoveryUrl: string;
  audience: string;
  edgeAddress: string;
  edgeCaPem: string;
  resourceUrl: string;
}

export type SettingsField = keyof SettingsValues;
export type SettingsErrors = Partial<Record<SettingsField, string>>;

export const SETTINGS_FIELDS: readonly SettingsField[] = ['discoveryUrl', 'audience', 'edgeAddress', 'edgeCaPem', 'resourceUrl'];

export const SETTINGS_TEST_IDS: Record<SettingsField, string> = {
  discoveryUrl: 'diagnostics-discovery-url',
  audience: 'diagnostics-settings-audience',
  edgeAddress: 'diagnostics-edge-address',
  edgeCaPem: 'diagnostics-edge-ca',
  resourceUrl: 'diagnostics-settings-resource-url',
};

/** Where discovery goes when no URL is set: the same rule main applies. */
export function defaultDiscoveryUrl(tenant: TenantView): string {
  return `https://${tenant.customDomain ?? tenant.domain}/.well-known/openid-configuration`;
}

export function valuesOf(settings: TenantDiagnostics | null): SettingsValues {
  return {
    discoveryUrl: settings?.discoveryUrl ?? '',
    audience: settings?.audience ?? '',
    edgeAddress: settings?.edgeAddress ?? '',
    edgeCaPem: settings?.edgeCaPem ?? '',
    resourceUrl: settings?.resourceUrl ?? '',
  };
}

/** The settings to save: empty fields are left out (main stores only what is set). */
export function settingsOf(values: SettingsValues): TenantDiagnostics {
  const settings: TenantDiagnostics = {};
  for (const field of SETTINGS_FIELDS) {
    const value = values[field].trim();
    if (value) settings[field] = field === 'edgeCaPem' ? `${value}\n` : value;
  }
  return settings;
}

export function sameValues(a: SettingsValues, b: SettingsValues): boolean {
  return SETTINGS_FIELDS.every((field) => a[field].trim() === b[field].trim());
}

/** What can be told before saving; main checks again and has the last word. */
export function validateSettings(values: SettingsValues): SettingsErrors {
  const errors: SettingsErrors = {};
  const discovery = values.discoveryUrl.trim();
  if (discovery && !isHttpsUrl(discovery)) errors.discoveryUrl = 'The discovery URL must be an https:// URL';
  if (hasWhitespace(values.audience.trim())) errors.audience = 'An API identifier has no spaces';
  const address = values.edgeAddress.trim();
  if (address) {
    if (!isEdgeAddress(address)) errors.edgeAddress = 'The edge address is host:port, such as 127.0.0.1:8443';
  }
  const pem = values.edgeCaPem.trim();
  if (pem && !/-----BEGIN CERTIFICATE-----[\s\S]+-----END CERTIFICATE-----/.test(pem))
    errors.edgeCaPem = 'Paste one or more PEM certificates (-----BEGIN CERTIFICATE-----)';
  const resource = values.resourceUrl.trim();
  if (resource && !isHttpUrl(resource)) errors.resourceUrl = 'The resource URL must be an http(s) URL';
  return errors;
}

/** A failure's field from the settings channel (`settings.edgeAddress`) or the run (`edgeAddress`), if it is one of ours. */
export function settingsFieldOf(field: string | undefined): SettingsField | undefined {
  const name = field?.replace(/^settings\./, '');
  return SETTINGS_FIELDS.find((f) => f === name);
}
