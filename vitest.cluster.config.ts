import { defineConfig } from "vitest/config";

/** The cluster suite (`npm run test:cluster`): real 3-node Kafka with TLS, SASL and ACLs; see deploy/test-cluster.sh. */
export default defineConfig({
  test: {
    include: ["e2e/src/cluster/**/*.test.ts"],
    exclude: ["**/node_modules/**", "**/dist/**"],
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 180_000,
  },
});
