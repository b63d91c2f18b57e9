#!/usr/bin/env node
// Runs every test runner of the project (jest, then the Python suites that drive the
// kernel with Debian's Jupyter clients and pyserial) and prints one closing line that
// sums them: "N passed, N failed". Exit code 1 when anything failed or a runner broke.
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'ide49-tests-'));
const jestArgs = process.argv.slice(2);

function run(command, args, env = {}) {
  console.log(`\n=== ${command} ${args.join(' ')}`);
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  return result.status ?? 1;
}

const totals = [];

// jest: counts from its JSON report.
const jestReport = path.join(work, 'jest.json');
const jestStatus = run(process.execPath, [require.resolve('jest/bin/jest', { paths: [root] }), '--json', `--outputFile=${jestReport}`, ...jestArgs]);
totals.push(countJest(jestReport, jestStatus));

// Python suites (pytest from Debian): counts from the JUnit XML report.
if (fs.existsSync(path.join(root, 'test/python')) && jestArgs.length === 0) {
  const junit = path.join(work, 'pytest.xml');
  // Own data and config folders, as jest's globalSetup gives the jest suites: no test
  // touches the user's virtual boards, device registry or remembered boards.
  const isolated = { XDG_DATA_HOME: path.join(work, 'data'), JUPYTER_CONFIG_DIR: path.join(work, 'jupyter-config'), JUPYTER_DATA_DIR: path.join(work, 'jupyter-data') };
  const status = run('/usr/bin/python3', ['-m', 'pytest', '-q', '-rs', `--junitxml=${junit}`, 'test/python'], isolated);
  totals.push(countJunit(junit, status));
}

const passed = totals.reduce((n, t) => n + t.passed, 0);
const failed = totals.reduce((n, t) => n + t.failed, 0);
const skipped = totals.reduce((n, t) => n + t.skipped, 0);
fs.rmSync(work, { recursive: true, force: true });
console.log(`\n${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 || totals.some((t) => t.broken) ? 1 : 0);

function countJest(file, status) {
  if (!fs.existsSync(file)) return { passed: 0, failed: 1, skipped: 0, broken: true };
  const r = JSON.parse(fs.readFileSync(file, 'utf8'));
  // A suite that fails to load has no test results: count it as one failure.
  const brokenSuites = r.testResults.filter((s) => s.status === 'failed' && s.assertionResults.length === 0).length;
  return {
    passed: r.numPassedTests,
    failed: r.numFailedTests + brokenSuites,
    skipped: r.numPendingTests + r.numTodoTests,
    broken: status !== 0 && r.numFailedTests + brokenSuites === 0,
  };
}

function countJunit(file, status) {
  if (!fs.existsSync(file)) return { passed: 0, failed: 1, skipped: 0, broken: true };
  const xml = fs.readFileSync(file, 'utf8');
  const attr = (name) => [...xml.matchAll(new RegExp(`<testsuite [^>]*\\b${name}="(\\d+)"`, 'g'))].reduce((n, m) => n + Number(m[1]), 0);
  const tests = attr('tests');
  const failed = attr('failures') + attr('errors');
  const skipped = attr('skipped');
  // pytest exit 5 = no tests collected: a broken suite, not a pass.
  return { passed: tests - failed - skipped, failed, skipped, broken: status !== 0 && failed === 0 };
}
