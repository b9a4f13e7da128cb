// Jest runs the TypeScript tests directly through ts-jest; the e2e tests drive the built dist/ code
// through the real Pulumi CLI, so `npm run build` must have run first (npm ci does it via prepare).
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  transform: { "^.+\\.ts$": ["ts-jest", { tsconfig: "tsconfig.json" }] },
  moduleNameMapper: {
    "^pulumi-admindo$": "<rootDir>/sdk/index.ts",
    "^pulumi-admindo/client$": "<rootDir>/client/index.ts",
    "^pulumi-admindo/emulator$": "<rootDir>/emulator/index.ts",
  },
  testTimeout: 30000,
};
