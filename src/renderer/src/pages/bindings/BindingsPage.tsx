import { IconLink } from '@tabler/icons-react';
import { TenantScopedPage } from '../../components/TenantScopedPage.tsx';
import { TenantWorkspace } from './TenantWorkspace.tsx';

/** Certificates bound to Auth0 applications, per tenant: bind, plan, apply, and the outbox of what waits. */
export function BindingsPage({ onOpenTenants }: { onOpenTenants: () => void }) {
  return (
    <TenantScopedPage
      title="Bindings"
      description="Client certificates bound to Auth0 applications: record what should be live, review the plan, then apply it to the tenant."
      testIdPrefix="bindings"
      empty={{
        icon: <IconLink size={32} />,
        title: 'No tenant to bind on',
        text: 'A binding puts a client certificate on an application of an Auth0 tenant. Add the tenant’s profile on the Tenants page first, or start the local sandbox tenant below to rehearse without one.',
      }}
      onOpenTenants={onOpenTenants}
    >
      {({ tenant, onBusyChange }) => <TenantWorkspace key={tenant.id} tenant={tenant} onBusyChange={onBusyChange} />}
    </TenantScopedPage>
  );
}
