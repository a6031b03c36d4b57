import { randomUUID } from "node:crypto";
import { Hono } from "hono";
import { cancelReservationRequestSchema, confirmReservationRequestSchema, createReservationRequestSchema } from "@inventory/shared";
import type { CommandExecutor } from "../command-pipeline/execute-command.js";
import { createReservation } from "./create-reservation.js";
import { cancelReservationCommand, confirmReservationCommand } from "./transition-reservation.js";
import { commandEndpoint, singleSku, type HubRequestEnv } from "../command-pipeline/command-endpoint.js";

/** `{id}:confirm` and `{id}:cancel` in one path segment, as the contract spells them. */
const ACTION_PATH = "/v1/reservations/:target{[A-Za-z0-9][A-Za-z0-9._-]{0,63}:(?:confirm|cancel)}";
const reservationIdOf = (target: string) => target.slice(0, target.lastIndexOf(":"));

export const reservationRoutes = (execute: CommandExecutor) =>
  new Hono<HubRequestEnv>()
    .post(
      "/v1/reservations",
      commandEndpoint(
        execute,
        createReservationRequestSchema,
        { action: "reservation:write", store: (b) => b.storeId, batchKey: (b) => singleSku(b.lines) },
        ({ body }) => createReservation(body, randomUUID()),
      ),
    )
    .post(ACTION_PATH, (c) => {
      const target = c.req.param("target");
      const id = reservationIdOf(target);
      return target.endsWith(":confirm")
        ? commandEndpoint(execute, confirmReservationRequestSchema, { action: "reservation:write" }, ({ body }) =>
            confirmReservationCommand(id, body.paymentRef ?? null),
          )(c)
        : commandEndpoint(execute, cancelReservationRequestSchema, { action: "reservation:write" }, ({ body }) =>
            cancelReservationCommand(id, body.reason ?? null),
          )(c);
    });
