/**
 * A value worked out once per process for some DER bytes (a decoded extension, a DN key): a CA's leaves
 * share most of theirs. Bounded: past `limit` entries the memo starts again rather than grow.
 */
export function memoByBytes<T>(limit: number, make: (der: Uint8Array) => T): (der: Uint8Array) => T {
  const memo = new Map<string, T>();
  return (der) => {
    const key = Buffer.from(der.buffer, der.byteOffset, der.byteLength).toString('latin1');
    let value = memo.get(key);
    if (value === undefined) {
      if (memo.size >= limit) memo.clear();
      memo.set(key, (value = make(der)));
    }
    return value;
  };
}
