/// <reference types="vitest/config" />
import { vitePlugin as remix } from "@remix-run/dev";
import { defineConfig } from "vite";
import tsconfigPaths from "vite-tsconfig-paths";
import remixConfig from "./remix.config.js";

declare module "@remix-run/node" {
  interface Future {
    v3_singleFetch: true;
  }
}

export default defineConfig({
  plugins: [!process.env.VITEST && remix(remixConfig), tsconfigPaths()],
  // PGlite ships WASM and data files it loads from its own folder: never bundle it.
  ssr: { external: ["@electric-sql/pglite", "@node-rs/argon2", "pg", "pino"] },
  optimizeDeps: { exclude: ["@electric-sql/pglite"] },
  server: { port: 3000 },
  test: {
    include: ["test/unit/**/*.test.ts", "test/integration/**/*.test.ts"],
    environment: "node",
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Integration files each create their own databases; two cores, so two workers.
    maxWorkers: 2,
  },
});
