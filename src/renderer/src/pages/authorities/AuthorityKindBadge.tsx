import { Badge } from '@mantine/core';
import type { AuthorityKind } from '../../../../shared/contract/index.ts';

export function AuthorityKindBadge({ kind }: { kind: AuthorityKind }) {
  return (
    <Badge size="sm" variant="light" style={{ flexShrink: 0 }} color={kind === 'root' ? 'grape' : 'blue'}>
      {kind === 'root' ? 'Root' : 'Issuing'}
    </Badge>
  );
}
