// Vitest global setup: one throwaway Postgres cluster for the whole run (each test uses its own schema), or a
// one-line reason why the Postgres tests are skipped. HUBHOOKS_TEST_POSTGRES_URL points at an existing server instead.
import type { TestProject } from "vitest/node";
import { startPostgres } from "./postgres-server.js";

declare module "vitest" {
  export interface ProvidedContext {
    postgresUrl: string;
    postgresUnavailable: string;
  }
}

export default async function setup(project: TestProject): Promise<() => void> {
  const given = process.env.HUBHOOKS_TEST_POSTGRES_URL;
  if (given) {
    project.provide("postgresUrl", given);
    project.provide("postgresUnavailable", "");
    return () => {};
  }
  const started = await startPostgres().catch((error: unknown) => ({ unavailable: `could not start it: ${String(error)}` }));
  if ("unavailable" in started) {
    project.provide("postgresUrl", "");
    project.provide("postgresUnavailable", started.unavailable);
    if (process.env.CI) throw new Error(`[hubhooks tests] PostgreSQL is required in CI: ${started.unavailable}`);
    console.warn(`[hubhooks tests] Postgres tests skipped: ${started.unavailable}`);
    return () => {};
  }
  project.provide("postgresUrl", started.url);
  project.provide("postgresUnavailable", "");
  return () => started.stop();
}
