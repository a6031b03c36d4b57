#!/usr/bin/env bash
# Entry point of a Kafka node in deploy/docker-compose.yml (apache/kafka:3.9.1): the same settings as
# deploy/kafka/cluster-start.sh, with the nodes reached by their service names kafka-1..kafka-3. Formats the
# node's storage on first start, bootstrapping the SCRAM users whose password files are in /secrets.
# Env: NODE_ID (1-3).
set -euo pipefail
n=${NODE_ID:?NODE_ID is required}
props=/var/lib/kafka/server.properties
cat >"$props" <<PROPS
process.roles=broker,controller
node.id=$n
controller.quorum.voters=1@kafka-1:9093,2@kafka-2:9093,3@kafka-3:9093
controller.listener.names=CONTROLLER
listeners=CLIENT://:9092,INTERNAL://:9094,CONTROLLER://:9093
advertised.listeners=CLIENT://kafka-$n:9092,INTERNAL://kafka-$n:9094
inter.broker.listener.name=INTERNAL
listener.security.protocol.map=CLIENT:SASL_SSL,INTERNAL:SSL,CONTROLLER:SSL
log.dirs=/var/lib/kafka/data
ssl.keystore.type=PEM
ssl.keystore.location=/secrets/kafka-$n.pem
ssl.truststore.type=PEM
ssl.truststore.location=/secrets/ca.pem
listener.name.internal.ssl.client.auth=required
listener.name.controller.ssl.client.auth=required
listener.name.client.ssl.client.auth=none
sasl.enabled.mechanisms=SCRAM-SHA-512
listener.name.client.sasl.enabled.mechanisms=SCRAM-SHA-512
listener.name.client.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;
authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer
allow.everyone.if.no.acl.found=false
super.users=User:CN=kafka-1;User:CN=kafka-2;User:CN=kafka-3;User:admin
default.replication.factor=3
min.insync.replicas=2
offsets.topic.replication.factor=3
transaction.state.log.replication.factor=3
transaction.state.log.min.isr=2
unclean.leader.election.enable=false
auto.create.topics.enable=false
num.partitions=6
group.initial.rebalance.delay.ms=0
PROPS
if [ ! -f /var/lib/kafka/data/meta.properties ]; then
  scram=()
  for f in /secrets/*.password; do
    user=$(basename "$f" .password)
    scram+=(--add-scram "SCRAM-SHA-512=[name=$user,password=$(cat "$f")]")
  done
  /opt/kafka/bin/kafka-storage.sh format -t "${CLUSTER_ID:?CLUSTER_ID is required}" -c "$props" --ignore-formatted "${scram[@]}"
fi
exec /opt/kafka/bin/kafka-server-start.sh "$props"
