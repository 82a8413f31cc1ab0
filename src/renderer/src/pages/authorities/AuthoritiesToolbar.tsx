import { Button, Group, Tooltip } from '@mantine/core';
import { IconFileImport, IconPlus } from '@tabler/icons-react';
import type { AuthorityKind } from '../../../../shared/contract/index.ts';
import { shortcutLabel } from '../../components/shortcut.ts';

interface Props {
  hasRoot: boolean;
  onCreate: (kind: AuthorityKind) => void;
  onImport: () => void;
}

export function AuthoritiesToolbar({ hasRoot, onCreate, onImport }: Props) {
  return (
    <Group gap="sm">
      <Button variant="default" leftSection={<IconFileImport size={18} />} onClick={onImport} data-testid="import-ca">
        Import CA
      </Button>
      <Tooltip label={`New root CA (${shortcutLabel('mod+N')})`}>
        <Button leftSection={<IconPlus size={18} />} onClick={() => onCreate('root')} data-testid="new-root-ca">
          New root CA
        </Button>
      </Tooltip>
      <Tooltip
        label={hasRoot ? `New issuing CA (${shortcutLabel('mod+shift+N')})` : 'Create a root CA first: an issuing CA is signed by a root.'}
      >
        {/* A disabled button gets no pointer or focus events; the wrapper keeps its explanation reachable. */}
        <span tabIndex={hasRoot ? -1 : 0} style={{ display: 'inline-block' }}>
          <Button
            variant="light"
            leftSection={<IconPlus size={18} />}
            onClick={() => onCreate('issuing')}
            disabled={!hasRoot}
            data-testid="new-issuing-ca"
            style={hasRoot ? undefined : { pointerEvents: 'none' }}
          >
            New issuing CA
          </Button>
        </span>
      </Tooltip>
    </Group>
  );
}
