import { Button, Code, Group, Stack, Text } from '@mantine/core';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { GuardedModal } from '../../components/GuardedModal.tsx';
import { shortcutLabel } from '../../components/shortcut.ts';
import type { RepublishBlock } from './republish.ts';

interface Props {
  block: RepublishBlock | null;
  onClose: () => void;
}

/** The palette's "Publish the edge" when there is nothing approved to publish: the named error and the commands that fix it. */
export function RepublishBlockedModal({ block, onClose }: Props) {
  return (
    <GuardedModal
      opened={block !== null}
      busy={false}
      onClose={onClose}
      size="lg"
      title="The edge was not published"
      testId="edge-republish-blocked"
    >
      {block && (
        <Stack>
          <ErrorAlert title="Nothing to publish yet" code={block.code} data-testid="edge-republish-error">
            {block.message}
          </ErrorAlert>
          {block.commands.length > 0 && (
            <Stack gap={6}>
              <Text size="sm">On this machine, run:</Text>
              {block.commands.map((command) => (
                <Code key={command} block style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all' }} data-testid="edge-republish-command">
                  {command}
                </Code>
              ))}
              <Text size="xs" c="dimmed">
                Then open the palette ({shortcutLabel('mod+K')}) and choose “Publish the edge” again.
              </Text>
            </Stack>
          )}
          <Group justify="flex-end">
            <Button onClick={onClose} data-autofocus data-testid="edge-republish-close">
              Close
            </Button>
          </Group>
        </Stack>
      )}
    </GuardedModal>
  );
}
