import type { Page } from '@playwright/test';

export interface HeldRoute {
  /** Lets every held request (and every later one) go on to the host. */
  release: () => void;
  /** Whether the page has asked for the route yet. */
  asked: () => boolean;
  /** How many requests the page has made to it. */
  calls: () => number;
}

/**
 * Holds the page's requests to `url` (a chunk, an RPC channel) until the test calls `release`: what the page
 * does while it waits for them is then observable, not a race.
 */
export async function holdRoute(page: Page, url: Parameters<Page['route']>[0]): Promise<HeldRoute> {
  let release = () => {};
  const released = new Promise<void>((resolve) => (release = resolve));
  let calls = 0;
  await page.route(url, async (route) => {
    calls += 1;
    await released;
    await route.continue();
  });
  return { release, asked: () => calls > 0, calls: () => calls };
}
