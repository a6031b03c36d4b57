import { defineConfig } from "vite";

/** Built into dist/ and served by the hub under /console; no file is fetched from anywhere else at run time. */
export default defineConfig({
  base: "/console/",
  esbuild: { jsx: "automatic", jsxImportSource: "preact" },
  build: { outDir: "dist", emptyOutDir: true, sourcemap: true, target: "es2022" },
});
