import { useState } from 'react';
import type { Failure, TargetAddResult } from '../../../../../shared/contract/index.ts';
import { useCall } from '../../../state/use-call.ts';

interface Props {
  certificateId: string;
  /** This host can ask the operator for a folder (the desktop app); web mode cannot. */
  canChooseFolder: boolean;
  onAdded: () => void;
}

/**
 * Adding a folder target chooses where a private key is written, which only the operator may do: the
 * desktop app asks in main's native folder dialog (nothing typed here is used), and web mode,
 * which has no such dialog, gives the command to run on this machine instead of a form that would fail.
 */
export function useAddTarget({ certificateId, canChooseFolder, onAdded }: Props) {
  const call = useCall();
  const [busy, setBusy] = useState(false);
  const [added, setAdded] = useState<TargetAddResult | null>(null);
  const [failure, setFailure] = useState<Failure | null>(null);
  const [helpOpened, setHelpOpened] = useState(false);
  const start = async () => {
    setFailure(null);
    setAdded(null);
    if (!canChooseFolder) {
      setHelpOpened((opened) => !opened);
      return;
    }
    setBusy(true);
    const result = await call('targets:add', { cert: certificateId, kind: 'folder' });
    setBusy(false);
    if (result.ok) {
      setAdded(result.value);
      onAdded();
    } else setFailure(result.error);
  };
  return { busy, added, failure, helpOpened, start };
}

export type AddTargetState = ReturnType<typeof useAddTarget>;
