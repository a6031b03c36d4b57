/**
 * Builds a Postman v2.1 collection from the OpenAPI document: one request per operation, sent with its request
 * example, with a test of its documented success status. What links the requests is read from the contract too:
 * - every write gets a fresh Idempotency-Key (kept in `idempotencyKey`) and its answer's X-Consistency-Token is kept
 *   in `consistencyToken`, which every read that takes one sends, so a read after a write sees it;
 * - a path parameter that some write's answer carries (reservationId, transferId, ...) is kept from that answer in
 *   a collection variable of the same name, and the paths that take it use the variable;
 * - any other required parameter takes its own example, or the field of that name in the operation's answer example.
 * Order and the few exceptions are in run-plan.mjs. Pure: no I/O.
 */

const METHODS = ["get", "post", "put", "patch", "delete"];
const SCHEMA_URL = "https://schema.getpostman.com/json/collection/v2.1.0/collection.json";
export const RUN_FOLDER = "Run in order";
export const NOT_RUN_FOLDER = "Not run";

export function buildCollection(doc, plan) {
  const resolve = (o) => {
    let target = o;
    while (target?.$ref)
      target = target.$ref
        .split("/")
        .slice(1)
        .reduce((node, key) => node[key], doc);
    return target;
  };
  const operations = listOperations(doc, resolve);
  const byId = new Map(operations.map((op) => [op.operationId, op]));
  const kept = keptFromAnswers(operations);

  const steps = [...plan.runOrder, ...unplanned(operations, plan), ...plan.runLast].map((step) =>
    typeof step === "string" ? { operationId: step } : step,
  );
  for (const id of [...steps.map((s) => s.operationId), ...Object.keys(plan.notRun)]) {
    if (!byId.has(id)) throw new Error(`run-plan.mjs names ${id}, which openapi.yaml does not have`);
  }
  const toRequest = (step) => requestFor(byId.get(step.operationId), step.name, plan.overrides[step.operationId] ?? {}, kept, doc);

  return {
    info: {
      name: `${doc.info.title} (${doc.info.version})`,
      description: [
        `Generated from openapi.yaml by deploy/postman/generate.mjs (\`npm run postman\`); do not edit by hand.`,
        `Set \`hubUrl\`, \`agentUrl\` and \`token\` (an admin token: \`npm run tokens admin\`, or \`devtoken\` in dev).`,
        `"${RUN_FOLDER}" runs green top to bottom against a fresh \`npm run dev\`: writes send a fresh Idempotency-Key,`,
        `ids and consistency tokens are taken from the answers. "${NOT_RUN_FOLDER}" holds what a run cannot exercise.`,
      ].join("\n"),
      schema: SCHEMA_URL,
    },
    auth: { type: "bearer", bearer: [{ key: "token", value: "{{token}}", type: "string" }] },
    variable: [
      { key: "hubUrl", value: doc.servers[0].url },
      { key: "agentUrl", value: doc.servers[1].url },
      { key: "token", value: "devtoken" },
      { key: "idempotencyKey", value: "" },
      { key: "consistencyToken", value: exampleOf(resolve({ $ref: "#/components/parameters/ConsistencyToken" })) ?? "" },
      ...[...kept.entries()].map(([key, value]) => ({ key, value: String(value) })),
    ],
    item: [
      { name: RUN_FOLDER, item: steps.map(toRequest) },
      {
        name: NOT_RUN_FOLDER,
        description: Object.entries(plan.notRun)
          .map(([id, why]) => `${id}: ${why}`)
          .join("\n"),
        item: Object.keys(plan.notRun).map((operationId) => toRequest({ operationId })),
      },
    ],
  };
}

function listOperations(doc, resolve) {
  const operations = [];
  for (const [path, pathItem] of Object.entries(doc.paths)) {
    for (const method of METHODS) {
      const op = pathItem[method];
      if (!op) continue;
      const parameters = [...(pathItem.parameters ?? []), ...(op.parameters ?? [])].map(resolve);
      const [status, answer] = Object.entries(op.responses).find(([code]) => code.startsWith("2"));
      const json = resolve(answer).content?.["application/json"];
      const requestJson = op.requestBody && resolve(op.requestBody).content?.["application/json"];
      operations.push({
        ...op,
        path,
        method,
        parameters,
        status: Number(status),
        answerExample: json ? exampleOf(json) : undefined,
        bodyExample: requestJson ? exampleOf(requestJson) : undefined,
        isWrite: method !== "get",
        documentOrder: operations.length,
      });
    }
  }
  return operations;
}

function exampleOf(node) {
  if (!node) return undefined;
  if (node.example !== undefined) return node.example;
  if (node.examples) return Object.values(node.examples)[0]?.value;
  return node.schema?.example;
}

/** Path parameters that some write's answer carries, with the first such answer's example value. */
function keptFromAnswers(operations) {
  const pathNames = new Set(operations.flatMap((op) => op.parameters.filter((p) => p.in === "path").map((p) => p.name)));
  const kept = new Map();
  for (const op of operations) {
    if (!op.isWrite || !isObject(op.answerExample)) continue;
    for (const [name, value] of Object.entries(op.answerExample)) {
      if (pathNames.has(name) && !kept.has(name) && typeof value !== "object") kept.set(name, value);
    }
  }
  return kept;
}

