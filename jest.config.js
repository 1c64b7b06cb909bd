/** Unit tests live next to the code they test (src/**); CLI and integration suites in test/. */
const { existsSync } = require('node:fs');
const path = require('node:path');

module.exports = {
  testEnvironment: 'node',
  roots: ['src', 'test', 'scripts', 'packages']
    .filter((dir) => existsSync(path.join(__dirname, dir)))
    .map((dir) => `<rootDir>/${dir}`),
  testMatch: ['**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022' } }] },
  moduleFileExtensions: ['ts', 'js', 'json'],
  reporters: ['default', '<rootDir>/test/helpers/missing-servers-reporter.js'],
};
