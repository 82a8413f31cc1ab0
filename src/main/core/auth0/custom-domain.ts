/**
 * Step 2 of the five, on Auth0's side: the tenant's custom domain with self-managed certificates,
 * verified, and the `cname-api-key` that Auth0 returns exactly once (from verify) written straight
 * into the nginx include file the edge configuration reads. The key goes to that file (mode 0600)
 * and nowhere else: not SQLite, not the audit log, not the answer to the UI.
 */
import { existsSync } from 'node:fs';
import type { ClientIpHeader, CustomDomainSetup } from '../../../shared/contract/index.ts';
import { CertdeskError } from '../errors.ts';
import { writePrivateFile } from '../files/private-file.ts';
import type { ManagementGateway } from './management-gateway.ts';

export interface CustomDomainInput {
  domain: string;
  /** Where the nginx include `proxy_set_header cname-api-key "…";` is written. */
  keyFile: string;
  clientIpHeader?: ClientIpHeader;
}

function writeKeyFile(path: string, key: string): void {
  if (!/^[A-Za-z0-9._~-]+$/.test(key))
    throw new CertdeskError('AUTH0_REJECTED', 'Auth0 returned a cname_api_key with unexpected characters; it was not written.', {
      field: 'keyFile',
    });
  try {
    // replace: verify hands out a new key, and the include must hold the current one.
    writePrivateFile(path, `proxy_set_header cname-api-key "${key}";\n`, { replace: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new CertdeskError(
      'VALIDATION',
      `Cannot write the key file ${path} (${code}). Choose a folder you can write to, readable by nginx only.`,
      { field: 'keyFile', cause: error },
    );
  }
}

export async function setUpCustomDomain(gateway: ManagementGateway, input: CustomDomainInput): Promise<CustomDomainSetup> {
  const name = input.domain.toLowerCase();
  const list = (await gateway.call('list the custom domains', (mc) => mc.customDomains.list())).value;
  let domain = list.find((d) => d.domain.toLowerCase() === name);
  const steps: string[] = [];
  if (!domain) {
    const created = (
      await gateway.call(`create the custom domain ${name}`, (mc) =>
        mc.customDomains.create({
          domain: name,
          type: 'self_managed_certs',
          ...(input.clientIpHeader ? { custom_client_ip_header: input.clientIpHeader } : {}),
        }),
      )
    ).value;
    domain = { ...created, primary: false } as typeof domain & object;
    steps.push(`created ${name} (self-managed certificates)`);
  }
  const id = domain.custom_domain_id;
  if (domain.status === 'ready') {
    if (!existsSync(input.keyFile)) {
      throw new CertdeskError(
        'CONFLICT',
        `${name} is verified already, and Auth0 returns its cname-api-key only once, at verification. Use the key file written then, or delete the custom domain in Auth0 and run this again to get a new key.`,
        { field: 'keyFile' },
      );
    }
    return {
      customDomainId: id,
      domain: name,
      status: 'ready',
      originDomainName: domain.origin_domain_name ?? null,
      keyFile: input.keyFile,
      keyWritten: false,
      steps: [...steps, `${name} is verified; the key file exists`],
    };
  }
  const verified = (await gateway.call(`verify the custom domain ${name}`, (mc) => mc.customDomains.verify(id))).value;
  if (verified.status !== 'ready') {
    return {
      customDomainId: id,
      domain: name,
      status: verified.status,
      originDomainName: verified.origin_domain_name ?? null,
      keyFile: null,
      keyWritten: false,
      steps: [...steps, `verification pending: publish the CNAME record, then run this again`],
    };
  }
  if (!verified.cname_api_key)
    throw new CertdeskError(
      'AUTH0_REJECTED',
      `Auth0 verified ${name} but returned no cname_api_key; is it a self-managed-certificates domain?`,
      { field: 'domain' },
    );
  writeKeyFile(input.keyFile, verified.cname_api_key);
  return {
    customDomainId: id,
    domain: name,
    status: 'ready',
    originDomainName: verified.origin_domain_name ?? null,
    keyFile: input.keyFile,
    keyWritten: true,
    steps: [...steps, `verified ${name}`, `wrote the cname-api-key include to ${input.keyFile} (mode 0600)`],
  };
}
