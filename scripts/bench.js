#!/usr/bin/env node
// `npm run bench`: runs every compiled benchmark (packages/*/dist/bench/*.bench.js, then
// test/dist/bench/*.bench.js) one after another, so their figures share one run and one
// machine. Each benchmark prints its own figures next to its baseline. Build first
// (scripts/setup.sh). Pass a substring to run only matching benchmarks.
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const filter = process.argv[2] ?? '';
const dirs = fs.readdirSync(path.join(root, 'packages')).map((p) => path.join(root, 'packages', p, 'dist/bench'));
dirs.push(path.join(root, 'test/dist/bench'));
const benches = dirs
  .filter((d) => fs.existsSync(d))
  .flatMap((d) => fs.readdirSync(d).filter((f) => f.endsWith('.bench.js')).map((f) => path.join(d, f)))
  .filter((f) => f.includes(filter));
if (benches.length === 0) {
  console.error('bench: no compiled benchmarks found; run scripts/setup.sh first');
  process.exit(1);
}
// Benchmark boards and registries live in a scratch folder, not in the user's data dir.
const scratch = fs.mkdtempSync(path.join(require('node:os').tmpdir(), 'ide49-bench-'));
const env = { ...process.env, XDG_DATA_HOME: path.join(scratch, 'data'), JUPYTER_CONFIG_DIR: path.join(scratch, 'jupyter-config') };
let failed = 0;
for (const bench of benches) {
  console.log(`\n### ${path.relative(root, bench)}`);
  const r = spawnSync(process.execPath, [bench], { cwd: root, stdio: 'inherit', env });
  if (r.status !== 0) failed++;
}
fs.rmSync(scratch, { recursive: true, force: true });
process.exit(failed ? 1 : 0);
