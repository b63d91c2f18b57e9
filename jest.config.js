// Tests are TypeScript compiled by `tsc -b` (npm run build); jest runs the compiled
// JavaScript so worker threads and child processes see the same files as the tests.
module.exports = {
  testEnvironment: 'node',
  testMatch: ['<rootDir>/packages/*/dist/test/**/*.test.js', '<rootDir>/test/dist/**/*.test.js'],
  testTimeout: 60000,
  maxWorkers: 2,
  globalSetup: '<rootDir>/test/jest-isolation.js',
  globalTeardown: '<rootDir>/test/jest-isolation-teardown.js',
};
