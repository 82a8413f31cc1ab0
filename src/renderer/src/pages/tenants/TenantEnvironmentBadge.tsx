import { Badge } from '@mantine/core';
import type { TenantEnvironment } from '../../../../shared/contract/index.ts';
import { ENVIRONMENT_COLOR, ENVIRONMENT_LABEL } from './tenant-environment.ts';

export function TenantEnvironmentBadge({ environment }: { environment: TenantEnvironment }) {
  return (
    <Badge
      color={ENVIRONMENT_COLOR[environment]}
      variant={environment === 'production' ? 'filled' : 'light'}
      data-testid="tenant-env-badge"
      data-env={environment}
    >
      {ENVIRONMENT_LABEL[environment]}
    </Badge>
  );
}
