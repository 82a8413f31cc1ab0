import { Code, Fieldset, MultiSelect, Select, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import type { UseFormReturnType } from '@mantine/form';
import type { ReactNode } from 'react';
import { EDGE_MAX_CAS, type AuthorityView, type TenantView } from '../../../../shared/contract/index.ts';
import { formatDate } from '../../format/validity.ts';
import { EdgeReloadField } from './EdgeReloadField.tsx';
import { DEFAULT_BUNDLE_DIR, DEFAULT_CLIENT_IP_HEADER, DEFAULT_LISTEN, TEST_IDS, withTenant, type EdgeFormValues } from './edge-form.ts';

interface Props {
  form: UseFormReturnType<EdgeFormValues>;
  issuing: AuthorityView[];
  tenants: TenantView[];
  disabled: boolean;
  /** The configured edge folder (EdgeFolderField): shown here, never typed. */
  folderField: ReactNode;
}

function Legend({ children }: { children: string }) {
  return (
    <Text component="span" size="xs" fw={700} c="dimmed" tt="uppercase" style={{ letterSpacing: '0.04em' }}>
      {children}
    </Text>
  );
}

const mono = { input: { fontFamily: 'var(--mantine-font-family-monospace)' } };

/** Every EdgeSettings field, plus where the bundle is written and what to run after; each says what it becomes in nginx. */
export function EdgeSettingsFields({ form, issuing, tenants, disabled, folderField }: Props) {
  const now = Date.now();
  const caOptions = issuing.map((authority) => {
    const expired = Date.parse(authority.notAfter) <= now;
    return { value: authority.id, label: expired ? `${authority.name} (expired ${formatDate(authority.notAfter)})` : authority.name };
  });
  const input = (field: keyof EdgeFormValues) => ({ ...form.getInputProps(field), disabled, 'data-testid': TEST_IDS[field] });

  return (
    <Stack gap="lg">
      <Fieldset legend={<Legend>What the edge trusts</Legend>} variant="unstyled">
        <MultiSelect
          label="Issuing CAs"
          description="The edge accepts client certificates that chain to one of these CAs and its root, and are on no CRL of that chain. Choose the old and the new issuing CA together during a rollover."
          placeholder={form.values.ca.length === 0 ? 'Choose an issuing CA' : undefined}
          data={caOptions}
          maxValues={EDGE_MAX_CAS}
          withAsterisk
          maw={520}
          {...input('ca')}
        />
      </Fieldset>

      <Fieldset legend={<Legend>The edge server</Legend>} variant="unstyled">
        <Select
          label="Tenant"
          description="Optional. Picking a tenant with a custom domain fills in the server name from it; you can still edit it."
          placeholder="Choose a tenant"
          data={tenants.map((tenant) => ({
            value: tenant.id,
            label: tenant.customDomain ? `${tenant.name} (${tenant.customDomain})` : `${tenant.name} (no custom domain)`,
          }))}
          clearable
          {...input('tenant')}
          value={tenants.some((tenant) => tenant.id === form.values.tenant) ? form.values.tenant : null}
          onChange={(id) =>
            form.setValues(
              withTenant(
                form.values,
                tenants.find((tenant) => tenant.id === id),
              ),
            )
          }
        />
        <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md" verticalSpacing="md">
          <TextInput
            label="Server name"
            description="The tenant's custom domain, as clients dial it (server_name)."
            placeholder="auth.example.com"
            withAsterisk
            autoComplete="off"
            spellCheck={false}
            {...input('serverName')}
          />
          <TextInput
            label="Listen"
            description={`nginx listen: a port (${DEFAULT_LISTEN}), or address:port such as 127.0.0.1:8443 for a rehearsal.`}
            placeholder={DEFAULT_LISTEN}
            withAsterisk
            spellCheck={false}
            styles={mono}
            {...input('listen')}
          />
          <TextInput
            label="Server certificate path"
            description="The edge's own TLS certificate (full chain), as a path on the edge machine (ssl_certificate)."
            placeholder="/etc/nginx/tls/auth.example.com.crt"
            withAsterisk
            spellCheck={false}
            styles={mono}
            {...input('serverCertificatePath')}
          />
          <TextInput
            label="Server key path"
            description="Its private key on the edge machine (ssl_certificate_key). Only the path goes into the config."
            placeholder="/etc/nginx/tls/auth.example.com.key"
            withAsterisk
            spellCheck={false}
            styles={mono}
            {...input('serverKeyPath')}
          />
        </SimpleGrid>
      </Fieldset>

      <Fieldset legend={<Legend>Forwarding to Auth0</Legend>} variant="unstyled">
        <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md" verticalSpacing="md">
          <TextInput
            label="Upstream origin"
            description="The custom domain's origin at Auth0 (proxy_pass), without a path."
            placeholder="https://your-tenant.edge.tenants.auth0.com"
            withAsterisk
            spellCheck={false}
            styles={mono}
            {...input('upstream')}
          />
          <TextInput
            label="Upstream Host"
            description="Optional. The Host header sent to the origin; empty sends the server name, which is what Auth0 expects."
            placeholder="same as the server name"
            spellCheck={false}
            {...input('upstreamHost')}
          />
          <TextInput
            label="cname-api-key include file"
            description={
              <>
                A file on the edge, outside the bundle folder, holding the one line{' '}
                <Code>proxy_set_header cname-api-key &quot;&lt;key&gt;&quot;;</Code> with the key Auth0 returned when the custom domain was
                verified. Only its path goes into the config: the key never enters the bundle or certdesk.
              </>
            }
            placeholder="/etc/nginx/secrets/cname-api-key.conf"
            withAsterisk
            spellCheck={false}
            styles={mono}
            {...input('cnameApiKeyInclude')}
          />
          <TextInput
            label="Client IP header"
            description={`The header the custom domain's custom_client_ip_header names; ${DEFAULT_CLIENT_IP_HEADER} when empty.`}
            placeholder={DEFAULT_CLIENT_IP_HEADER}
            spellCheck={false}
            {...input('clientIpHeader')}
          />
        </SimpleGrid>
      </Fieldset>

      <Fieldset legend={<Legend>Publishing</Legend>} variant="unstyled">
        <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md" verticalSpacing="md">
          <TextInput
            label="Bundle folder on the edge"
            description="Where the bundle's files will live on the edge machine; the config refers to them there."
            placeholder={DEFAULT_BUNDLE_DIR}
            withAsterisk
            spellCheck={false}
            styles={mono}
            {...input('bundleDir')}
          />
          <TextInput
            label="Access log on the edge"
            description="Optional: nginx writes one JSON line per request here (serial, issuer, path, status), which certdesk reads as evidence that a certificate is in use."
            placeholder="/var/log/nginx/certdesk-mtls.log"
            spellCheck={false}
            styles={mono}
            {...input('accessLog')}
          />
          {folderField}
        </SimpleGrid>
        <EdgeReloadField form={form} disabled={disabled} />
        <Text size="xs" c="dimmed" mt="xs">
          These settings are remembered on this computer. None of them is a secret.
        </Text>
      </Fieldset>
    </Stack>
  );
}
