import { Badge, Group, Tooltip, UnstyledButton } from '@mantine/core';
import { IconLock, IconLockOpen, IconShieldCheck, IconShieldQuestion } from '@tabler/icons-react';
import type { VaultStatus } from '../../../shared/contract/index.ts';
import { useAppInfo } from '../state/app-data.tsx';
import { ROLE_BADGE } from '../state/role.ts';
import { useRequestUnlock } from '../state/unlock-prompt.tsx';

const MODE_LABEL = { electron: 'Electron', web: 'Web', cli: 'CLI' } as const;

export function keyProtectionLabel(vault: VaultStatus): string {
  if (vault.state === 'uninitialized' || vault.protection === null) return 'Keys: not set up';
  if (vault.protection === 'keychain') return 'Keys: OS keychain';
  return `Keys: passphrase — ${vault.state === 'locked' ? 'locked' : 'unlocked'}`;
}

function keyBadge(vault: VaultStatus) {
  if (vault.state === 'locked') return { color: 'orange', icon: <IconLock size={14} aria-hidden /> };
  if (vault.state === 'uninitialized') return { color: 'gray', icon: <IconShieldQuestion size={14} aria-hidden /> };
  if (vault.protection === 'passphrase') return { color: 'teal', icon: <IconLockOpen size={14} aria-hidden /> };
  return { color: 'teal', icon: <IconShieldCheck size={14} aria-hidden /> };
}

/** The mode and where the private keys are protected, visible from every page. */
export function HeaderStatus({ onOpenSettings }: { onOpenSettings: () => void }) {
  const info = useAppInfo();
  const requestUnlock = useRequestUnlock();
  const { vault } = info;
  const { color, icon } = keyBadge(vault);
  const locked = vault.state === 'locked';
  const role = ROLE_BADGE[info.role];

  return (
    <Group gap="xs" wrap="nowrap">
      {role && (
        <Tooltip label={role.detail} multiline maw={320}>
          <Badge
            variant="filled"
            color={info.role === 'signer' ? 'grape' : 'blue'}
            tt="none"
            size="lg"
            data-testid="workstation-role"
            data-role={info.role}
          >
            {role.label}
          </Badge>
        </Tooltip>
      )}
      <Tooltip label={`certdesk ${info.version}, running in ${info.mode} mode`}>
        <Badge variant="outline" color="gray" tt="none" size="lg" data-testid="app-mode">
          {MODE_LABEL[info.mode]}
        </Badge>
      </Tooltip>
      <Tooltip label={locked ? 'Click to unlock the keys' : `${vault.detail}. Click for key protection settings.`} multiline maw={320}>
        <UnstyledButton
          onClick={() => (locked ? void requestUnlock() : onOpenSettings())}
          aria-label={`${keyProtectionLabel(vault)}. ${locked ? 'Unlock' : 'Open settings'}`}
          style={{ borderRadius: 'var(--mantine-radius-xl)' }}
        >
          <Badge
            variant="light"
            color={color}
            tt="none"
            size="lg"
            leftSection={icon}
            data-testid="key-protection"
            data-vault-state={vault.state}
            style={{ cursor: 'pointer' }}
          >
            {keyProtectionLabel(vault)}
          </Badge>
        </UnstyledButton>
      </Tooltip>
    </Group>
  );
}
