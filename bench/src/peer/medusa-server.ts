/**
 * The peer behind a minimal HTTP wrapper: Medusa v2's inventory module (and its Locking module, which its
 * cart completion uses) loaded standalone with `MedusaApp`, as Medusa loads a module outside a Medusa
 * server, on the PostgreSQL database in DATABASE_URL, its migrations run first. A separate process, so the
 * peer, like the hub, answers HTTP over its own event loop, and the same load generator drives both.
 *
 * Medusa's packages live under PEER_PREFIX (deploy/bench-peer.sh installs them there on first use), outside
 * the project's install, so they are loaded with a require rooted there.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { createRequire } from "node:module";
import { peerServerEnv } from "./peer-server-env.js";
import { parseAdjustment, parseReservation, parseSetup, type BadInput } from "./peer-requests.js";

const env = peerServerEnv();
const peerRequire = createRequire(`${env.prefix}/package.json`);
const { MedusaApp, MedusaAppMigrateUp } = peerRequire("@medusajs/framework/modules-sdk");
const { Modules, MedusaError } = peerRequire("@medusajs/framework/utils");
const { logger } = peerRequire("@medusajs/framework/logger");

const options = {
  modulesConfig: {
    [Modules.INVENTORY]: { resolve: "@medusajs/inventory", options: {} },
    // The in-memory provider, Medusa's default: its lock holds within this one process.
    [Modules.LOCKING]: { resolve: "@medusajs/locking", options: {} },
  },
  sharedResourcesConfig: { database: { clientUrl: env.databaseUrl, pool: { max: env.poolMax } } },
  injectedDependencies: { logger },
  cwd: env.prefix,
};

if (env.migrate) await MedusaAppMigrateUp(options);
const app = await MedusaApp(options);
const inventory = app.modules[Modules.INVENTORY] as any;
const locking = app.modules[Modules.LOCKING] as any;

const send = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
};

const readJson = async (req: IncomingMessage): Promise<unknown> => {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > 10_000_000) throw { status: 413, code: "TOO_LARGE" } satisfies BadInput;
    chunks.push(chunk as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString("utf8"));
  } catch {
    throw { status: 400, code: "BAD_JSON" } satisfies BadInput;
  }
};

/**
 * A reservation as Medusa's cart completion makes one: `confirmInventory` (an unlocked availability read),
 * then `createReservationItems` (which checks the level's available quantity again and adds to its reserved
 * quantity), inside `locking.execute` on the inventory item when `lock` is set, as reserveInventoryStep does.
 */
const reserve = async (body: unknown) => {
  const r = parseReservation(body);
  if (!(await inventory.confirmInventory(r.inventoryItemId, [r.locationId], r.quantity)))
    return { status: 409, body: { code: "INSUFFICIENT_INVENTORY" } };
  const create = () =>
    inventory.createReservationItems({
      inventory_item_id: r.inventoryItemId,
      location_id: r.locationId,
      quantity: r.quantity,
      line_item_id: r.lineItemId,
    });
  const created = r.lock ? await locking.execute(r.inventoryItemId, create) : await create();
  return { status: 201, body: { id: created.id } };
};

/** A relative change of a level's stocked quantity, as Medusa's adjustInventoryLevelsStep makes it (no lock). */
const adjust = async (body: unknown) => {
  const a = parseAdjustment(body);
  const level = await inventory.adjustInventory(a.inventoryItemId, a.locationId, a.adjustment);
  return { status: 200, body: { stockedQuantity: Number(level.stocked_quantity) } };
};

/** Creates inventory items with their levels in one call each: the seed, not measured. */
const setup = async (body: unknown) => {
  const s = parseSetup(body);
  const items = await inventory.createInventoryItems(s.items.map((i) => ({ sku: i.sku })));
  const bySku = new Map<string, string>(items.map((i: any) => [i.sku, i.id]));
  await inventory.createInventoryLevels(
    s.items.flatMap((i) =>
      i.levels.map((l) => ({ inventory_item_id: bySku.get(i.sku), location_id: l.locationId, stocked_quantity: l.stockedQuantity })),
    ),
  );
  return { status: 201, body: { items: s.items.map((i) => ({ sku: i.sku, id: bySku.get(i.sku) })) } };
};

const routes: Record<string, (body: unknown) => Promise<{ status: number; body: unknown }>> = {
  "POST /reservations": reserve,
  "POST /adjustments": adjust,
  "POST /setup": setup,
};

const server = createServer(async (req, res) => {
  const key = `${req.method} ${req.url}`;
  if (req.method === "GET" && (req.url === "/health" || req.url === "/ready")) return send(res, 200, { status: "ok" });
  const route = routes[key];
  if (!route) return send(res, 404, { code: "NOT_FOUND" });
  try {
    const answer = await route(await readJson(req));
    send(res, answer.status, answer.body);
  } catch (err: any) {
    if (typeof err?.status === "number" && typeof err?.code === "string")
      return send(res, err.status, { code: err.code, message: err.message });
    // The Locking module gives up after 5 s (its default, which reserveInventoryStep keeps): nothing was reserved.
    if (err?.message === "Timed-out acquiring lock.") return send(res, 503, { code: "LOCK_TIMEOUT", message: err.message });
    if (err?.type === MedusaError.Types.NOT_ALLOWED) return send(res, 409, { code: "NOT_ALLOWED", message: err.message });
    if (err?.type === MedusaError.Types.NOT_FOUND) return send(res, 404, { code: "NOT_FOUND", message: err.message });
    if (err?.type === MedusaError.Types.DUPLICATE_ERROR) return send(res, 409, { code: "DUPLICATE", message: err.message });
    if (err?.type === MedusaError.Types.INVALID_DATA) return send(res, 400, { code: "INVALID_DATA", message: err.message });
    console.error(JSON.stringify({ level: "error", route: key, message: err?.message, stack: err?.stack }));
    send(res, 500, { code: "INTERNAL", message: String(err?.message ?? err) });
  }
});
server.requestTimeout = env.requestTimeoutMs;
server.keepAliveTimeout = 65_000;
server.listen(env.port, env.host, () =>
  console.error(JSON.stringify({ level: "info", message: `Medusa inventory peer on ${env.host}:${env.port}` })),
);

const stop = () => {
  server.close();
  server.closeAllConnections();
  void app.onApplicationShutdown().finally(() => process.exit(0));
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