/**
 * Operations that run-plan.mjs does not name run before its last ones, in the order of a resource's life: creates
 * (POST to a path without parameters), reads, other writes, deletes.
 */
function unplanned(operations, plan) {
  const named = new Set([
    ...plan.runOrder.map((s) => (typeof s === "string" ? s : s.operationId)),
    ...plan.runLast,
    ...Object.keys(plan.notRun),
  ]);
  const stage = (op) => {
    if (op.method === "delete") return 3;
    if (op.method === "get") return 1;
    return op.method === "post" && !op.path.includes("{") ? 0 : 2;
  };
  return operations
    .filter((op) => !named.has(op.operationId))
    .sort((a, b) => stage(a) - stage(b) || a.documentOrder - b.documentOrder)
    .map((op) => op.operationId);
}

function requestFor(op, name, override, kept, doc) {
  const valueFor = (param) => {
    const given = param.in === "path" ? override.pathValues?.[param.name] : override.query?.[param.name];
    if (given !== undefined) return String(given);
    if (param.in === "path" && kept.has(param.name)) return `{{${param.name}}}`;
    const value = exampleOf(param) ?? (isObject(op.answerExample) ? op.answerExample[param.name] : undefined);
    if (value === undefined || typeof value === "object") {
      throw new Error(
        `${op.operationId}: no example for the ${param.in} parameter ${param.name}; add one to openapi.yaml or to run-plan.mjs`,
      );
    }
    return String(value);
  };
  const path = op.path.replace(/\{([^}]+)\}/g, (_, paramName) =>
    valueFor(op.parameters.find((p) => p.in === "path" && p.name === paramName)),
  );
  const query = op.parameters.filter((p) => p.in === "query" && (p.required || override.query?.[p.name] !== undefined));
  const headers = [];
  const prerequest = [];
  for (const param of op.parameters.filter((p) => p.in === "header")) {
    if (param.name === "Idempotency-Key") {
      headers.push({ key: param.name, value: "{{idempotencyKey}}" });
      prerequest.push('pm.collectionVariables.set("idempotencyKey", pm.variables.replaceIn("{{$guid}}"));');
    } else if (param.name === "X-Consistency-Token") {
      headers.push({ key: param.name, value: "{{consistencyToken}}" });
    } else if (param.required) {
      headers.push({ key: param.name, value: valueFor(param) });
    }
  }
  const body = override.bodyFields && isObject(op.bodyExample) ? { ...op.bodyExample, ...override.bodyFields } : op.bodyExample;
  if (body !== undefined) headers.push({ key: "Content-Type", value: "application/json" });

  const base = override.base ?? baseFor(op, doc);
  const queryString = query.map((p) => `${p.name}=${valueFor(p)}`).join("&");
  const tests = [`pm.test("answers ${op.status}", () => pm.response.to.have.status(${op.status}));`];
  if (op.isWrite) {
    tests.push(
      'const consistencyToken = pm.response.headers.get("X-Consistency-Token");',
      'if (consistencyToken) pm.collectionVariables.set("consistencyToken", consistencyToken);',
    );
    const carried = isObject(op.answerExample) ? Object.keys(op.answerExample).filter((key) => kept.has(key)) : [];
    if (carried.length > 0) {
      tests.push(
        "const answer = pm.response.json();",
        ...carried.map((key) => `if (answer.${key} !== undefined) pm.collectionVariables.set("${key}", answer.${key});`),
      );
    }
  }
  tests.push(...(override.tests ?? []));

  return {
    name: name ?? op.summary ?? op.operationId,
    event: [
      ...(prerequest.length > 0 ? [{ listen: "prerequest", script: { type: "text/javascript", exec: prerequest } }] : []),
      { listen: "test", script: { type: "text/javascript", exec: tests } },
    ],
    request: {
      ...(op.security?.length ? {} : { auth: { type: "noauth" } }),
      method: op.method.toUpperCase(),
      header: headers,
      ...(body !== undefined ? { body: { mode: "raw", raw: JSON.stringify(body, null, 2), options: { raw: { language: "json" } } } } : {}),
      url: {
        raw: `{{${base}}}${path}${queryString ? `?${queryString}` : ""}`,
        host: [`{{${base}}}`],
        path: path.split("/").slice(1),
        ...(query.length > 0 ? { query: query.map((p) => ({ key: p.name, value: valueFor(p) })) } : {}),
      },
      description: `\`${op.operationId}\`${op.description ? `\n\n${op.description.trim()}` : ""}`,
    },
  };
}

/** The hub for the operations only the hub serves (their `servers` name it), the store's agent for the rest. */
function baseFor(op, doc) {
  const url = op.servers?.[0]?.url;
  return url === undefined || url === doc.servers[1].url ? "agentUrl" : "hubUrl";
}

const isObject = (v) => typeof v === "object" && v !== null && !Array.isArray(v);
