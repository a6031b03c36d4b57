#!/usr/bin/env bash
# Makes what deploy/docker-compose.yml mounts from deploy/secrets/ (git-ignored): the CA and node
# certificates (deploy/kafka/make-certs.sh) and a random password file per Kafka identity: admin, hub,
# agent-S1, agent-S2. Keeps what exists. Usage: deploy/docker/make-secrets.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
dir=secrets
bash kafka/make-certs.sh "$dir" 3
for user in admin hub agent-S1 agent-S2; do
  [ -s "$dir/$user.password" ] || (umask 077; openssl rand -hex 24 >"$dir/$user.password")
done
# The hub and agent containers run as uid 1000, not as the user who made the files; the Kafka nodes run as
# root and read their keys (kafka-<n>.pem) as they are, mode 600.
chmod 644 "$dir/ca.pem" "$dir"/*.password
echo "make-secrets: $dir ready"
