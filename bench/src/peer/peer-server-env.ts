/** The peer wrapper's settings, read once from its environment (bench/src/peer/main.ts sets them). */
export interface PeerServerEnv {
  /** The npm prefix holding Medusa's packages (.data/peer). */
  readonly prefix: string;
  readonly databaseUrl: string;
  readonly host: string;
  readonly port: number;
  /** PostgreSQL connections in the module's pool: the hub's DB_POOL_SIZE default, for a like-for-like pool. */
  readonly poolMax: number;
  /** Run the module migrations before loading (the first of several peer processes on one database). */
  readonly migrate: boolean;
  readonly requestTimeoutMs: number;
}

const need = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set; the peer wrapper is started by bench/src/peer/main.ts`);
  return value;
};

const int = (name: string, fallback: number): number => {
  const raw = process.env[name];
  const value = raw === undefined || raw === "" ? fallback : Number(raw);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive integer, got '${raw}'`);
  return value;
};

export const peerServerEnv = (): PeerServerEnv => ({
  prefix: need("PEER_PREFIX"),
  databaseUrl: need("DATABASE_URL"),
  host: process.env.HOST ?? "127.0.0.1",
  port: int("PORT", 28180),
  poolMax: int("PEER_POOL_MAX", 20),
  migrate: process.env.PEER_MIGRATE !== "false",
  requestTimeoutMs: int("PEER_REQUEST_TIMEOUT_MS", 30_000),
});
