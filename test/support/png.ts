import { crc32 } from 'node:zlib';

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export interface PngHeader {
  width: number;
  height: number;
  bitDepth: number;
  colourType: number;
}

/** Reads a PNG's IHDR (which the format puts first), checking the signature and the chunk's CRC. */
export function readPngHeader(data: Buffer): PngHeader {
  if (data.length < 33 || !data.subarray(0, 8).equals(SIGNATURE)) throw new Error('not a PNG: the 8-byte signature is missing');
  const length = data.readUInt32BE(8);
  const type = data.toString('latin1', 12, 16);
  if (type !== 'IHDR' || length !== 13) throw new Error(`not a PNG: the first chunk is ${type} (${length} bytes), not a 13-byte IHDR`);
  const crc = data.readUInt32BE(16 + length);
  if (crc32(data.subarray(12, 16 + length)) !== crc) throw new Error('not a PNG: the IHDR checksum is wrong');
  return { width: data.readUInt32BE(16), height: data.readUInt32BE(20), bitDepth: data.readUInt8(24), colourType: data.readUInt8(25) };
}
