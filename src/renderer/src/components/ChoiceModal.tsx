import { Button, Group, Modal, Stack, Text, UnstyledButton } from '@mantine/core';
import { useEffect, useRef, type KeyboardEvent } from 'react';

export interface Choice {
  value: string;
  label: string;
  detail?: string;
}

interface Props {
  opened: boolean;
  title: string;
  description: string;
  choices: readonly Choice[];
  onChoose: (value: string) => void;
  onClose: () => void;
  /** `data-testid` of the dialog; each choice is `<testId>-option` with `data-value`. */
  testId: string;
}

/**
 * "Which one?" when an action from the command palette has several things it could act on. Keyboard
 * first: the first choice has the focus, the arrow keys move it, Enter picks, Escape cancels.
 */
export function ChoiceModal({ opened, title, description, choices, onChoose, onClose, testId }: Props) {
  const listRef = useRef<HTMLDivElement>(null);
  // A follow-up question in the same open dialog replaces the focused choice: the cursor goes to the new first one.
  useEffect(() => {
    if (opened) listRef.current?.querySelector<HTMLButtonElement>('[role="option"]')?.focus();
  }, [opened, choices]);
  const move = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return;
    event.preventDefault();
    const options = [...(listRef.current?.querySelectorAll<HTMLButtonElement>('[role="option"]') ?? [])];
    const at = options.findIndex((option) => option === document.activeElement);
    const step = event.key === 'ArrowDown' ? 1 : -1;
    options[(at + step + options.length) % options.length]?.focus();
  };
  return (
    <Modal opened={opened} onClose={onClose} title={<Text fw={600}>{title}</Text>} attributes={{ content: { 'data-testid': testId } }}>
      <Stack gap="sm">
        <Text size="sm" c="dimmed">
          {description}
        </Text>
        <div role="listbox" aria-label={title} ref={listRef} onKeyDown={move}>
          {choices.map((choice, index) => (
            <UnstyledButton
              key={choice.value}
              role="option"
              aria-selected={false}
              onClick={() => onChoose(choice.value)}
              data-autofocus={index === 0 || undefined}
              w="100%"
              p="xs"
              style={{ borderRadius: 'var(--mantine-radius-sm)', border: '1px solid var(--mantine-color-default-border)', marginBottom: 6 }}
              data-testid={`${testId}-option`}
              data-value={choice.value}
            >
              <Text size="sm" fw={500} truncate="end" title={choice.label}>
                {choice.label}
              </Text>
              {choice.detail && (
                <Text size="xs" c="dimmed" truncate="end" title={choice.detail}>
                  {choice.detail}
                </Text>
              )}
            </UnstyledButton>
          ))}
        </div>
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
