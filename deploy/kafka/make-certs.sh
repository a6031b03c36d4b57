#!/usr/bin/env bash
# Makes a private CA and one certificate per Kafka node, for local and test clusters (never for
# production: there the CA is the organisation's). Keeps what exists, so running it again changes nothing;
# delete the directory to start over. Each node's certificate names kafka-<n>, localhost and 127.0.0.1.
#
# Usage: deploy/kafka/make-certs.sh <dir> [nodes (3)]
# Writes: <dir>/ca.pem, ca.key (the CA), kafka-<n>.pem (the node's key and certificate, for its PEM
#   keystore), kafka-<n>.crt; keys are mode 600. Needs openssl.
set -euo pipefail
dir=${1:?usage: make-certs.sh <dir> [nodes]}
nodes=${2:-3}
command -v openssl >/dev/null 2>&1 || { echo "make-certs: openssl is not installed (apt-get install openssl)" >&2; exit 1; }
mkdir -p "$dir"
umask 077

if [ ! -s "$dir/ca.pem" ] || [ ! -s "$dir/ca.key" ]; then
  openssl req -x509 -newkey rsa:2048 -nodes -sha256 -days 825 -subj "/CN=inventory-local-kafka-ca" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
    -keyout "$dir/ca.key" -out "$dir/ca.pem" 2>/dev/null
  chmod 644 "$dir/ca.pem"
fi

for n in $(seq 1 "$nodes"); do
  name=kafka-$n
  [ -s "$dir/$name.pem" ] && continue
  ext="$dir/$name.ext"
  printf '%s\n' "subjectAltName=DNS:$name,DNS:localhost,IP:127.0.0.1" \
    "extendedKeyUsage=serverAuth,clientAuth" "keyUsage=critical,digitalSignature,keyEncipherment" >"$ext"
  openssl req -newkey rsa:2048 -nodes -sha256 -subj "/CN=$name" -keyout "$dir/$name.key" -out "$dir/$name.csr" 2>/dev/null
  openssl x509 -req -in "$dir/$name.csr" -CA "$dir/ca.pem" -CAkey "$dir/ca.key" -CAcreateserial -days 825 -sha256 \
    -extfile "$ext" -out "$dir/$name.crt" 2>/dev/null
  # A PEM keystore: the unencrypted PKCS#8 key, then the certificate chain.
  openssl pkcs8 -topk8 -nocrypt -in "$dir/$name.key" >"$dir/$name.pem.tmp"
  cat "$dir/$name.crt" "$dir/ca.pem" >>"$dir/$name.pem.tmp"
  mv "$dir/$name.pem.tmp" "$dir/$name.pem"
  rm -f "$dir/$name.csr" "$dir/$name.ext" "$dir/$name.key"
done
echo "make-certs: CA and $nodes node certificates in $dir"
