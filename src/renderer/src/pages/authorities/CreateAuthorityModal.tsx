import { Modal, Text } from '@mantine/core';
import { useState } from 'react';
import type { AuthorityKind, AuthorityView } from '../../../../shared/contract.ts';
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
  // Key generation cannot be cancelled half-way; closing would only hide a CA that still appears.
  const close = () => {
    if (!busy) onClose();
  };
  return (
    <Modal
      opened={opened}
      onClose={close}
      closeOnEscape={!busy}
      closeOnClickOutside={!busy}
      withCloseButton={!busy}
      size="lg"
      title={<Text fw={600} size="lg">{kind === 'root' ? 'New root CA' : 'New issuing CA'}</Text>}
      // The root is a zero-size wrapper; tests and screen readers need the dialog itself.
      attributes={{ content: { 'data-testid': 'create-ca-dialog', 'data-ca-kind': kind } }}
    >
      <CreateAuthorityForm
        key={session}
        kind={kind}
        roots={roots}
        onBusyChange={setBusy}
        onCancel={close}
        onCreated={(authority) => {
          setBusy(false);
          onCreated(authority);
        }}
      />
    </Modal>
  );
}
