import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { readPngHeader } from '../support/png.ts';
import { expect, startHost, test } from './web-host-fixture.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const pkg = JSON.parse(readFileSync(`${root}/package.json`, 'utf8')) as { version: string; license: string };

test('about: the header entry opens by keyboard and by click and shows the built version, licence and icon', async ({ page, dataDir }) => {
  const host = await startHost(dataDir);
  try {
    await page.goto(host.url);
    await expect(page.getByTestId('app-ready')).toBeVisible();

    // Keyboard only: Tab until the About button has focus (a bounded walk over the header's controls), then Enter.
    const about = page.getByRole('button', { name: 'About certdesk' });
    let reached = false;
    for (let i = 0; i < 30 && !reached; i++) {
      await page.keyboard.press('Tab');
      reached = await about.evaluate((el) => el.matches(':focus'));
    }
    expect(reached, 'Tab never reached the About button').toBe(true);
    await page.keyboard.press('Enter');

    const dialog = page.getByRole('dialog', { name: 'About certdesk' });
    await expect(dialog).toBeVisible();
    await expect(dialog).toHaveAttribute('data-testid', 'about-dialog');
    await expect(dialog.getByRole('heading', { name: 'certdesk', exact: true })).toBeVisible();
    await expect(dialog.getByTestId('about-version')).toHaveText(pkg.version);
    await expect(dialog.getByTestId('about-license')).toHaveText(pkg.license);
    // The icon really loaded (the CSP let it through): a decoded image has a natural size.
    const icon = dialog.getByTestId('about-icon');
    await expect
      .poll(() => icon.evaluate((el) => (el as unknown as { complete: boolean; naturalWidth: number }).naturalWidth > 0))
      .toBe(true);

    await page.keyboard.press('Escape');
    await expect(dialog).toBeHidden();
    await expect(about).toBeFocused();

    await about.click();
    await expect(dialog).toBeVisible();
    await expect(dialog.getByTestId('about-version')).toHaveText(pkg.version);
  } finally {
    await host.stop();
  }
});

test('about: the favicon links resolve from the web host as the committed images', async ({ page, dataDir }) => {
  const host = await startHost(dataDir);
  try {
    await page.goto(host.url);
    await expect(page.getByTestId('app-ready')).toBeVisible();
    const links = await page
      .locator('link[rel="icon"]')
      .evaluateAll((els) => els.map((el) => ({ href: el.getAttribute('href') ?? '', type: el.getAttribute('type') })));
    expect(links.map((l) => l.type)).toEqual(['image/svg+xml', 'image/png']);

    const [svgLink, pngLink] = links;
    // The web host answers unknown paths with index.html, so a 200 alone proves nothing: check the type and the bytes.
    const svg = await page.request.get(new URL(svgLink!.href, page.url()).href);
    expect(svg.status()).toBe(200);
    expect(svg.headers()['content-type']).toBe('image/svg+xml');
    expect(Buffer.from(await svg.body()).equals(readFileSync(`${root}/resources/icon.svg`))).toBe(true);

    const png = await page.request.get(new URL(pngLink!.href, page.url()).href);
    expect(png.status()).toBe(200);
    expect(png.headers()['content-type']).toBe('image/png');
    expect(readPngHeader(Buffer.from(await png.body()))).toMatchObject({ width: 32, height: 32 });
  } finally {
    await host.stop();
  }
});
