#!/usr/bin/env bash
# Admits a new store's agent to the running cluster started by cluster-start.sh: a random password file,
# its SCRAM-SHA-512 user (Kafka's own kafka-configs tool, as admin), and its ACLs (grant-kafka-acls.js).
# Safe to run again: the password is kept and the same credential and ACLs are set.
# Usage: deploy/kafka/cluster-add-store.sh <storeId>     Env: KAFKA_CLUSTER_DIR, KAFKA_TOPIC_PREFIX.
set -euo pipefail
script_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source-path=SCRIPTDIR source=cluster-common.sh
. "$script_dir/cluster-common.sh"
repo_root=$(cd "$script_dir/../.." && pwd)
store=${1:?usage: cluster-add-store.sh <storeId>}
[[ "$store" =~ ^[A-Za-z0-9._-]{1,64}$ ]] || die "bad store id '$store'"
[ -s "$secrets_dir/admin.properties" ] || die "no cluster in $cluster_dir (run cluster-start.sh first)"
user="agent-$store"
f=$(password_file "$user")
[ -s "$f" ] || (umask 077; openssl rand -hex 24 >"$f")
"$(find_java)" -Dlog4j.configuration="file:$script_dir/config/log4j.properties" -cp "$libs_dir/*" kafka.admin.ConfigCommand \
  --bootstrap-server "$(cluster_brokers)" --command-config "$secrets_dir/admin.properties" \
  --alter --entity-type users --entity-name "$user" --add-config "SCRAM-SHA-512=[password=$(cat "$f")]" >/dev/null
# shellcheck disable=SC2046
env $(cat "$secrets_dir/admin.env") node "$repo_root/hub/dist/grant-kafka-acls.js" --no-hub --stores "$store" --prefix "${KAFKA_TOPIC_PREFIX:-}"
echo "kafka-cluster: $user may now connect (password file $f)"
