import type { WorkstationRole } from '../../../shared/contract/index.ts';
import { useAppInfo } from './app-data.tsx';

/** What a data folder's role lets the UI offer; the main process refuses the rest all the same (role-guard.ts). */
export interface RoleAbilities {
  role: WorkstationRole;
  /** Not an offline signer: tenants, bindings, the edge, diagnostics, delivery and rotation are shown. */
  network: boolean;
  /** Not a publisher: creating CAs, issuing, renewing and signing CRLs are shown. */
  caKey: boolean;
}

export function roleAbilities(role: WorkstationRole): RoleAbilities {
  return { role, network: role !== 'signer', caKey: role !== 'publisher' };
}

/** The header's words for a role; the default (standalone) shows nothing. */
export const ROLE_BADGE: Record<WorkstationRole, { label: string; detail: string } | null> = {
  standalone: null,
  signer: {
    label: 'Offline signer',
    detail: 'This data folder holds the CA keys and opens no network connection. Set with certdesk role set.',
  },
  publisher: {
    label: 'Publisher',
    detail: 'This data folder talks to Auth0, the edge and delivery targets, and holds no CA private key. Set with certdesk role set.',
  },
};

export function useRoleAbilities(): RoleAbilities {
  return roleAbilities(useAppInfo().role);
}
