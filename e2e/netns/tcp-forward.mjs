// Forwards TCP connections: node tcp-forward.mjs <listenHost>:<listenPort>=<targetHost>:<targetPort> ...
// Used by the partition test to join a store's network namespace to services on the host's loopback.
import { createServer, connect } from "node:net";

for (const rule of process.argv.slice(2)) {
  const [from, to] = rule.split("=");
  const [listenHost, listenPort] = from.split(":");
  const [targetHost, targetPort] = to.split(":");
  createServer((client) => {
    const upstream = connect(Number(targetPort), targetHost);
    client.pipe(upstream).pipe(client);
    const close = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on("error", close);
    upstream.on("error", close);
  }).listen(Number(listenPort), listenHost, () => console.log(`forwarding ${from} -> ${to}`));
}
