import { Badge, Group, Modal, ScrollArea, Stack, Text, TextInput, UnstyledButton } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconSearch } from '@tabler/icons-react';
import { useEffect, useImperativeHandle, useMemo, useRef, useState, type KeyboardEvent, type Ref } from 'react';
import { requestIntent, type CommandIntent } from '../state/command-intent.ts';
import { useAppData } from '../state/app-data.tsx';
import { useCall } from '../state/use-call.ts';
import { KEYS_LOCKED, showVaultToast } from '../state/vault-toast.ts';
import type { RoleAbilities } from '../state/role.ts';
import { shortcutLabel } from './shortcut.ts';
import { useOpenedAfterMount } from '../state/use-opened-after-mount.ts';
import type { KeysAhead, PaletteHandle, PaletteQuery } from './palette-typing.ts';

interface PageEntry<P extends string> {
  id: P;
  label: string;
  description: string;
}

interface Command {
  id: string;
  label: string;
  hint: string;
  kind: 'page' | 'action';
  run: () => void;
}

interface Props<P extends string> {
  /** The navigation's own entries, already filtered by role: the palette never lists a hidden page. */
  pages: readonly PageEntry<P>[];
  go: (page: P) => void;
  abilities: RoleAbilities;
  /**
   * Held by the shell, which owns Ctrl+K and what is typed before the field has focus (palette-typing.ts):
   * the palette is a chunk of its own, fetched after the first page.
   */
  opened: boolean;
  onClose: () => void;
  query: PaletteQuery;
  onTextChange: (text: string) => void;
  /** The list's keys pressed before the palette was there, replayed as it opens. */
  takeKeysAhead: () => KeysAhead;
  ref: Ref<PaletteHandle>;
}

