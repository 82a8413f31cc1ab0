import { useCallback, useEffect, useRef, useState } from 'react';
import type { ProgressEvent } from '../../../shared/contract/index.ts';
import { api } from '../bridge.ts';

export interface ProgressTracker {
  /** The furthest `progress` event seen for the current operation. */
  progress: ProgressEvent | null;
  /** A fresh id to pass as `progressId`; events for older ids are ignored from now on. */
  begin: () => string;
  end: () => void;
}

/**
 * Subscribes while `listening` (a dialog is open) rather than per call, so the web host's event
 * stream is already connected when the first event of a fast operation is sent.
 */
export function useProgress(listening: boolean, newId: () => string): ProgressTracker {
  const [progress, setProgress] = useState<ProgressEvent | null>(null);
  const current = useRef<string | null>(null);

  useEffect(() => {
    if (!listening) return;
    return api.onEvent((event) => {
      if (event.type !== 'progress' || event.progressId !== current.current) return;
      // Events can overtake each other across transports; never let the bar move backwards.
      setProgress((previous) => (previous && previous.step > event.step ? previous : event));
    });
  }, [listening]);

  const begin = useCallback(() => {
    const id = newId();
    current.current = id;
    setProgress(null);
    return id;
  }, [newId]);

  const end = useCallback(() => {
    current.current = null;
    setProgress(null);
  }, []);

  return { progress, begin, end };
}
