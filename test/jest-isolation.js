// jest globalSetup/globalTeardown: every test (and every kernel, board or CLI process it
// starts) sees its own data and config folders, so no test touches the user's virtual
// boards, device registry, remembered boards or kernel logs. Test workers start after
// globalSetup and inherit these variables.
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const ISOLATED = {
  XDG_DATA_HOME: 'data',
  JUPYTER_CONFIG_DIR: 'jupyter-config',
  JUPYTER_DATA_DIR: 'jupyter-data',
  JUPYTER_RUNTIME_DIR: 'jupyter-runtime',
};

module.exports = async function setup() {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ide49-jest-home-'));
  process.env.IDE49_TEST_HOME = root;
  for (const [name, folder] of Object.entries(ISOLATED)) process.env[name] = path.join(root, folder);
};

module.exports.teardown = async function teardown() {
  const root = process.env.IDE49_TEST_HOME;
  if (root) fs.rmSync(root, { recursive: true, force: true });
};
