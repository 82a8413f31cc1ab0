import type { SandboxStatus } from '../../../shared/contract/index.ts';
import { CertdeskError } from '../errors.ts';
import type { SandboxPort } from './sandbox-port.ts';

/**
 * A production install can leave the sandbox tenant out: with CERTDESK_NO_SANDBOX=1 the hosts never
 * import the emulator (src/sandbox), no request goes through its fetch, and its channels and
 * commands answer with the error below.
 */
export const NO_SANDBOX_ENV = 'CERTDESK_NO_SANDBOX';

export function sandboxLeftOut(env: NodeJS.ProcessEnv): boolean {
  return env[NO_SANDBOX_ENV] === '1';
}

export function sandboxLeftOutError(): CertdeskError {
  return new CertdeskError(
    'FORBIDDEN',
    `This certdesk runs without the sandbox tenant (${NO_SANDBOX_ENV}=1): add a real Auth0 tenant, or start certdesk without ${NO_SANDBOX_ENV} to rehearse against the sandbox.`,
    { field: 'sandbox' },
  );
}

/**
 * The SandboxPort of a host without the sandbox: no sandbox runs (so following certdesk's trust
 * has nothing to do), and starting or stopping one fails with sandboxLeftOutError.
 */
export function leftOutSandbox(): SandboxPort {
  const status: SandboxStatus = {
    running: false,
    owner: null,
    dir: '',
    url: null,
    edgeUrl: null,
    edgeCaPem: null,
    domain: null,
    pid: null,
  };
  return {
    status: () => status,
    start: () => Promise.reject(sandboxLeftOutError()),
    refreshTrust: () => false,
    stop: () => Promise.reject(sandboxLeftOutError()),
  };
}
