/**
 * `npm run build`, second half: the server and the command-line tools compiled to JavaScript in
 * build/node/ (docs/decisions/0020), so production runs plain Node, not TypeScript through tsx.
 * One bundle per entry point with the shared code split into chunks; packages stay in
 * node_modules (imported at run time), the app's own modules (`~/…`, `#db/…`) and JSON are bundled.
 * Remix's build (build/server, build/client) comes from `remix vite:build` before this.
 */
import { readdirSync, rmSync } from "node:fs";
import { build } from "esbuild";

const commands = readdirSync("db/cli")
  .filter((file) => file.endsWith(".ts") && file !== "run.ts")
  .map((file) => `db/cli/${file}`);

rmSync("build/node", { recursive: true, force: true });
const result = await build({
  entryPoints: ["server/index.ts", "server/cluster.ts", ...commands],
  outdir: "build/node",
  outbase: ".",
  bundle: true,
  splitting: true,
  chunkNames: "chunks/[name]-[hash]",
  format: "esm",
  platform: "node",
  target: "node24",
  packages: "external",
  tsconfig: "tsconfig.json",
  sourcemap: true,
  metafile: true,
  logLevel: "warning",
});
const files = Object.keys(result.metafile.outputs).filter((file) => file.endsWith(".js"));
console.log(`build/node: ${files.length} files (${commands.length} commands, the server and the cluster primary)`);
