import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["*/src/**/*.test.ts"],
    exclude: ["**/node_modules/**", "**/dist/**"],
    // End-to-end files start their own hub and agents against one broker and one database server;
    // run them one after another so their timings do not depend on each other on a two-core machine.
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
