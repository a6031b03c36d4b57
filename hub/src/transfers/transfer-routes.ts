import { randomUUID } from "node:crypto";
import { Hono } from "hono";
import { createTransferRequestSchema, receiveTransferRequestSchema } from "@inventory/shared";
import type { CommandExecutor } from "../command-pipeline/execute-command.js";
import { createTransfer, receiveTransferCommand } from "./transfer-commands.js";
import { commandEndpoint, singleSku, type HubRequestEnv } from "../command-pipeline/command-endpoint.js";

const RECEIVE_PATH = "/v1/transfers/:target{[A-Za-z0-9][A-Za-z0-9._-]{0,63}:receive}";

export const transferRoutes = (execute: CommandExecutor) =>
  new Hono<HubRequestEnv>()
    .post(
      "/v1/transfers",
      commandEndpoint(
        execute,
        createTransferRequestSchema,
        { action: "transfer:create", batchKey: (b) => singleSku(b.lines) },
        ({ body }) => createTransfer(body, randomUUID()),
      ),
    )
    .post(RECEIVE_PATH, (c) => {
      const transferId = c.req.param("target").slice(0, -":receive".length);
      return commandEndpoint(execute, receiveTransferRequestSchema, { action: "transfer:receive" }, () =>
        receiveTransferCommand(transferId),
      )(c);
    });
