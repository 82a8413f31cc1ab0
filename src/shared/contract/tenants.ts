export const TENANT_ENVIRONMENTS = ['development', 'staging', 'production'] as const;

export type TenantEnvironment = (typeof TENANT_ENVIRONMENTS)[number];

/** keychain: the OS keychain holds the M2M secret; sealed: passphrase mode, sealed under the vault's key in SQLite. */
export type TenantSecretStorage = 'keychain' | 'sealed';

/** A tenant as the UI sees it. The M2M client secret never crosses the contract. */
export interface TenantView {
  id: string;
  name: string;
  environment: TenantEnvironment;
  /** The tenant's canonical domain (`acme.eu.auth0.com`): where the Management API lives. */
  domain: string;
  /** The custom domain clients dial through the mTLS edge (`auth.acme.com`), if any. */
  customDomain: string | null;
  clientId: string;
  secretStorage: TenantSecretStorage;
  createdAt: string;
  /** How diagnostics reach this tenant through the edge; null until set. */
  diagnostics: TenantDiagnostics | null;
}

/** How the token flight check reaches a tenant through its edge. No secrets. */
export interface TenantDiagnostics {
  /** Default: https://<custom domain or domain>/.well-known/openid-configuration */
  discoveryUrl?: string;
  /** The API identifier to request tokens for (default: the binding's API). */
  audience?: string;
  /** Connect here for the token endpoint, keeping its name (like curl --connect-to): host:port. */
  edgeAddress?: string;
  /** CA certificate(s) the edge's TLS server certificate chains to, when not a public CA. */
  edgeCaPem?: string;
  /** An API URL that must refuse the token without the certificate (stage 8). */
  resourceUrl?: string;
}

export interface TenantAddInput {
  name: string;
  environment: TenantEnvironment;
  domain: string;
  customDomain?: string;
  clientId: string;
  clientSecret: string;
}

/** What "Test connection" found: a token was issued; `missing` names the scopes certdesk needs but lacks. */
export interface TenantTestResult {
  ok: boolean;
  granted: string[];
  missing: string[];
  /** Seconds; null when no token was issued (the app has no grant for the Management API). */
  tokenExpiresIn: number | null;
}

/** A profile edit: only the fields given change; `customDomain: null` removes it; no secret keeps the stored one. */
export interface TenantUpdateInput {
  /** Tenant id or name. */
  tenant: string;
  name?: string;
  environment?: TenantEnvironment;
  domain?: string;
  customDomain?: string | null;
  clientId?: string;
  clientSecret?: string;
  /** For a production tenant (before or after the edit): its current name, typed again. */
  confirm?: string;
}

export interface TenantRemoveInput {
  /** Tenant id or name. */
  tenant: string;
  /** For a production tenant: the tenant's name, typed again. */
  confirm?: string;
}

export const CLIENT_IP_HEADERS = ['true-client-ip', 'cf-connecting-ip', 'x-forwarded-for', 'x-azure-clientip'] as const;

export type ClientIpHeader = (typeof CLIENT_IP_HEADERS)[number];

export interface CustomDomainInput {
  tenant: string;
  /** Defaults to the tenant's custom domain. */
  domain?: string;
  /**
   * Always refused (FORBIDDEN, field `keyFile`) before anything is sent: no caller names where a
   * secret goes. The desktop app asks in main's own save dialog; web mode and the CLI get the include back.
   */
  keyFile?: string;
  /** A header the edge sets with the client IP (custom_client_ip_header), when not X-Forwarded-For. */
  clientIpHeader?: ClientIpHeader;
  /** A production tenant's name, typed again: changing its custom domain needs it, as every other change to the tenant does. */
  confirm?: string;
}

export interface CustomDomainSetup {
  customDomainId: string;
  domain: string;
  status: string;
  /** Where the edge forwards to (proxy_pass and Host). */
  originDomainName: string | null;
  /** Desktop app: the file main wrote the include to, where the operator chose in its save dialog. */
  keyFile: string | null;
  keyWritten: boolean;
  /**
   * Web mode and the CLI, once, right after verification: the nginx include with the cname-api-key
   * (Auth0 returns it only then), for a download or the CLI's `--out`. Never stored by certdesk.
   */
  keyInclude?: { filename: string; content: string };
  steps: string[];
}
