"""Every operation in openapi.yaml has a request-body example (when it takes a body) and an example of each 2xx
answer, and every JSON example is valid against its own schema. Run by e2e/src/openapi-examples.test.ts with the
schemathesis venv's python (it brings PyYAML and jsonschema_rs). Prints one line per problem; exits 1 if any."""

import sys

import jsonschema_rs
import yaml

spec = yaml.safe_load(open(sys.argv[1]))


def openapi_to_json_schema(s):
    """OpenAPI 3.0's `nullable` as JSON Schema's null type."""
    if isinstance(s, dict):
        s = {k: openapi_to_json_schema(v) for k, v in s.items()}
        if s.pop("nullable", False):
            s = {**s, "type": [s["type"], "null"]} if "type" in s else {"anyOf": [s, {"type": "null"}]}
        return s
    if isinstance(s, list):
        return [openapi_to_json_schema(x) for x in s]
    return s


root = openapi_to_json_schema(spec)


def resolve(o):
    while isinstance(o, dict) and "$ref" in o:
        target = root
        for part in o["$ref"].split("/")[1:]:
            target = target[part]
        o = target
    return o


problems = []
checked = 0


def check(where, content):
    global checked
    for media_type, media in content.items():
        schema = resolve(media.get("schema", {}))
        if "example" not in media and "examples" not in media and "example" not in schema:
            problems.append(f"{where} ({media_type}): no example")
            continue
        if "json" not in media_type or "example" not in media:
            continue
        checked += 1
        validator = jsonschema_rs.Draft7Validator({**media.get("schema", {}), "components": root["components"]})
        for error in validator.iter_errors(media["example"]):
            problems.append(f"{where}: example does not fit its schema: {str(error).splitlines()[0]}")


operations = 0
for path, ops in root["paths"].items():
    for method, op in ops.items():
        if method not in ("get", "post", "put", "patch", "delete"):
            continue
        operations += 1
        if "requestBody" in op:
            check(f"{method.upper()} {path} request body", resolve(op["requestBody"])["content"])
        for code, response in op["responses"].items():
            if code.startswith("2"):
                check(f"{method.upper()} {path} {code}", resolve(response).get("content") or {})

for p in problems:
    print(p)
print(f"{operations} operations, {checked} JSON examples checked, {len(problems)} problems")
sys.exit(1 if problems else 0)
