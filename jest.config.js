/** One jest run over every workspace. swc transpiles (fast); `tsc -p tsconfig.test.json` type-checks. */
module.exports = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      {
        jsc: {
          parser: { syntax: 'typescript', decorators: true },
          transform: { legacyDecorator: true, decoratorMetadata: true },
          target: 'es2022',
        },
        module: { type: 'commonjs' },
      },
    ],
  },
  testMatch: ['<rootDir>/**/src/**/*.test.ts', '<rootDir>/**/test/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/', '/.tools/'],
  modulePathIgnorePatterns: ['<rootDir>/.*/dist/'],
  // Tests run against sources, never a stale build.
  moduleNameMapper: {
    '^@quickcart/(kit|db|audit|pakasir|notify|workflow-api)$': '<rootDir>/packages/$1/src',
    '^@quickcart/sandbox$': '<rootDir>/infra/sandbox/src',
    '^@quickcart/(catalog|orders|gateway)/(.*)$': '<rootDir>/services/$1/src/$2',
    '^@quickcart/workflows/(.*)$': '<rootDir>/workflows/src/$1',
  },
  globalSetup: '<rootDir>/infra/test/global-setup.ts',
  globalTeardown: '<rootDir>/infra/test/global-teardown.ts',
  testTimeout: 60_000,
};
