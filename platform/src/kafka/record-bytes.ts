import type { KafkaMessage } from "kafkajs";

/** What a batch's records weigh as received: keys, values and headers (decompressed). */
export const recordBytes = (messages: readonly KafkaMessage[]): number => {
  let bytes = 0;
  for (const m of messages) {
    bytes += (m.key?.length ?? 0) + (m.value?.length ?? 0);
    for (const [name, value] of Object.entries(m.headers ?? {}))
      bytes += Buffer.byteLength(name) + (Buffer.isBuffer(value) ? value.length : Buffer.byteLength(String(value ?? "")));
  }
  return bytes;
};
