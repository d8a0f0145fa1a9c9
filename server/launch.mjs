/**
 * Runs a compiled entry point from build/node/ (docs/decisions/0020): `npm start`,
 * `npm run start:cluster` and the `db:…`, `secrets:rotate` and `reminders:send` commands, e.g.
 * `node server/launch.mjs server/index`. Says in one line, instead of a stack trace, when the Node
 * is too old or there is no build yet. The entry point sees its own arguments from argv[2] on.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import runtime from "./check-node.cjs";

runtime.stopOnUnsupportedRuntime();
const entry = process.argv[2] ?? "";
const file = path.resolve("build/node", `${entry}.js`);
if (!/^[a-z][a-z/-]*$/.test(entry) || !existsSync(file)) {
  process.stderr.write(
    `No production build of ${entry || "(nothing named)"} (build/node/${entry}.js): run \`npm run build\` first, or \`npm run demo\`, which installs, builds, seeds and starts.\n`,
  );
  process.exit(1);
}
process.argv.splice(2, 1);
await import(pathToFileURL(file).href);
