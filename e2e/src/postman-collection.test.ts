import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { REPO_ROOT } from "./harness/infra.js";

/**
 * docs/postman.json is generated from openapi.yaml (deploy/postman); deploy/test-postman.sh runs it against a dev
 * system. These tests keep the committed file true to the contract and the generator true to any new operation.
 */
interface Request {
  name: string;
  event: { listen: string; script: { exec: string[] } }[];
  request: { method: string; header: { key: string; value: string }[]; url: { raw: string }; body?: { raw: string }; description: string };
}
interface Collection {
  item: { name: string; item: Request[] }[];
  variable: { key: string; value: string }[];
}
type Build = (doc: unknown, plan: unknown) => Collection;

const GENERATOR = `${REPO_ROOT}deploy/postman/`;
const loadBuilder = async () => {
  const builder: { buildCollection: Build } = await import(`${GENERATOR}build-collection.mjs`);
  const plan: unknown = await import(`${GENERATOR}run-plan.mjs`);
  return { build: builder.buildCollection, plan };
};
const openapi = () => parse(readFileSync(`${REPO_ROOT}openapi.yaml`, "utf8"));
const tests = (r: Request) => r.event.find((e) => e.listen === "test")!.script.exec.join("\n");
const requests = (c: Collection) => c.item.flatMap((folder) => folder.item);

describe("the API collection (docs/postman.json)", () => {
  it("is what openapi.yaml generates", async () => {
    const run = await promisify(execFile)("node", [`${GENERATOR}generate.mjs`, "--check"]).catch(
      (e: { stderr: string; code: number }) => e,
    );
    expect("code" in run ? run.stderr : "").toBe("");
  });

  it("has one request per operation, each testing the operation's documented success status", async () => {
    const doc = openapi();
    const expected = Object.entries(doc.paths as Record<string, Record<string, { operationId: string; responses: object }>>).flatMap(
      ([, item]) =>
        Object.values(item)
          .filter((op) => op.operationId)
          .map((op) => ({ id: op.operationId, status: Object.keys(op.responses).find((code) => code.startsWith("2")) })),
    );
    const collection = JSON.parse(readFileSync(`${REPO_ROOT}docs/postman.json`, "utf8")) as Collection;
    const all = requests(collection);
    expect(expected.length).toBeGreaterThan(30);
    for (const { id, status } of expected) {
      const request = all.find((r) => r.request.description.startsWith(`\`${id}\``));
      expect(request, id).toBeDefined();
      expect(tests(request!), id).toContain(`pm.response.to.have.status(${status})`);
    }
    for (const r of all.filter((r) => r.request.header.some((h) => h.key === "Idempotency-Key"))) {
      expect(r.request.header.find((h) => h.key === "Idempotency-Key")!.value).toBe("{{idempotencyKey}}");
      expect(r.event.find((e) => e.listen === "prerequest")!.script.exec.join("\n")).toContain("{{$guid}}");
    }
  });

  it("runs an operation the plan does not name, in a resource's order, with the id its create answered", async () => {
    const doc = openapi();
    const write = doc.paths["/v1/stores"].post;
    const answer = (example: object) => ({ "201": { description: "ok", content: { "application/json": { example } } } });
    doc.paths["/v1/widgets"] = {
      post: { ...write, operationId: "createWidget", summary: "Create a widget", responses: answer({ widgetId: "w-example", size: 3 }) },
      get: { operationId: "listWidgets", summary: "List widgets", responses: { "200": { description: "ok" } } },
    };
    doc.paths["/v1/widgets/{widgetId}"] = {
      delete: {
        ...write,
        operationId: "deleteWidget",
        summary: "Delete a widget",
        requestBody: undefined,
        parameters: [...write.parameters, { name: "widgetId", in: "path", required: true, schema: { type: "string" } }],
        responses: { "204": { description: "gone" } },
      },
    };
    const { build, plan } = await loadBuilder();
    const run = build(doc, plan).item[0]!.item;
    const names = run.map((r) => r.name);
    const at = (name: string) => names.indexOf(name);
    expect(at("Create a widget")).toBeGreaterThan(at("One of the console's built files (hub only)"));
    expect(at("List widgets")).toBeGreaterThan(at("Create a widget"));
    expect(at("Delete a widget")).toBeGreaterThan(at("List widgets"));
    expect(at("An agent reports its replica's status to the hub")).toBeGreaterThan(at("Delete a widget"));
    const create = run[at("Create a widget")]!;
    const remove = run[at("Delete a widget")]!;
    expect(tests(create)).toContain('pm.collectionVariables.set("widgetId", answer.widgetId)');
    expect(remove.request.url.raw).toBe("{{agentUrl}}/v1/widgets/{{widgetId}}");
    expect(tests(remove)).toContain("pm.response.to.have.status(204)");
    expect(JSON.parse(create.request.body!.raw)).toEqual(write.requestBody.content["application/json"].example);
  });
});
