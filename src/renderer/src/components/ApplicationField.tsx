import { Anchor, Select, Stack, TextInput } from '@mantine/core';
import type { ReactNode } from 'react';

interface Props {
  /** Typing a client id by hand instead of choosing one. */
  typing: boolean;
  onTypingChange: (typing: boolean) => void;
  /** Whether there is anything to choose from (else only typing is offered). */
  canChoose: boolean;
  options: { value: string; label: string }[];
  choice: string | null;
  onChoice: (clientId: string | null) => void;
  typed: string;
  onTyped: (clientId: string) => void;
  error: string | undefined;
  disabled: boolean;
  /** What the list holds, e.g. "An application with an active binding on this tenant." */
  chooseDescription: string;
  typeDescription: string;
  /** Says where "Choose from … instead" goes back to, e.g. "the tenant's applications". */
  chooseFrom: string;
  nothingFound: string;
  allowDeselect?: boolean;
  /** Test ids: `<prefix>-client`, `<prefix>-client-id`, `<prefix>-client-by-hand`, `<prefix>-client-choose`. */
  testIdPrefix: string;
  /** Shown above the typed field (e.g. why the list could not be read). */
  notice?: ReactNode;
}

/** An Auth0 application: chosen from a list, or its client id typed by hand. */
export function ApplicationField(p: Props) {
  if (p.typing || !p.canChoose) {
    return (
      <Stack gap={4}>
        {p.notice}
        <TextInput
          label="Application client ID"
          description={p.typeDescription}
          value={p.typed}
          onChange={(event) => p.onTyped(event.currentTarget.value)}
          error={p.error}
          disabled={p.disabled}
          withAsterisk
          spellCheck={false}
          data-testid={`${p.testIdPrefix}-client-id`}
        />
        {p.canChoose && (
          <Anchor
            component="button"
            type="button"
            size="sm"
            onClick={() => p.onTypingChange(false)}
            disabled={p.disabled}
            w="fit-content"
            data-testid={`${p.testIdPrefix}-client-choose`}
          >
            Choose from {p.chooseFrom} instead
          </Anchor>
        )}
      </Stack>
    );
  }
  return (
    <Stack gap={4}>
      <Select
        label="Application"
        description={p.chooseDescription}
        placeholder="Search by name or client ID"
        data={p.options}
        value={p.choice}
        onChange={p.onChoice}
        searchable
        allowDeselect={p.allowDeselect ?? true}
        nothingFoundMessage={p.nothingFound}
        error={p.error}
        disabled={p.disabled}
        withAsterisk
        data-testid={`${p.testIdPrefix}-client`}
      />
      <Anchor
        component="button"
        type="button"
        size="sm"
        onClick={() => p.onTypingChange(true)}
        disabled={p.disabled}
        w="fit-content"
        data-testid={`${p.testIdPrefix}-client-by-hand`}
      >
        Type a client ID instead
      </Anchor>
    </Stack>
  );
}
