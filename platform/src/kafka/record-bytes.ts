/** A record as a client sends or receives it: keys, values and header values as bytes or text. */
export interface RecordParts {
  readonly key: Buffer | string | null;
  readonly value: Buffer | string | null;
  readonly headers?: Readonly<Record<string, unknown>>;
}

const byteLength = (part: unknown): number =>
  Buffer.isBuffer(part) ? part.length : part === null || part === undefined ? 0 : Buffer.byteLength(String(part));

/** What records weigh as a consumer receives them: keys, values and headers, names included (decompressed). */
export const recordBytes = (records: readonly RecordParts[]): number => {
  let bytes = 0;
  for (const r of records) {
    bytes += byteLength(r.key) + byteLength(r.value);
    for (const [name, value] of Object.entries(r.headers ?? {})) bytes += Buffer.byteLength(name) + byteLength(value);
  }
  return bytes;
};
