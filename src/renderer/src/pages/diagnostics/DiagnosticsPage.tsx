import { IconStethoscope } from '@tabler/icons-react';
import { TenantScopedPage } from '../../components/TenantScopedPage.tsx';
import { DiagnosticsWorkspace } from './DiagnosticsWorkspace.tsx';

interface Props {
  onOpenTenants: () => void;
  onOpenBindings: () => void;
}

/**
 * The token flight check (RFC 8705) against a tenant through its edge: the seed's step 5, automated
 * and explained. The tenant choice is shared with the Bindings page: bind, apply, then check.
 */
export function DiagnosticsPage({ onOpenTenants, onOpenBindings }: Props) {
  return (
    <TenantScopedPage
      title="Diagnostics"
      description="Does a bound certificate really get a certificate-bound token through the edge, and does the edge refuse everything else? Each stage shows its evidence, and on failure the cause, the fix and the command to check by hand."
      testIdPrefix="diagnostics"
      empty={{
        icon: <IconStethoscope size={32} />,
        title: 'No tenant to check',
        text: 'The flight check requests tokens from an Auth0 tenant through its mTLS edge. Add the tenant’s profile on the Tenants page first, or start the local sandbox tenant below to rehearse without one.',
      }}
      onOpenTenants={onOpenTenants}
    >
      {({ tenant, onBusyChange, onTenantSaved, tenants, chooseTenant }) => (
        <DiagnosticsWorkspace
          key={tenant.id}
          tenant={tenant}
          tenants={tenants}
          chooseTenant={chooseTenant}
          onTenantSaved={onTenantSaved}
          onBusyChange={onBusyChange}
          onOpenBindings={onOpenBindings}
        />
      )}
    </TenantScopedPage>
  );
}
