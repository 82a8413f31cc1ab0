/**
 * Step 2 of the five, on Auth0's side: the tenant's custom domain with self-managed certificates,
 * verified, and the `cname-api-key` that Auth0 returns exactly once (from verify) as the nginx
 * include the edge configuration reads. No caller names where it goes: the desktop app asks in
 * main's save dialog (before verifying, so a cancel loses no key) and main writes it there (0600,
 * atomically); web mode and the CLI get the include back once. Never SQLite, never the audit log.
 */
import type { ClientIpHeader, CustomDomainSetup } from '../../../shared/contract/index.ts';
import { CertdeskError } from '../errors.ts';
import { checkChosenFile, writeChosenFile } from '../files/chosen-file.ts';
import type { SaveDialogPort } from '../files/save-dialog-port.ts';
import type { ManagementGateway } from './management-gateway.ts';

export interface CustomDomainInput {
  domain: string;
  clientIpHeader?: ClientIpHeader;
}

/** The include's file name, suggested in the save dialog and for a download. */
export const KEY_INCLUDE_FILENAME = 'cname-api-key.conf';

function keyInclude(key: string): string {
  if (!/^[A-Za-z0-9._~-]+$/.test(key))
    throw new CertdeskError('AUTH0_REJECTED', 'Auth0 returned a cname_api_key with unexpected characters; it was not written.', {
      field: 'keyFile',
    });
  return `proxy_set_header cname-api-key "${key}";\n`;
}

export async function setUpCustomDomain(
  gateway: ManagementGateway,
  input: CustomDomainInput,
  saveDialog?: Pick<SaveDialogPort, 'chooseSavePath'>,
): Promise<CustomDomainSetup> {
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
    return {
      customDomainId: id,
      domain: name,
      status: 'ready',
      originDomainName: domain.origin_domain_name ?? null,
      keyFile: null,
      keyWritten: false,
      steps: [
        ...steps,
        `${name} is verified already, and Auth0 returns its cname-api-key only once, at verification: use the key file saved then, or delete the custom domain in Auth0 and run this again to get a new key`,
      ],
    };
  }
  // Asked before verifying: the key comes only once, so where it goes is settled before Auth0 hands it out.
  let target: string | undefined;
  if (saveDialog) {
    const chosen = await saveDialog.chooseSavePath({
      title: 'Save the cname-api-key include for nginx',
      suggestedName: KEY_INCLUDE_FILENAME,
    });
    if (chosen === null)
      throw new CertdeskError('VALIDATION', `Cancelled in the save dialog; ${name} was not verified and nothing was written.`, {
        field: 'keyFile',
      });
    // The dialog asked before replacing a file; its folder must already exist.
    target = checkChosenFile(chosen, { field: 'keyFile', replace: true });
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
  const include = keyInclude(verified.cname_api_key);
  const done = { customDomainId: id, domain: name, status: 'ready', originDomainName: verified.origin_domain_name ?? null };
  if (target === undefined)
    return {
      ...done,
      keyFile: null,
      keyWritten: false,
      keyInclude: { filename: KEY_INCLUDE_FILENAME, content: include },
      steps: [...steps, `verified ${name}`, `returned the cname-api-key include once: save it readable by nginx only`],
    };
  // replace: the dialog confirmed it, and the include must hold the current key. 0600, atomically.
  try {
    writeChosenFile(target, include, { field: 'keyFile', replace: true, private: true });
  } catch (error) {
    throw new CertdeskError(
      error instanceof CertdeskError ? error.code : 'VALIDATION',
      `${(error as Error).message} Auth0 has verified ${name} and will not return its cname-api-key again: delete the custom domain in Auth0 and run this again to get a new key.`,
      { field: 'keyFile', cause: error },
    );
  }
  return {
    ...done,
    keyFile: target,
    keyWritten: true,
    steps: [...steps, `verified ${name}`, `wrote the cname-api-key include to ${target} (mode 0600)`],
  };
}