/** Ctrl+K / ⌘K: every page and the main actions, filtered as the operator types (issue 13). */
export function CommandPalette<P extends string>({
  pages,
  go,
  abilities,
  opened: asked,
  onClose,
  query,
  onTextChange,
  takeKeysAhead,
  ref,
}: Props<P>) {
  const opened = useOpenedAfterMount(asked);
  // The highlighted row, for the edit of the query it was chosen under: any change or a new opening starts
  // from the first row again.
  const [active, setActiveFor] = useState({ index: 0, edit: query.edit });
  const setActive = (index: number) => setActiveFor({ index, edit: query.edit });
  const call = useCall();
  const { setVault } = useAppData();

  const commands = useMemo(() => {
    const has = (id: string) => pages.some((page) => page.id === id);
    const intent = (page: string, what: CommandIntent) => () => {
      go(page as P);
      requestIntent(what);
    };
    const actions: Array<Command & { when: boolean }> = [
      {
        id: 'issue',
        label: 'Issue a certificate',
        hint: 'Inventory',
        kind: 'action',
        run: intent('inventory', 'issue-certificate'),
        when: abilities.caKey,
      },
      {
        id: 'new-root',
        label: 'New root CA',
        hint: 'Authorities',
        kind: 'action',
        run: intent('authorities', 'new-root-ca'),
        when: abilities.caKey,
      },
      {
        id: 'new-issuing',
        label: 'New issuing CA',
        hint: 'Authorities',
        kind: 'action',
        run: intent('authorities', 'new-issuing-ca'),
        when: abilities.caKey,
      },
      {
        id: 'rotate-all',
        label: 'Rotate all due',
        hint: 'Schedule',
        kind: 'action',
        run: intent('schedule', 'rotate-all-due'),
        when: abilities.network,
      },
      {
        id: 'publish-edge',
        label: 'Publish the edge',
        hint: 'Edge · the approved settings, after a confirmation',
        kind: 'action',
        run: intent('edge', 'publish-edge'),
        when: has('edge'),
      },
      {
        id: 'diagnose',
        label: 'Run diagnostics',
        hint: 'Diagnostics · the flight check',
        kind: 'action',
        run: intent('diagnostics', 'run-diagnostics'),
        when: has('diagnostics'),
      },
      {
        id: 'lock',
        label: 'Lock the vault',
        hint: 'Key protection',
        kind: 'action',
        run: () =>
          void call('vault:lock', {}).then((result) => {
            if (!result.ok) return notifications.show({ title: 'The keys were not locked', message: result.error.message, color: 'red' });
            // The header's lock and the Settings page follow at once, as after Settings' own "Lock now".
            setVault(result.value);
            showVaultToast(KEYS_LOCKED);
          }),
        when: true,
      },
    ];
    const pageCommands: Command[] = pages.map((page) => ({
      id: `page-${page.id}`,
      label: page.label,
      hint: page.description,
      kind: 'page',
      run: () => go(page.id),
    }));
    return [...pageCommands, ...actions.filter((action) => action.when)];
  }, [pages, go, abilities, call, setVault]);

  const words = query.text.trim().toLowerCase().split(/\s+/).filter(Boolean);
  const shown = commands.filter((command) => words.every((word) => `${command.label} ${command.hint}`.toLowerCase().includes(word)));
  const current = Math.min(active.edit === query.edit ? active.index : 0, Math.max(shown.length - 1, 0));

  const close = onClose;
  const choose = (command: Command | undefined) => {
    if (!command) return;
    close();
    command.run();
  };
  /** The list's own keys; true when `key` was one of them. */
  const navigate = (key: string): boolean => {
    if (key === 'ArrowDown' || key === 'ArrowUp') {
      const step = key === 'ArrowDown' ? 1 : -1;
      setActive((current + step + shown.length) % Math.max(shown.length, 1));
      return true;
    }
    if (key === 'Enter') {
      choose(shown[current]);
      return true;
    }
    return false;
  };
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (navigate(event.key)) event.preventDefault();
  };

  // The shell's early-typing listener (palette-typing.ts) hands the list's keys here and focuses the field.
  const inputRef = useRef<HTMLInputElement>(null);
  const latestNavigate = useRef(navigate);
  latestNavigate.current = navigate;
  // Arrows and Enter pressed before the palette was there, applied to the list as it opens.
  const replay = ({ steps, enter }: KeysAhead) => {
    if (steps === 0 && !enter) return;
    const count = Math.max(shown.length, 1);
    const index = (((current + steps) % count) + count) % count;
    if (enter) choose(shown[index]);
    else setActive(index);
  };
  const latestReplay = useRef(replay);
  latestReplay.current = replay;
  useEffect(() => {
    if (opened) latestReplay.current(takeKeysAhead());
  }, [opened, takeKeysAhead]);
  useImperativeHandle(
    ref,
    () => ({
      navigate: (key: string) => latestNavigate.current(key),
      focus: () => inputRef.current?.focus(),
      hasFocus: () => inputRef.current !== null && document.activeElement === inputRef.current,
    }),
    [],
  );

  return (
    <Modal
      opened={opened}
      onClose={close}
      withCloseButton={false}
      padding="sm"
      size="lg"
      yOffset="12vh"
      aria-label="Command palette"
      data-testid="command-palette"
    >
      <Stack gap="xs">
        <TextInput
          placeholder={`Go to a page or run an action (${shortcutLabel('mod+K')})`}
          leftSection={<IconSearch size={16} />}
          value={query.text}
          onChange={(event) => onTextChange(event.currentTarget.value)}
          onKeyDown={onKeyDown}
          // Focus after early typing puts the caret after what was typed, where the next key goes.
          onFocus={(event) => {
            const end = event.currentTarget.value.length;
            event.currentTarget.setSelectionRange(end, end);
          }}
          ref={inputRef}
          data-autofocus
          role="combobox"
          aria-expanded
          aria-controls="command-palette-list"
          aria-activedescendant={shown[current] ? `command-${shown[current].id}` : undefined}
          data-testid="command-palette-input"
        />
        <ScrollArea.Autosize mah="50vh">
          <div role="listbox" id="command-palette-list" aria-label="Commands">
            {shown.length === 0 && (
              <Text size="sm" c="dimmed" p="xs">
                Nothing matches “{query.text}”.
              </Text>
            )}
            {shown.map((command, index) => (
              <UnstyledButton
                key={command.id}
                id={`command-${command.id}`}
                role="option"
                aria-selected={index === current}
                tabIndex={-1}
                onMouseEnter={() => setActive(index)}
                onClick={() => choose(command)}
                w="100%"
                p="xs"
                style={{
                  borderRadius: 'var(--mantine-radius-sm)',
                  background: index === current ? 'var(--mantine-color-default-hover)' : undefined,
                }}
                data-testid="command-palette-item"
                data-command={command.id}
              >
                <Group justify="space-between" wrap="nowrap">
                  <div style={{ minWidth: 0 }}>
                    <Text size="sm" fw={500} truncate="end">
                      {command.label}
                    </Text>
                    <Text size="xs" c="dimmed" truncate="end">
                      {command.hint}
                    </Text>
                  </div>
                  <Badge variant="light" color={command.kind === 'page' ? 'gray' : 'blue'} size="sm" tt="none">
                    {command.kind === 'page' ? 'Page' : 'Action'}
                  </Badge>
                </Group>
              </UnstyledButton>
            ))}
          </div>
        </ScrollArea.Autosize>
      </Stack>
    </Modal>
  );
}
