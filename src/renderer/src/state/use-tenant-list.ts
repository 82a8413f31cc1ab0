import { useCallback, useEffect, useState, type Dispatch, type SetStateAction } from 'react';
import type { Failure, TenantView } from '../../../shared/contract/index.ts';
import { useCall } from './use-call.ts';

export interface TenantList {
  /** null until the first answer. */
  tenants: TenantView[] | null;
  failure: Failure | null;
  reload: () => void;
  setTenants: Dispatch<SetStateAction<TenantView[] | null>>;
}

/** The tenant profiles, read with `tenants:list`; `reload` reads them again. */
export function useTenantList(): TenantList {
  const call = useCall();
  const [tenants, setTenants] = useState<TenantView[] | null>(null);
  const [failure, setFailure] = useState<Failure | null>(null);
  const [version, setVersion] = useState(0);

  useEffect(() => {
    let current = true;
    void call('tenants:list', {}).then((result) => {
      if (!current) return;
      if (result.ok) setTenants(result.value);
      setFailure(result.ok ? null : result.error);
    });
    return () => {
      current = false;
    };
  }, [call, version]);

  const reload = useCallback(() => setVersion((value) => value + 1), []);
  return { tenants, failure, reload, setTenants };
}
