#!/usr/bin/env bash
# End-to-end smoke test against a running system (hub or edge agent).
#   BASE_URL=http://localhost:8080 TOKEN=<admin token> SKU=A1 STORE=S1 ./smoke-tests.sh
# Without TOKEN it signs a development admin token (npm run tokens), which a hub using the development
# secret accepts. It leaves the stock as it found it: every change it makes is undone by the next one.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

BASE_URL=${BASE_URL:-http://localhost:8080}
if [ -z "${TOKEN:-}" ]; then
  if [ -f hub/dist/print-dev-tokens.js ]; then TOKEN=$(node hub/dist/print-dev-tokens.js admin); else TOKEN=devtoken; fi
fi
SKU=${SKU:-A1}
STORE=${STORE:-S1}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0
failed=0

uuid() { node -e 'console.log(require("node:crypto").randomUUID())'; }
# json FILE EXPR: evaluates EXPR against the parsed JSON in FILE (bound to `b`).
json() { node -e 'let b = null; try { b = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")); } catch {} let v; try { v = eval(process.argv[2]); } catch { v = ""; } console.log(v === undefined || v === null ? "" : typeof v === "object" ? JSON.stringify(v) : v)' "$1" "$2"; }
header() { { grep -i "^$2:" "$1" || true; } | head -1 | cut -d' ' -f2- | tr -d '\r'; }

# call NAME METHOD PATH [BODY] [extra curl args...]: response in $tmp/NAME.{body,headers}, status in $status
call() {
  local name=$1 method=$2 path=$3 body=${4:-}
  shift 4 || shift $#
  local args=(-sS --max-time 10 -X "$method" -o "$tmp/$name.body" -D "$tmp/$name.headers" -w '%{http_code}')
  if [ -n "$body" ]; then
    args+=(-H 'Content-Type: application/json' -H "Authorization: Bearer $TOKEN" --data "$body")
  fi
  status=$(curl "${args[@]}" "$@" "$BASE_URL$path")
}

check() {
  local what=$1 expected=$2
  if [ "$status" = "$expected" ]; then
    passed=$((passed + 1)); echo "ok    $what ($status)"
  else
    failed=$((failed + 1)); echo "FAIL  $what: expected $expected, got $status: $(cat "$tmp/$name.body" 2>/dev/null)"
  fi
}
assert() {
  local what=$1 ok=$2
  if [ "$ok" = "true" ]; then passed=$((passed + 1)); echo "ok    $what"; else failed=$((failed + 1)); echo "FAIL  $what"; fi
}

name=health; call health GET /health; check "GET /health" 200
name=ready; call ready GET /ready; check "GET /ready" 200

name=avail; call avail GET "/v1/availability?sku=$SKU&storeId=$STORE"; check "GET /v1/availability?sku=$SKU&storeId=$STORE" 200
lag=$(header "$tmp/avail.headers" X-Projection-Lag-ms)
assert "X-Projection-Lag-ms is an integer ($lag)" "$([[ "$lag" =~ ^[0-9]+$ ]] && echo true || echo false)"
etag=$(header "$tmp/avail.headers" ETag)
name=notmod; call notmod GET "/v1/availability?sku=$SKU&storeId=$STORE" "" -H "If-None-Match: $etag"; check "If-None-Match with the current ETag" 304

key=$(uuid)
restock="{\"storeId\":\"$STORE\",\"sku\":\"$SKU\",\"delta\":1,\"reason\":\"restock\"}"
name=restock; call restock POST /v1/adjustments "$restock" -H "Idempotency-Key: $key"; check "POST /v1/adjustments +1 restock" 202
version=$(json "$tmp/restock.body" b.version)
onhand=$(json "$tmp/restock.body" b.onHand)
name=replay; call replay POST /v1/adjustments "$restock" -H "Idempotency-Key: $key"; check "retry with the same Idempotency-Key" 202
assert "the retry is a replay of the first answer" "$([ "$(header "$tmp/replay.headers" Idempotent-Replayed)" = true ] && [ "$(json "$tmp/replay.body" b.version)" = "$version" ] && echo true || echo false)"
name=reused; call reused POST /v1/adjustments "{\"storeId\":\"$STORE\",\"sku\":\"$SKU\",\"delta\":2,\"reason\":\"restock\"}" -H "Idempotency-Key: $key"; check "same key, different request" 422
name=nokey; call nokey POST /v1/adjustments "$restock"; check "write without Idempotency-Key" 400
name=badjson; call badjson POST /v1/adjustments '{"storeId":' -H "Idempotency-Key: $(uuid)"; check "malformed JSON" 400

name=stale; call stale POST /v1/adjustments "{\"storeId\":\"$STORE\",\"sku\":\"$SKU\",\"delta\":-1,\"reason\":\"sale\"}" -H "Idempotency-Key: $(uuid)" -H "If-Match: \"$((version - 1))\""
check "If-Match with a stale version" 409
name=sale; call sale POST /v1/adjustments "{\"storeId\":\"$STORE\",\"sku\":\"$SKU\",\"delta\":-1,\"reason\":\"sale\"}" -H "Idempotency-Key: $(uuid)" -H "If-Match: \"$version\""
check "POST /v1/adjustments -1 sale with the current If-Match" 202
version=$(json "$tmp/sale.body" b.version)

name=recount; call recount POST /v1/items:set-absolute "{\"storeId\":\"$STORE\",\"sku\":\"$SKU\",\"onHand\":$((onhand - 1)),\"countRef\":\"smoke-$(date +%F)\"}" -H "Idempotency-Key: $(uuid)"
check "POST /v1/items:set-absolute" 202
version=$(json "$tmp/recount.body" b.version)

token=$(header "$tmp/recount.headers" X-Consistency-Token)
assert "the recount answers an X-Consistency-Token" "$([ -n "$token" ] && echo true || echo false)"
# Read-your-writes: the read waits (up to 5 s) until the replica holds the recount, instead of polling.
name=converge; call converge GET "/v1/availability?sku=$SKU&storeId=$STORE" "" -H "X-Consistency-Token: $token" -H "Prefer: wait=5000"
assert "the read with the token shows version $version (X-Consistency: $(header "$tmp/converge.headers" X-Consistency))" \
  "$([ "$status" = 200 ] && [ "$(header "$tmp/converge.headers" X-Consistency)" = reached ] && [ "$(json "$tmp/converge.body" 'b.perStore[0].version')" -ge "$version" ] && echo true || echo false)"
name=badtoken; call badtoken GET "/v1/availability?sku=$SKU&storeId=$STORE" "" -H "X-Consistency-Token: not-a-token"; check "a malformed X-Consistency-Token" 400

name=reserve; call reserve POST /v1/reservations "{\"storeId\":\"$STORE\",\"lines\":[{\"sku\":\"$SKU\",\"qty\":1}],\"ttlSeconds\":120,\"customerId\":\"smoke\"}" -H "Idempotency-Key: $(uuid)"
check "POST /v1/reservations" 202
reservation=$(json "$tmp/reserve.body" b.reservationId)
assert "the reservation is CREATED with a server-made id ($reservation)" "$([ -n "$reservation" ] && [ "$(json "$tmp/reserve.body" b.status)" = CREATED ] && echo true || echo false)"
name=confirm; call confirm POST "/v1/reservations/$reservation:confirm" '{"paymentRef":"smoke-payment"}' -H "Idempotency-Key: $(uuid)"
check "POST /v1/reservations/{id}:confirm with the id the server returned" 202
name=reconfirm; call reconfirm POST "/v1/reservations/$reservation:confirm" '{}' -H "Idempotency-Key: $(uuid)"
check "a second confirm is refused" 409
name=getres; call getres GET "/v1/reservations/$reservation" "" -H "X-Consistency-Token: $(header "$tmp/confirm.headers" X-Consistency-Token)" -H "Prefer: wait=5000"
assert "GET /v1/reservations/{id} with the confirm's token shows CONFIRMED" "$([ "$status" = 200 ] && [ "$(json "$tmp/getres.body" b.status)" = CONFIRMED ] && echo true || echo false)"
name=cancelme; call cancelme POST /v1/reservations "{\"storeId\":\"$STORE\",\"lines\":[{\"sku\":\"$SKU\",\"qty\":1}]}" -H "Idempotency-Key: $(uuid)"
name=cancel; call cancel POST "/v1/reservations/$(json "$tmp/cancelme.body" b.reservationId):cancel" '{"reason":"smoke"}' -H "Idempotency-Key: $(uuid)"
check "POST /v1/reservations/{id}:cancel" 202
name=giveback; call giveback POST /v1/adjustments "{\"storeId\":\"$STORE\",\"sku\":\"$SKU\",\"delta\":1,\"reason\":\"return\"}" -H "Idempotency-Key: $(uuid)"
check "return the unit the confirmed reservation sold" 202

name=totals; call totals GET "/v1/products/totals?q=$SKU&page=0&size=10"; check "GET /v1/products/totals" 200
name=items; call items GET "/v1/items/$SKU/availability"; check "GET /v1/items/$SKU/availability" 200
name=unknown; call unknown GET "/v1/availability?sku=NO-SUCH-SKU-$RANDOM"; check "unknown SKU" 404

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
