// Runs before `npm start`, `npm run dev`, `npm run demo` and `npm test`: on a Node.js older than
// package.json's "engines", say so in one line instead of failing later in some dependency.
// CommonJS and old syntax on purpose, so that it runs on the old Node it is there to catch.
"use strict";
var range = require("../package.json").engines.node;
var wanted = /(\d+)\.(\d+)/.exec(range);
var have = process.versions.node.split(".").map(Number);
if (wanted) {
  var major = Number(wanted[1]);
  var minor = Number(wanted[2]);
  if (have[0] < major || (have[0] === major && have[1] < minor)) {
    process.stderr.write(
      "Hindsight needs Node.js " + range + " but this is " + process.version + ": install a current LTS (https://nodejs.org) and run the command again.\n",
    );
    process.exit(1);
  }
}
