import { Button, Group, Tooltip } from '@mantine/core';
import { IconChecklist, IconFileImport, IconPlus } from '@tabler/icons-react';
import { shortcutLabel } from '../../components/shortcut.ts';
import { useRoleAbilities } from '../../state/role.ts';

interface Props {
  /** Why issuing is impossible (no issuing CA yet), or `null`. */
  issueBlocked: string | null;
  onIssue: () => void;
  onImport: () => void;
  onLint: () => void;
}

export function InventoryToolbar({ issueBlocked, onIssue, onImport, onLint }: Props) {
  // A publisher signs nothing itself: no issue button.
  const { caKey } = useRoleAbilities();
  return (
    <Group gap="sm">
      <Tooltip label="Add a certificate issued elsewhere, for tracking">
        <Button variant="default" leftSection={<IconFileImport size={18} />} onClick={onImport} data-testid="cert-import">
          Import
        </Button>
      </Tooltip>
      <Tooltip label="Check a certificate against the profile rules without storing it">
        <Button variant="default" leftSection={<IconChecklist size={18} />} onClick={onLint} data-testid="cert-lint-file">
          Lint a certificate
        </Button>
      </Tooltip>
      {caKey && (
        <Tooltip label={issueBlocked ?? `Issue certificate (${shortcutLabel('mod+I')})`} multiline maw={300}>
          {/* A disabled button gets no pointer or focus events; the wrapper keeps its explanation reachable. */}
          <span tabIndex={issueBlocked ? 0 : -1} style={{ display: 'inline-block' }}>
            <Button
              leftSection={<IconPlus size={18} />}
              onClick={onIssue}
              disabled={issueBlocked !== null}
              style={issueBlocked ? { pointerEvents: 'none' } : undefined}
              data-testid="issue-cert"
            >
              Issue certificate
            </Button>
          </span>
        </Tooltip>
      )}
    </Group>
  );
}
