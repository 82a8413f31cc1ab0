import { Button, Group, Stack, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useRef, useState } from 'react';
import type { AuthorityUrls, AuthorityView } from '../../../../shared/contract/index.ts';
import { useAppData } from '../../state/app-data.tsx';
import { useCall } from '../../state/use-call.ts';
import { useFocusWhenIdle } from '../../state/use-focus-when-idle.ts';

const FIELDS: Array<{ field: keyof AuthorityUrls; label: string; placeholder: string; testId: string; help: string }> = [
  {
    field: 'crlUrl',
    label: 'CRL distribution point URL',
    placeholder: 'http://pki.example.com/issuing.crl',
    testId: 'ca-url-crl',
    help: 'Where relying parties fetch this CA’s CRL.',
  },
  {
    field: 'caIssuersUrl',
    label: 'CA issuers URL (AIA)',
    placeholder: 'http://pki.example.com/issuing.cer',
    testId: 'ca-url-ca-issuers',
    help: 'Where this CA’s own certificate is published.',
  },
  {
    field: 'ocspUrl',
    label: 'OCSP URL (AIA)',
    placeholder: 'Only if you run an OCSP responder',
    testId: 'ca-url-ocsp',
    help: 'Leave empty unless an OCSP responder answers for this CA.',
  },
];

/** The URLs leaves issued under this CA carry from now on; certificates already issued keep theirs. */
export function AuthorityUrlsForm({ authority }: { authority: AuthorityView }) {
  const call = useCall();
  const { refreshAuthorities } = useAppData();
  const ref = useRef<HTMLFormElement>(null);
  const [values, setValues] = useState<Record<keyof AuthorityUrls, string>>({
    crlUrl: authority.urls.crlUrl ?? '',
    caIssuersUrl: authority.urls.caIssuersUrl ?? '',
    ocspUrl: authority.urls.ocspUrl ?? '',
  });
  const [error, setError] = useState<{ field: string; message: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const focusWhenIdle = useFocusWhenIdle(ref, busy);
  const changed = FIELDS.some(({ field }) => values[field].trim() !== (authority.urls[field] ?? ''));

  const save = async () => {
    setBusy(true);
    setError(null);
    const result = await call('ca:set-urls', {
      ca: authority.id,
      crlUrl: values.crlUrl.trim() || null,
      caIssuersUrl: values.caIssuersUrl.trim() || null,
      ocspUrl: values.ocspUrl.trim() || null,
    });
    setBusy(false);
    if (!result.ok) {
      const field = FIELDS.find((f) => f.field === result.error.field);
      setError({ field: result.error.field ?? '', message: result.error.message });
      if (field) focusWhenIdle(field.testId);
      return;
    }
    notifications.show({
      color: 'teal',
      title: `Saved the URLs of ${authority.name}`,
      message: 'Certificates issued from now on carry them.',
    });
    await refreshAuthorities();
  };

  return (
    <form
      ref={ref}
      onSubmit={(event) => {
        event.preventDefault();
        void save();
      }}
      data-testid="ca-urls-form"
    >
      <Stack gap="xs">
        <Text size="sm" c="dimmed">
          Put in the certificates issued under this CA from now on (http or https); certificates already issued keep what they have.
        </Text>
        {FIELDS.map(({ field, label, placeholder, testId, help }) => (
          <TextInput
            key={field}
            label={label}
            description={help}
            placeholder={placeholder}
            value={values[field]}
            disabled={busy}
            onChange={(event) => setValues({ ...values, [field]: event.currentTarget.value })}
            error={error?.field === field ? error.message : undefined}
            data-testid={testId}
          />
        ))}
        {error && !FIELDS.some((f) => f.field === error.field) && (
          <Text size="sm" c="red" data-testid="ca-urls-error">
            {error.message}
          </Text>
        )}
        <Group>
          <Button type="submit" size="xs" loading={busy} disabled={!changed} data-testid="ca-urls-save">
            Save URLs
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
