import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually } from "./harness/infra.js";
import { storeRegisteredEvent } from "./harness/events.js";
import { seedCatalog, startSystem, type TestSystem } from "./harness/system.js";
import { tokenFor } from "./harness/tokens.js";

let system: TestSystem;
const operator = { Authorization: `Bearer ${tokenFor("operator")}` };
/** Writes answer 503 once the oldest unpublished event is older than this: a stalled relay would trip it. */
const BACKLOG_AGE_LIMIT_MS = 3000;

beforeAll(async () => {
  system = await startSystem({ agents: ["S1"], hubEnv: { OUTBOX_MAX_BACKLOG_AGE_MS: String(BACKLOG_AGE_LIMIT_MS) } });
  await seedCatalog(system, ["S1"], [{ sku: "P1", perStore: { S1: 10 } }]);
});
afterAll(() => system?.close());

const outboxLetters = async () =>
  ((await system.hub.get("/v1/dlt?topic=stock.events", operator)).body.items as { messageId: string; error: string; key: string }[]).filter(
    (l) => l.messageId.startsWith("outbox-"),
  );

describe("a message Kafka always refuses", () => {
  it("is dead-lettered by the relay: writes keep flowing past the backlog limit, operators see it, and a replay tries it again", async () => {
    // Larger than the broker's message.max.bytes (1 MiB by default): Kafka answers MESSAGE_TOO_LARGE every time.
    const poison = storeRegisteredEvent("POISON", "x".repeat(1_500_000), "relay-poison");
    const { id } = (
      await system.db.query(
        "INSERT INTO outbox (event_id, topic, message_key, event) VALUES ($1, 'stock.events', 'POISON', $2) RETURNING id",
        [poison.eventId, poison],
      )
    ).rows[0];
    await system.db.query("SELECT pg_notify('inventory_outbox', '')");

    const started = Date.now();
    let version = 0;
    while (Date.now() - started < BACKLOG_AGE_LIMIT_MS * 2) {
      const res = await system.hub.post("/v1/adjustments", { storeId: "S1", sku: "P1", delta: 1, reason: "restock" });
      expect(res.status).toBe(202);
      version = res.body.version;
      await new Promise((r) => setTimeout(r, 250));
    }
    await eventually(async () => {
      const read = await system.agent("S1").get("/v1/availability?sku=P1&storeId=S1");
      expect(read.body.perStore[0].version).toBe(version);
    });

    const [letter] = await outboxLetters();
    expect(letter).toMatchObject({ messageId: `outbox-${id}`, key: "POISON" });
    expect(letter!.error).toMatch(/MESSAGE_TOO_LARGE|RECORD_LIST_TOO_LARGE/);
    const row = (await system.db.query("SELECT published_at, dead_lettered_at FROM outbox WHERE id = $1", [id])).rows[0];
    expect(row.published_at).toBeNull();
    expect(row.dead_lettered_at).not.toBeNull();
    const status = await system.hub.get("/v1/projections/status", operator);
    expect(status.body.outbox).toMatchObject({ backlog: 0, deadLettered: 1 });
    const metrics = await system.hub.get("/metrics");
    expect(String(metrics.body)).toMatch(/inventory_dead_letters_total\{[^}]*topic="[^"]*stock\.events"[^}]*\} [1-9]/);
    const ready = await system.hub.get("/ready");
    expect(ready.status).toBe(200);

    const replay = await system.hub.post(
      "/v1/dlt/replay",
      { topic: "stock.events", messageIds: [`outbox-${id}`, "outbox-999999999"] },
      { token: tokenFor("operator") },
    );
    expect(replay.status).toBe(202);
    expect(replay.body).toEqual({ replayed: [`outbox-${id}`], alreadyReplayed: [], unknown: ["outbox-999999999"] });
    // Still too large: the relay tries it again and sets it aside again, under the same id.
    await eventually(async () => {
      const again = (await system.db.query("SELECT dead_lettered_at FROM outbox WHERE id = $1", [id])).rows[0];
      expect(again.dead_lettered_at).not.toBeNull();
      expect((await outboxLetters()).map((l) => l.messageId)).toEqual([`outbox-${id}`]);
    });
    const after = await system.hub.post("/v1/adjustments", { storeId: "S1", sku: "P1", delta: -1, reason: "sale" });
    expect(after.status).toBe(202);
  });
});
