// Validates SARIF logs against the OASIS SARIF 2.1.0 JSON schema as the npm package
// @microsoft/jest-sarif ships it (installed by .ci/run under $TEIKIT_ORACLES; never committed).
// Usage: node sarif.js ORACLES_DIR FILE...   Exit 0 when every file is valid.
"use strict";
const fs = require("fs");
const path = require("path");
const dir = path.join(process.argv[2], "node_modules");
const Ajv = require(path.join(dir, "ajv"));
const schema = require(path.join(dir, "@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json"));
const ajv = new Ajv({ schemaId: "auto", allErrors: true, validateSchema: false });
ajv.addMetaSchema(require(path.join(dir, "ajv/lib/refs/json-schema-draft-04.json")));
const validate = ajv.compile(schema);
let bad = 0;
for (const file of process.argv.slice(3)) {
  const log = JSON.parse(fs.readFileSync(file, "utf8"));
  if (!validate(log)) {
    bad++;
    console.error(file + ": " + JSON.stringify(validate.errors.slice(0, 5), null, 1));
  }
}
process.exit(bad ? 1 : 0);
