/** A record as a client receives it: its header values as bytes or text. */
export interface ReceivedRecord {
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers?: Readonly<Record<string, unknown>>;
}

/** What records weigh as received: keys, values and headers (decompressed). */
export const recordBytes = (records: readonly ReceivedRecord[]): number => {
  let bytes = 0;
  for (const r of records) {
    bytes += (r.key?.length ?? 0) + (r.value?.length ?? 0);
    for (const [name, value] of Object.entries(r.headers ?? {}))
      bytes += Buffer.byteLength(name) + (Buffer.isBuffer(value) ? value.length : Buffer.byteLength(String(value ?? "")));
  }
  return bytes;
};
