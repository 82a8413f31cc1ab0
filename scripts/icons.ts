/**
 * `npm run icons`: renders resources/icon.svg with Debian's Chromium into resources/icons/NxN.png,
 * packs icon.ico and icon.icns from those PNGs, and writes resources/icons/manifest.json with the
 * SVG's SHA-256 so a unit test notices an SVG that changed without the PNGs being regenerated.
 * Runs offline: the page is built from a data URL and every network request is refused.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';
import { CHROMIUM_ARGS, chromiumPath } from './chromium.ts';
import { encodeIcns, encodeIco, ICNS_TYPES } from './icon-containers.ts';

export const ICON_SIZES = [16, 24, 32, 48, 64, 128, 256, 512, 1024] as const;
const ICO_SIZES = [16, 24, 32, 48, 64, 128, 256];

const root = fileURLToPath(new URL('..', import.meta.url));
const resources = join(root, 'resources');
const outDir = join(resources, 'icons');

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

function requireChromium(): string {
  const found = chromiumPath();
  if (!found) {
    console.error("npm run icons needs Debian's Chromium: install it with `sudo apt-get install chromium`.");
    process.exit(2);
  }
  return found;
}

const svg = readFileSync(join(resources, 'icon.svg'));
const browser = await chromium.launch({ executablePath: requireChromium(), headless: true, args: CHROMIUM_ARGS });
try {
  mkdirSync(outDir, { recursive: true });
  const rendered: { size: number; png: Buffer }[] = [];
  for (const size of ICON_SIZES) {
    const page = await browser.newPage({ viewport: { width: size, height: size }, deviceScaleFactor: 1 });
    await page.route('**/*', (route) => route.abort());
    const src = `data:image/svg+xml;base64,${svg.toString('base64')}`;
    await page.setContent(
      `<!doctype html><html><body style="margin:0;background:transparent"><img id="icon" src="${src}" width="${size}" height="${size}" style="display:block"></body></html>`,
    );
    // A string, not a function: the Node-side typecheck has no DOM types.
    await page.waitForFunction('document.images[0].complete && document.images[0].naturalWidth > 0');
    const png = await page.locator('#icon').screenshot({ omitBackground: true, type: 'png' });
    await page.close();
    writeFileSync(join(outDir, `${size}x${size}.png`), png);
    rendered.push({ size, png });
  }

  const ico = encodeIco(rendered.filter((r) => ICO_SIZES.includes(r.size)));
  const icns = encodeIcns(rendered);
  writeFileSync(join(resources, 'icon.ico'), ico);
  writeFileSync(join(resources, 'icon.icns'), icns);

  const manifest = {
    source: 'resources/icon.svg',
    sourceSha256: sha256(svg),
    renderer: `Chromium ${browser.version()}`,
    icons: rendered.map(({ size, png }) => ({
      file: `${size}x${size}.png`,
      width: size,
      height: size,
      bytes: png.length,
      sha256: sha256(png),
    })),
    containers: [
      { file: '../icon.ico', bytes: ico.length, sha256: sha256(ico), sizes: ICO_SIZES },
      { file: '../icon.icns', bytes: icns.length, sha256: sha256(icns), types: ICNS_TYPES.map((t) => `${t.type}:${t.pixels}`) },
    ],
  };
  writeFileSync(join(outDir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  console.log(`icons: ${rendered.length} PNGs, icon.ico and icon.icns from resources/icon.svg (${manifest.sourceSha256.slice(0, 12)}…)`);
} finally {
  await browser.close();
}
