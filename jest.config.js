/** Jest runs the TypeScript sources directly; type checking is `npm run typecheck` (tsc), so
 * ts-jest only transpiles (isolatedModules) and a run stays fast on a 2-core machine. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] },
  moduleFileExtensions: ['ts', 'js', 'json'],
  testTimeout: 60000,
  maxWorkers: 2,
};
