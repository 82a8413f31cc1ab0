import { Modal, Text, type ModalProps } from '@mantine/core';
import type { ReactNode } from 'react';
import { useOpenedAfterMount } from '../state/use-opened-after-mount.ts';

interface Props {
  opened: boolean;
  /** An operation is running: until it settles, the dialog cannot be closed. */
  busy: boolean;
  onClose: () => void;
  /** A string is set as the bold heading (large in a large dialog); a node is used as it is. */
  title: ReactNode;
  /** `data-testid` of the dialog element. */
  testId: string;
  /** The form dialogs are `lg`; the others keep Mantine's default width. */
  size?: 'lg';
  /** More attributes for the dialog element, e.g. `data-ca-kind`; tests select on them too. */
  contentAttributes?: Record<`data-${string}`, string | undefined>;
  zIndex?: ModalProps['zIndex'];
  children: ReactNode;
}

/**
 * A dialog whose operation (key generation, signing, writing a file, unlocking) cannot be
 * cancelled half-way: while `busy`, Escape, an outside click and the close button must not hide
 * it, since closing would only hide a result that still arrives.
 */
export function GuardedModal({ opened, busy, onClose, title, testId, size, contentAttributes, zIndex, children }: Props) {
  const shown = useOpenedAfterMount(opened);
  return (
    <Modal
      opened={shown}
      onClose={() => {
        if (!busy) onClose();
      }}
      closeOnEscape={!busy}
      closeOnClickOutside={!busy}
      withCloseButton={!busy}
      size={size}
      zIndex={zIndex}
      title={
        typeof title === 'string' ? (
          <Text fw={600} size={size}>
            {title}
          </Text>
        ) : (
          title
        )
      }
      // The root is a zero-size wrapper; tests and screen readers need the dialog itself.
      attributes={{ content: { ...contentAttributes, 'data-testid': testId } }}
    >
      {children}
    </Modal>
  );
}
