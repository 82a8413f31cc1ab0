import { useEffect, useRef } from 'react';
import type { RotationEvent } from '../../../../shared/contract/index.ts';
import { api } from '../../bridge.ts';

/**
 * Hears `rotation` events while the component is mounted (not per run), so the web host's event
 * stream is connected before a fast job's first step.
 */
export function useRotationEvents(listener: (event: RotationEvent) => void): void {
  const latest = useRef(listener);
  useEffect(() => {
    latest.current = listener;
  });
  useEffect(
    () =>
      api.onEvent((event) => {
        if (event.type === 'rotation') latest.current(event);
      }),
    [],
  );
}
