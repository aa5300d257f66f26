import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: "forks",
    // One throwaway PostgreSQL cluster for the run (the Postgres engine's tests); see test/helpers/postgres-server.ts.
    globalSetup: ["test/helpers/postgres-global-setup.ts"],
  },
});
