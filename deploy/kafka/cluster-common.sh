# Shared by deploy/kafka/cluster-*.sh: where a local 3-node cluster lives and which ports each node uses.
# Sourced, not executed.
# shellcheck shell=bash disable=SC2034  # variables here are used by the sourcing scripts
script_dir=${script_dir:-$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)}
KAFKA_DATA_DIR=${KAFKA_CLUSTER_DIR:-$(cd "$script_dir/../.." && pwd)/.data/kafka-cluster}
# shellcheck source-path=SCRIPTDIR source=common.sh
. "$script_dir/common.sh"

cluster_dir=$KAFKA_DATA_DIR
secrets_dir="$cluster_dir/secrets"
cluster_nodes=(1 2 3)
# Node n listens for clients on base+n (SASL_SSL), for the other brokers on base+3+n (mTLS) and for the
# controllers on base+6+n (mTLS).
port_base=${KAFKA_CLUSTER_PORT_BASE:-9190}
client_port() { echo $((port_base + $1)); }
internal_port() { echo $((port_base + 3 + $1)); }
controller_port() { echo $((port_base + 6 + $1)); }
node_dir() { echo "$cluster_dir/node-$1"; }
node_pid_file() { echo "$cluster_dir/node-$1/kafka.pid"; }
node_log() { echo "$cluster_dir/node-$1.log"; }
cluster_brokers() { echo "127.0.0.1:$(client_port 1),127.0.0.1:$(client_port 2),127.0.0.1:$(client_port 3)"; }
# Identities made when the cluster is formatted: the administrator, the hubs, and an agent per store.
cluster_stores=${KAFKA_CLUSTER_STORES:-S1 S2 S3}
password_file() { echo "$secrets_dir/$1.password"; }

# node_running N: prints the pid of node N if it is alive and is a Kafka broker.
node_running() {
  local pid_file
  pid_file=$(node_pid_file "$1")
  running_pid
}
