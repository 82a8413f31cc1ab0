import { lazy, type ComponentType, type LazyExoticComponent } from 'react';

/**
 * A chunk, fetched again until it arrives: in web mode the host may be away for a moment (the
 * connection banner says so), and a failed import would otherwise throw out of the whole shell.
 * Chromium keeps no failed module import for its URL, so asking again refetches it
 * (test/e2e/page-chunk-retry.spec.ts proves it).
 */
export async function loadWithRetry<M>(load: () => Promise<M>): Promise<M> {
  for (let delay = 500; ; delay = Math.min(delay * 2, 5000)) {
    try {
      return await load();
    } catch {
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}

/** The styles of what loads after the first paint (src/renderer/src/mantine-styles-later.ts), fetched once. */
export const loadLaterStyles = () => import('../mantine-styles-later.ts');

/**
 * A component from a chunk of its own, fetched the first time it renders; `pick` names the export,
 * since the components export by name. It renders only once the later parts' Mantine styles are in too:
 * the dialogs, drawers, palette and toasts loaded this way are styled by that stylesheet, not the shell's.
 */
export function lazyNamed<M, P extends object>(
  load: () => Promise<M>,
  pick: (module: M) => ComponentType<P>,
): LazyExoticComponent<ComponentType<P>> {
  return lazy(async () => {
    const [module] = await Promise.all([loadWithRetry(load), loadWithRetry(loadLaterStyles)]);
    return { default: pick(module) };
  });
}
