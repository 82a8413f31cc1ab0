import { useState } from 'react';
import type { AuthorityKind, AuthorityView } from '../../../../shared/contract/index.ts';
import { GuardedModal } from '../../components/GuardedModal.tsx';
import { CreateAuthorityForm } from './CreateAuthorityForm.tsx';

interface Props {
  opened: boolean;
  /** Changes with every opening: a fresh form even when reopened during the closing transition. */
  session: number;
  kind: AuthorityKind;
  roots: AuthorityView[];
  onClose: () => void;
  onCreated: (authority: AuthorityView) => void;
}

/** Each opening starts a clean form; an error keeps what was typed. */
export function CreateAuthorityModal({ opened, session, kind, roots, onClose, onCreated }: Props) {
  const [busy, setBusy] = useState(false);
  return (
    <GuardedModal
      opened={opened}
      busy={busy}
      onClose={onClose}
      size="lg"
      title={kind === 'root' ? 'New root CA' : 'New issuing CA'}
      testId="create-ca-dialog"
      contentAttributes={{ 'data-ca-kind': kind }}
    >
      <CreateAuthorityForm
        key={session}
        kind={kind}
        roots={roots}
        onBusyChange={setBusy}
        // The form's Cancel is disabled while it is busy.
        onCancel={onClose}
        onCreated={(authority) => {
          setBusy(false);
          onCreated(authority);
        }}
      />
    </GuardedModal>
  );
}
