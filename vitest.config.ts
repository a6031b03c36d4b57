import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["*/src/**/*.test.ts"],
    // The cluster suite needs the 3-node cluster: `npm run test:cluster`.
    exclude: ["**/node_modules/**", "**/dist/**", "e2e/src/cluster/**"],
    // End-to-end files start their own hub and agents against one broker and one database server;
    // run them one after another so their timings do not depend on each other on a two-core machine.
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
