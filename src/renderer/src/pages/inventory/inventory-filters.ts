import type { CertificateQuery, CertificateStatus } from '../../../../shared/contract/index.ts';

export interface InventoryFilterValues {
  search: string;
  status: CertificateStatus | null;
  /** Authority id. */
  issuer: string | null;
  /** NumberInput reports `''` while empty: no expiry filter. */
  expiringWithinDays: number | string;
}

export const NO_FILTERS: InventoryFilterValues = { search: '', status: null, issuer: null, expiringWithinDays: '' };

export function hasFilters(values: InventoryFilterValues): boolean {
  return values.search.trim() !== '' || values.status !== null || values.issuer !== null || values.expiringWithinDays !== '';
}

/** The query without offset/limit; `search` is the debounced text, not what is being typed. */
export function toCertificateQuery(values: InventoryFilterValues, search: string): CertificateQuery {
  const text = search.trim();
  const days = values.expiringWithinDays;
  return {
    ...(text ? { search: text } : {}),
    ...(values.status ? { status: values.status } : {}),
    ...(values.issuer ? { issuer: values.issuer } : {}),
    ...(typeof days === 'number' && Number.isInteger(days) && days >= 0 ? { expiringWithinDays: days } : {}),
  };
}

/** Rows per page the Inventory table reads. */
export const INVENTORY_PAGE_SIZE = 200;

/** What a visit to the Inventory asks first: no filters (asked ahead by the navigation, see registry.tsx). */
export const FIRST_INVENTORY_QUERY: CertificateQuery = toCertificateQuery(NO_FILTERS, '');
