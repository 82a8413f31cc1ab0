import { Button, Checkbox, Group, Popover, Select, Stack, Text, TextInput } from '@mantine/core';
import { IconTemplate } from '@tabler/icons-react';
import { useRef, useState } from 'react';
import type { TemplateView } from '../../../../../shared/contract/index.ts';
import { useCall } from '../../../state/use-call.ts';
import { useChannelQuery, useInvalidateChannel } from '../../../state/use-channel-query.ts';
import { useFocusWhenIdle } from '../../../state/use-focus-when-idle.ts';
import { toTemplateInput, type IssueValues } from './issue-form.ts';

interface Props {
  values: IssueValues;
  busy: boolean;
  onStart: (template: TemplateView) => void;
}

/** "Start from template" and "Save as template" above the issue form (issue 13). */
export function IssueTemplateBar({ values, busy, onStart }: Props) {
  const { data: templates } = useChannelQuery('templates:list', {});
  const [chosen, setChosen] = useState<string | null>(null);
  const list = templates ?? [];
  return (
    <Group gap="sm" align="flex-end" wrap="nowrap">
      <Select
        label="Start from template"
        placeholder={list.length ? 'Choose a saved template' : 'No template saved yet'}
        data={list.map((template) => ({ value: template.name, label: template.name }))}
        value={chosen}
        onChange={(name) => {
          setChosen(name);
          const template = list.find((candidate) => candidate.name === name);
          if (template) onStart(template);
        }}
        disabled={busy || list.length === 0}
        searchable
        style={{ flex: 1 }}
        data-testid="issue-template"
      />
      <SaveTemplate values={values} busy={busy} />
    </Group>
  );
}

function SaveTemplate({ values, busy }: { values: IssueValues; busy: boolean }) {
  const call = useCall();
  const invalidate = useInvalidateChannel();
  const [opened, setOpened] = useState(false);
  const [name, setName] = useState('');
  const [replace, setReplace] = useState(false);
  const [error, setError] = useState<{ field: string | undefined; message: string; code: string } | null>(null);
  const [saving, setSaving] = useState(false);
  const [saved, setSaved] = useState<string | null>(null);
  const formRef = useRef<HTMLFormElement>(null);
  const focusName = useFocusWhenIdle(formRef, saving);

  const save = async () => {
    setSaving(true);
    setError(null);
    const result = await call('templates:save', toTemplateInput(values, name, replace));
    setSaving(false);
    if (result.ok) {
      setSaved(result.value.name);
      setOpened(false);
      setReplace(false);
      await invalidate('templates:list');
      return;
    }
    setError({ field: result.error.field, message: result.error.message, code: result.error.code });
    if (!result.error.field || result.error.field === 'name') focusName('template-name');
  };

  return (
    <Popover opened={opened} onChange={setOpened} position="bottom-end" trapFocus withArrow width={340}>
      <Popover.Target>
        <Button
          variant="light"
          leftSection={<IconTemplate size={16} />}
          onClick={() => setOpened((open) => !open)}
          disabled={busy}
          data-testid="issue-save-template"
        >
          {saved ? `Saved "${saved}"` : 'Save as template'}
        </Button>
      </Popover.Target>
      <Popover.Dropdown>
        <form
          ref={formRef}
          onSubmit={(event) => {
            event.preventDefault();
            void save();
          }}
          noValidate
        >
          <Stack gap="xs">
            <Text size="xs" c="dimmed">
              Saves the profile, CA, key type, organization, country, names and validity. The common name is typed per certificate; write{' '}
              {'{cn}'} in a name to follow it, such as {'{cn}'}.clients.example.com.
            </Text>
            <TextInput
              label="Template name"
              value={name}
              onChange={(event) => {
                setName(event.currentTarget.value);
                setError(null);
              }}
              error={error && (!error.field || error.field === 'name') ? error.message : undefined}
              disabled={saving}
              data-autofocus
              data-testid="template-name"
            />
            {error?.code === 'TEMPLATE_NAME_TAKEN' && (
              <Checkbox
                label="Replace the template of that name"
                checked={replace}
                onChange={(event) => setReplace(event.currentTarget.checked)}
                data-testid="template-replace"
              />
            )}
            {error && error.field && error.field !== 'name' && (
              <Text size="sm" c="red" role="alert" data-testid="template-error" data-code={error.code}>
                {error.field}: {error.message}
              </Text>
            )}
            <Group justify="flex-end" gap="xs">
              <Button variant="default" size="compact-sm" onClick={() => setOpened(false)} disabled={saving}>
                Cancel
              </Button>
              <Button type="submit" size="compact-sm" loading={saving} data-testid="template-save-submit">
                Save template
              </Button>
            </Group>
          </Stack>
        </form>
      </Popover.Dropdown>
    </Popover>
  );
}
