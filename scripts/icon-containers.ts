/**
 * The Windows and macOS icon containers, built from PNGs Chromium already encoded. Both formats
 * take PNG payloads as they are (ICO since Windows Vista, ICNS since macOS 10.7), so no pixel is
 * re-encoded here: these functions only lay out headers.
 */

export interface SizedPng {
  size: number;
  png: Buffer;
}

/** ICO: a 6-byte header, one 16-byte entry per image, then the PNGs. 256 px is written as 0 by the format. */
export function encodeIco(images: SizedPng[]): Buffer {
  const header = Buffer.alloc(6);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2); // 1 = icon
  header.writeUInt16LE(images.length, 4);
  let offset = 6 + 16 * images.length;
  const entries = images.map(({ size, png }) => {
    if (size > 256) throw new Error(`An ICO image is at most 256 px; got ${size}.`);
    const entry = Buffer.alloc(16);
    entry.writeUInt8(size === 256 ? 0 : size, 0);
    entry.writeUInt8(size === 256 ? 0 : size, 1);
    entry.writeUInt8(0, 2); // no palette
    entry.writeUInt8(0, 3);
    entry.writeUInt16LE(1, 4); // colour planes
    entry.writeUInt16LE(32, 6); // bits per pixel
    entry.writeUInt32LE(png.length, 8);
    entry.writeUInt32LE(offset, 12);
    offset += png.length;
    return entry;
  });
  return Buffer.concat([header, ...entries, ...images.map((i) => i.png)]);
}

/**
 * The ICNS types that hold a PNG, by pixel size; Retina types reuse the doubled bitmap. The small
 * icp4/icp5/icp6 types are left out: some macOS releases ignore PNG in them and scale ic11/ic12 down anyway.
 */
export const ICNS_TYPES: { type: string; pixels: number }[] = [
  { type: 'ic11', pixels: 32 }, // 16 pt @2x
  { type: 'ic12', pixels: 64 }, // 32 pt @2x
  { type: 'ic07', pixels: 128 },
  { type: 'ic08', pixels: 256 },
  { type: 'ic13', pixels: 256 }, // 128 pt @2x
  { type: 'ic09', pixels: 512 },
  { type: 'ic14', pixels: 512 }, // 256 pt @2x
  { type: 'ic10', pixels: 1024 }, // 512 pt @2x
];

/** ICNS: 'icns' + total length, then per image a 4-byte type, its length (header included) and the PNG. */
export function encodeIcns(images: SizedPng[]): Buffer {
  const bySize = new Map(images.map((i) => [i.size, i.png]));
  const chunks = ICNS_TYPES.flatMap(({ type, pixels }) => {
    const png = bySize.get(pixels);
    if (!png) return [];
    const head = Buffer.alloc(8);
    head.write(type, 0, 'latin1');
    head.writeUInt32BE(png.length + 8, 4);
    return [head, png];
  });
  const body = Buffer.concat(chunks);
  const head = Buffer.alloc(8);
  head.write('icns', 0, 'latin1');
  head.writeUInt32BE(body.length + 8, 4);
  return Buffer.concat([head, body]);
}
