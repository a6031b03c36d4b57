#!/usr/bin/env bash
# Checks the alert rules (promtool check rules, promtool test rules) and that every metric the rules and the
# Grafana dashboard name is one the hub or an agent exports. Needs promtool (Debian: apt-get install prometheus).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
promtool check rules alerts.yml
promtool test rules alerts.test.yml
python3 - <<'PY'
import json, re, pathlib
root = pathlib.Path("../..")
source = "".join(p.read_text() for d in ("platform/src", "read-model/src", "hub/src", "edge-agent/src") for p in (root / d).rglob("*.ts"))
exported = set(re.findall(r'name: "(inventory_[a-z_]+)"', source))
# prom-client's default process metrics, under the prefix the processes give them.
exported |= {"inventory_process_cpu_seconds_total", "inventory_process_resident_memory_bytes"}
dashboard = json.load(open("grafana-dashboard.json"))
rules = [line for line in open("alerts.yml") if not line.lstrip().startswith("#")]
exprs = [t["expr"] for p in dashboard["panels"] for t in p.get("targets", [])] + rules
used = {re.sub(r"_(bucket|count|sum)$", "", m) for e in exprs for m in re.findall(r"\binventory_[a-z_]+", e)}
missing = sorted(used - exported)
if missing:
    raise SystemExit(f"metrics named in the dashboard or alerts but exported by nothing: {missing}")
print(f"observability: {len(dashboard['panels'])} dashboard panels, {len(used)} metrics, all exported")
PY
