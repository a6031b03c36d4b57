import { defineConfig } from "vitest/config";

/** `npm run test:fleet`: the fleet end-to-end test, 20 agents and two hubs; kept out of `npm test`'s files. */
export default defineConfig({
  test: {
    include: ["e2e/src/**/*.fleet.ts"],
    exclude: ["**/node_modules/**", "**/dist/**"],
    fileParallelism: false,
    testTimeout: 300_000,
    hookTimeout: 300_000,
  },
});
