// Writes GitHub workflow commands as the runner's own toolkit (@actions/core, installed by
// .ci/run under $TEIKIT_ORACLES) escapes them: one JSON object a line on stdin,
// {"command", "properties", "message"}, one command a line on stdout.
// Usage: node github.js ORACLES_DIR < commands.jsonl
"use strict";
const path = require("path");
const { issueCommand } = require(path.join(process.argv[2], "node_modules/@actions/core/lib/command"));
const lines = require("fs").readFileSync(0, "utf8").split("\n").filter((l) => l.length);
for (const l of lines) {
  const c = JSON.parse(l);
  issueCommand(c.command, c.properties, c.message);
}
