/** What one `npm run bench:peer` does, read once from the environment (deploy/bench-peer.sh). Units in the names. */
export interface PeerBenchConfig {
  readonly runs: number;
  /** Seconds per spread-load run (closed loop at saturation, then open loop at half rate). */
  readonly durationS: number;
  readonly connections: number;
  /** Reservations sent at once in the race, one connection each, one unit each. */
  readonly buyers: number;
  readonly units: number;
  /** (location, item) pairs the spread adjustments cycle over. */
  readonly spreadItems: number;
  readonly pgUrl: string;
  readonly kafkaBrokers: string;
  readonly dataDir: string;
  readonly repoRoot: string;
  /** npm prefix holding Medusa's packages. */
  readonly peerPrefix: string;
  readonly pgBin: string;
  readonly hubPort: number;
  readonly peerPort: number;
  readonly logLevel: string;
}

const num = (name: string, fallback: number): number => {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive integer, got '${raw}'`);
  return value;
};

const required = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set; run the comparison through deploy/bench-peer.sh`);
  return value;
};

export const readPeerConfig = (): PeerBenchConfig => ({
  runs: num("BENCH_PEER_RUNS", 3),
  durationS: num("BENCH_PEER_DURATION_S", 10),
  connections: num("BENCH_PEER_CONNECTIONS", 64),
  buyers: num("BENCH_PEER_BUYERS", 200),
  units: num("BENCH_PEER_UNITS", 100),
  spreadItems: num("BENCH_PEER_ITEMS", 1_000),
  pgUrl: required("BENCH_PG_URL"),
  kafkaBrokers: required("BENCH_KAFKA_BROKERS"),
  dataDir: required("BENCH_DATA_DIR"),
  repoRoot: required("BENCH_REPO_ROOT"),
  peerPrefix: required("BENCH_PEER_PREFIX"),
  pgBin: process.env.PG_BIN ?? "/usr/lib/postgresql/15/bin",
  hubPort: num("BENCH_PEER_HUB_PORT", 22180),
  peerPort: num("BENCH_PEER_MEDUSA_PORT", 22181),
  logLevel: process.env.BENCH_LOG_LEVEL ?? "warn",
});
