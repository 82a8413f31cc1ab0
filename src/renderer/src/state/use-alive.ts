import { useEffect, useRef, type RefObject } from 'react';

/** `current` is true while the component is mounted: a late answer must not update a page that is gone. */
export function useAlive(): RefObject<boolean> {
  const alive = useRef(true);
  useEffect(() => {
    alive.current = true;
    return () => {
      alive.current = false;
    };
  }, []);
  return alive;
}
