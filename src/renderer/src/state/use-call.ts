import { useCallback } from 'react';
import type { Channel, ChannelInput, ChannelOutput, Result } from '../../../shared/contract/index.ts';
import { api } from '../bridge.ts';
import { useAppData } from './app-data.tsx';
import { useRequestUnlock } from './unlock-prompt.tsx';

export type Call = <C extends Channel>(channel: C, input: ChannelInput<C>) => Promise<Result<ChannelOutput<C>>>;

/**
 * `api.invoke` plus the one recovery every page shares: VAULT_LOCKED opens the unlock dialog and,
 * once unlocked, the same call runs again. A cancelled unlock returns the original failure.
 */
export function useCall(): Call {
  const requestUnlock = useRequestUnlock();
  const { info, setVault } = useAppData();
  const vault = info?.ok ? info.value.vault : null;

  return useCallback<Call>(
    async (channel, input) => {
      const result = await api.invoke(channel, input);
      if (result.ok || result.error.code !== 'VAULT_LOCKED') return result;
      if (vault && vault.state !== 'locked') setVault({ ...vault, state: 'locked' });
      const unlocked = await requestUnlock(result.error.message);
      return unlocked ? api.invoke(channel, input) : result;
    },
    [requestUnlock, vault, setVault],
  );
}
