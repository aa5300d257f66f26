import { availableParallelism } from "node:os";
import { defineConfig } from "vitest/config";

// The slow project: fault tests with real processes killed or several running (crash, replicas, hardening-processes,
// the dev supervisor restarting its child: dev-command),
// the browser, other runtimes (Bun and Deno through npx: mount-hosts; workerd, the Edge runtime and a built Next.js:
// runtime-*) and the packed package installed from the registry. `npm test` (and CI) runs both projects; `npm run test:fast`,
// the edit loop, skips this one.
const SLOW = [
  "test/e2e/**/*.test.ts",
  "test/integration/crash-recovery.test.ts",
  "test/integration/postgres-replicas.test.ts",
  "test/integration/package-install.test.ts",
  "test/integration/hardening-processes.test.ts",
  "test/integration/mount-hosts.test.ts",
  "test/integration/dev-command.test.ts",
  "test/integration/runtime-workers.test.ts",
  "test/integration/runtime-edge.test.ts",
  "test/integration/runtime-next.test.ts",
];

// The fast files wait on servers, sockets and subprocesses more than they compute: vitest's default (CPUs - 1) is a
// single worker on a 2-core machine, which runs them one after another.
const FAST_WORKERS = Math.max(availableParallelism() - 1, 2);

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: "forks",
    // One throwaway PostgreSQL cluster for the run (the Postgres engine's tests); see test/helpers/postgres-server.ts.
    globalSetup: ["test/helpers/postgres-global-setup.ts"],
    projects: [
      // Different maxWorkers need different groups: `npm test` runs the fast group, then the slow one, then the sim.
      { extends: true, test: { name: "fast", include: ["test/**/*.test.ts"], exclude: SLOW, maxWorkers: FAST_WORKERS, sequence: { groupOrder: 0 } } },
      { extends: true, test: { name: "slow", include: SLOW, sequence: { groupOrder: 1 } } },
      // The seeded simulation of the queue (test/sim/queue.sim.ts): `npm run test:sim`; `npm test` runs it too.
      { extends: true, test: { name: "sim", include: ["test/sim/**/*.sim.ts"], sequence: { groupOrder: 2 } } },
    ],
  },
});
