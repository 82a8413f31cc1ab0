import { Button, CloseButton, Group, NativeSelect, NumberInput, Text, TextInput } from '@mantine/core';
import type { UseFormReturnType } from '@mantine/form';
import { IconSearch } from '@tabler/icons-react';
import type { AuthorityView } from '../../../../shared/contract/index.ts';
import { STATUS_META } from '../../format/certificate-status.ts';
import { CERTIFICATE_STATUSES } from './certificate-statuses.ts';
import { NO_FILTERS, hasFilters, type InventoryFilterValues } from './inventory-filters.ts';

interface Props {
  /** The page's filter form: every change is a new query. */
  form: UseFormReturnType<InventoryFilterValues>;
  authorities: AuthorityView[];
  /** `null` while the first page of the current query is on the way. */
  total: number | null;
  /** The typed search has not been sent yet (debounce): the total is still the previous query's. */
  pending: boolean;
  /** Whether the query `total` answers has any filter (the typed values may be ahead of it). */
  queryFiltered: boolean;
}

// The two lists are the browser's own selects: they render in a fraction of a Mantine Select's time (the
// Inventory's first paint waited on two of those), answer the keyboard as every select does (arrows step
// through the options, typing jumps to one, Alt+ArrowDown opens the list) and are named by their label.
// The empty option is "any": it clears the filter.
const STATUS_OPTIONS = [
  { value: '', label: 'Any status' },
  ...CERTIFICATE_STATUSES.map((status) => ({ value: status, label: STATUS_META[status].label })),
];
const statusOf = (value: string) => CERTIFICATE_STATUSES.find((status) => status === value) ?? null;
const countFormat = new Intl.NumberFormat();

export function InventoryFilters({ form, authorities, total, pending, queryFiltered }: Props) {
  const values = form.getValues();
  const issuerOptions = [
    { group: 'Issuing CAs', items: authorities.filter((a) => a.kind === 'issuing').map((a) => ({ value: a.id, label: a.name })) },
    { group: 'Root CAs', items: authorities.filter((a) => a.kind === 'root').map((a) => ({ value: a.id, label: a.name })) },
  ].filter((group) => group.items.length > 0);
  const filtered = hasFilters(values);

  return (
    <Group gap="sm" align="flex-end" wrap="wrap" role="search" aria-label="Filter certificates">
      <TextInput
        label="Search"
        placeholder="Common name, subject, serial or SHA-256"
        leftSection={<IconSearch size={16} aria-hidden />}
        {...form.getInputProps('search')}
        rightSection={
          values.search ? <CloseButton size="sm" aria-label="Clear search" onClick={() => form.setFieldValue('search', '')} /> : null
        }
        style={{ flex: '1 1 260px' }}
        data-testid="cert-search"
      />
      <NativeSelect
        label="Status"
        data={STATUS_OPTIONS}
        value={values.status ?? ''}
        onChange={(event) => form.setFieldValue('status', statusOf(event.currentTarget.value))}
        w={150}
        data-testid="cert-status-filter"
      />
      <NativeSelect
        label="Issuer"
        data={[{ value: '', label: 'Any issuer' }, ...issuerOptions]}
        value={values.issuer ?? ''}
        onChange={(event) => form.setFieldValue('issuer', event.currentTarget.value || null)}
        w={220}
        data-testid="cert-issuer-filter"
      />
      <NumberInput
        label="Expires within (days)"
        placeholder="Any time"
        {...form.getInputProps('expiringWithinDays')}
        min={0}
        max={36500}
        allowDecimal={false}
        allowNegative={false}
        w={170}
        data-testid="cert-expiring-filter"
      />
      <Group gap="xs" ml="auto" wrap="nowrap" mih={36}>
        {filtered && (
          <Button variant="subtle" size="compact-sm" onClick={() => form.setValues(NO_FILTERS)} data-testid="cert-clear-filters">
            Clear filters
          </Button>
        )}
        <Text
          size="sm"
          c="dimmed"
          aria-live="polite"
          data-testid="cert-total"
          data-total={pending ? undefined : (total ?? undefined)}
          style={{ whiteSpace: 'nowrap' }}
        >
          {pending
            ? 'Searching…'
            : total === null
              ? 'Counting…'
              : `${countFormat.format(total)} ${total === 1 ? 'certificate' : 'certificates'}${queryFiltered ? ' match' : ''}`}
        </Text>
      </Group>
    </Group>
  );
}
