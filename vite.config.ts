/// <reference types="vitest/config" />
import { vitePlugin as remix } from "@remix-run/dev";
import { defineConfig, type Plugin } from "vite";
import { fileURLToPath } from "node:url";
import tsconfigPaths from "vite-tsconfig-paths";
import remixConfig from "./remix.config.js";

declare module "@remix-run/node" {
  interface Future {
    v3_singleFetch: true;
  }
}

/**
 * In the browser build, Tiptap's Link extension gets app/editor/linkify.ts for linkifyjs: the
 * editor loads the real one when it is first focused (the editor page's JavaScript budget,
 * docs/benchmarks/collaboration.md). The server, the tests and the dev server's pre-bundled
 * dependencies use linkifyjs itself.
 */
function lazyLinkify(): Plugin {
  const standIn = fileURLToPath(new URL("./app/editor/linkify.ts", import.meta.url));
  return {
    name: "hindsight:lazy-linkify",
    enforce: "pre",
    resolveId(id, importer, options) {
      if (id !== "linkifyjs" || options.ssr || importer === standIn) return null;
      return standIn;
    },
  };
}

export default defineConfig({
  plugins: [!process.env.VITEST && remix(remixConfig), !process.env.VITEST && lazyLinkify(), tsconfigPaths()],
  // PGlite ships WASM and data files it loads from its own folder: never bundle it.
  ssr: { external: ["@electric-sql/pglite", "@node-rs/argon2", "pg", "pino"] },
  optimizeDeps: { exclude: ["@electric-sql/pglite"] },
  server: { port: 3000 },
  // Terser minifies about 4 % smaller than esbuild (about 10 kB gzipped off the editing page,
  // docs/benchmarks/collaboration.md), for a few seconds more of build.
  build: { minify: "terser", terserOptions: { compress: { passes: 2 } } },
  test: {
    include: ["test/unit/**/*.test.ts", "test/integration/**/*.test.ts"],
    environment: "node",
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Integration files each create their own databases; two cores, so two workers.
    maxWorkers: 2,
  },
});
