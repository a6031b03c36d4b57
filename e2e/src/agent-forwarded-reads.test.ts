import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually } from "./harness/infra.js";
import { seedCatalog, startSystem, type TestSystem } from "./harness/system.js";

let system: TestSystem;
let reservationId: string;
let transferId: string;

beforeAll(async () => {
  system = await startSystem();
  await seedCatalog(system, ["S1", "S2"], [{ sku: "R1", perStore: { S2: 20 } }]);
  // An agent whose feed never reaches Kafka: its replica holds nothing, as one far behind or holding only its store would.
  await system.startAgent("S1", { waitForReady: false, env: { KAFKA_BROKERS: "127.0.0.1:1" } });
  await eventually(async () => expect((await system.agent("S1").get("/health")).status).toBe(200));
  const hold = await system.hub.post("/v1/reservations", { storeId: "S2", lines: [{ sku: "R1", qty: 2 }] });
  expect(hold.status).toBe(202);
  reservationId = hold.body.reservationId;
  const move = await system.hub.post("/v1/transfers", { fromStore: "S2", toStore: "S1", lines: [{ sku: "R1", qty: 1 }] });
  expect(move.status).toBe(202);
  transferId = move.body.transferId;
  await eventually(async () => {
    expect((await system.hub.get(`/v1/reservations/${reservationId}`)).status).toBe(200);
    expect((await system.hub.get(`/v1/transfers/${transferId}`)).body.status).toBe("COMPLETED");
  }, 30_000);
});
afterAll(() => system?.close());

describe("reads an agent's replica cannot answer", () => {
  it("given a reservation and a transfer the agent does not hold, when asked at the agent, then it answers the hub's record instead of a 404", async () => {
    for (const path of [`/v1/reservations/${reservationId}`, `/v1/transfers/${transferId}`]) {
      const [atAgent, atHub] = await Promise.all([system.agent("S1").get(path), system.hub.get(path)]);
      expect(atAgent.status).toBe(200);
      expect(atAgent.body).toEqual(atHub.body);
      expect(atAgent.headers.get("etag")).toBe(atHub.headers.get("etag"));
      expect(Number(atAgent.headers.get("x-projection-lag-ms"))).toBe(0);
    }
    // The agent's own replica is empty: its lag keeps growing on reads it answers itself.
    expect((await system.agent("S1").get("/v1/stores")).body.items).toEqual([]);
  });

  it("given an id the hub does not know either, then the answer is 404", async () => {
    const res = await system.agent("S1").get("/v1/reservations/no-such-reservation");
    expect(res.status).toBe(404);
    expect(res.body.code).toBe("NOT_FOUND");
  });

  it("given records in PostgreSQL the hub's replica never received (as after a rebuild past the topics' retention), then the hub answers them from PostgreSQL", async () => {
    // Copies under new ids written straight to the tables: no event for them is on Kafka.
    const oldReservation = `${reservationId}-archived`;
    const oldTransfer = `${transferId}-archived`;
    await system.db.query(
      "INSERT INTO reservations SELECT (jsonb_populate_record(NULL::reservations, to_jsonb(r) || jsonb_build_object('reservation_id', $2::text))).* FROM reservations r WHERE reservation_id = $1",
      [reservationId, oldReservation],
    );
    await system.db.query(
      "INSERT INTO transfers SELECT (jsonb_populate_record(NULL::transfers, to_jsonb(t) || jsonb_build_object('transfer_id', $2::text))).* FROM transfers t WHERE transfer_id = $1",
      [transferId, oldTransfer],
    );
    for (const [path, original] of [
      [`/v1/reservations/${oldReservation}`, `/v1/reservations/${reservationId}`],
      [`/v1/transfers/${oldTransfer}`, `/v1/transfers/${transferId}`],
    ] as const) {
      const [copy, known] = await Promise.all([system.hub.get(path), system.hub.get(original)]);
      expect(`${path} ${copy.status} ${JSON.stringify(copy.body)}`).toBe(`${path} 200 ${JSON.stringify(copy.body)}`);
      const { reservationId: _r, transferId: _t, ...copyRest } = copy.body;
      const { reservationId: _r2, transferId: _t2, ...knownRest } = known.body;
      expect(copyRest).toEqual(knownRest);
      expect(copy.headers.get("x-projection-lag-ms")).toBe("0");
      const again = await system.hub.get(path, { "If-None-Match": copy.headers.get("etag")! });
      expect(again.status).toBe(304);
      // The agent's forward reaches the same answer.
      expect((await system.agent("S1").get(path)).body).toEqual(copy.body);
    }
    expect((await system.hub.get("/v1/transfers/no-such-transfer")).status).toBe(404);
  });

  it("given the hub down, then the agent gives its own answer at once", async () => {
    await system.stopHub();
    const started = Date.now();
    const res = await system.agent("S1").get(`/v1/reservations/${reservationId}`);
    expect(res.status).toBe(404);
    expect(Date.now() - started).toBeLessThan(2500);
  });
});
