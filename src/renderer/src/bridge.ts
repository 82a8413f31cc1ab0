import type { CertdeskApi, Result } from '../../shared/contract/index.ts';
import { createWebApi } from './web/web-api.ts';
import { takeWebToken } from './web/web-token.ts';

export type Transport = 'electron' | 'web';

const exposed = (globalThis as { certdesk?: CertdeskApi }).certdesk;
const token = exposed ? null : takeWebToken();

/** Electron when the preload exposed `window.certdesk`, otherwise the `npm run web` host. */
export const transport: Transport = exposed ? 'electron' : 'web';

/** Web mode opened without the printed link: nothing will authenticate, so the app says so up front. */
export const missingWebToken: boolean = !exposed && !token;

const withoutToken: CertdeskApi = {
  invoke: () =>
    Promise.resolve<Result<never>>({
      ok: false,
      error: { code: 'FORBIDDEN', message: 'Open certdesk with the link printed by `npm run web` (it carries a one-time access token).' },
    }),
  onEvent: () => () => {},
};

export const api: CertdeskApi = exposed ?? (token ? createWebApi(token) : withoutToken);
