import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readPngHeader } from '../support/png.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const resources = join(root, 'resources');
const SIZES = [16, 24, 32, 48, 64, 128, 256, 512, 1024];

interface Manifest {
  source: string;
  sourceSha256: string;
  icons: { file: string; width: number; height: number; bytes: number; sha256: string }[];
  containers: { file: string; bytes: number; sha256: string }[];
}
const manifest = JSON.parse(readFileSync(join(resources, 'icons/manifest.json'), 'utf8')) as Manifest;
const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

describe('resources/ icon set', () => {
  it('was rendered from the icon.svg in the repo (a changed SVG needs `npm run icons`)', () => {
    expect(manifest.source).toBe('resources/icon.svg');
    expect(sha256(readFileSync(join(resources, 'icon.svg'))), 'resources/icon.svg changed: run `npm run icons`').toBe(
      manifest.sourceSha256,
    );
  });

  it.each(SIZES)('has a real %i px RGBA PNG matching the manifest', (size) => {
    const file = join(resources, 'icons', `${size}x${size}.png`);
    expect(existsSync(file)).toBe(true);
    const data = readFileSync(file);
    expect(readPngHeader(data)).toEqual({ width: size, height: size, bitDepth: 8, colourType: 6 });
    const entry = manifest.icons.find((i) => i.file === `${size}x${size}.png`);
    expect(entry).toEqual({ file: `${size}x${size}.png`, width: size, height: size, bytes: data.length, sha256: sha256(data) });
  });

  it('lists no icon it does not ship', () => {
    expect(manifest.icons.map((i) => i.file).sort()).toEqual(SIZES.map((s) => `${s}x${s}.png`).sort());
  });

  it('has an ICO whose directory points at PNGs of the sizes it declares', () => {
    const ico = readFileSync(join(resources, 'icon.ico'));
    expect(ico.readUInt16LE(0)).toBe(0);
    expect(ico.readUInt16LE(2)).toBe(1);
    const count = ico.readUInt16LE(4);
    const sizes: number[] = [];
    for (let i = 0; i < count; i++) {
      const entry = 6 + 16 * i;
      const declared = ico.readUInt8(entry) || 256;
      const length = ico.readUInt32LE(entry + 8);
      const offset = ico.readUInt32LE(entry + 12);
      const header = readPngHeader(ico.subarray(offset, offset + length));
      expect(header).toMatchObject({ width: declared, height: declared });
      sizes.push(declared);
    }
    expect(sizes).toEqual([16, 24, 32, 48, 64, 128, 256]);
    expect(manifest.containers.find((c) => c.file === '../icon.ico')?.sha256).toBe(sha256(ico));
  });

  it('has an ICNS whose PNG elements have the pixel sizes of their types', () => {
    const icns = readFileSync(join(resources, 'icon.icns'));
    expect(icns.toString('latin1', 0, 4)).toBe('icns');
    expect(icns.readUInt32BE(4)).toBe(icns.length);
    const pixelsOf: Record<string, number> = { ic11: 32, ic12: 64, ic07: 128, ic08: 256, ic13: 256, ic09: 512, ic14: 512, ic10: 1024 };
    const seen: string[] = [];
    for (let at = 8; at < icns.length;) {
      const type = icns.toString('latin1', at, at + 4);
      const length = icns.readUInt32BE(at + 4);
      const pixels = pixelsOf[type];
      expect(pixels, `unexpected ICNS element ${type}`).toBeDefined();
      expect(readPngHeader(icns.subarray(at + 8, at + length))).toMatchObject({ width: pixels, height: pixels });
      seen.push(type);
      at += length;
    }
    expect(seen.sort()).toEqual(Object.keys(pixelsOf).sort());
    expect(manifest.containers.find((c) => c.file === '../icon.icns')?.sha256).toBe(sha256(icns));
  });
});
