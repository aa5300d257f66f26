import type { Logger } from "../internal/logger.js";
import { logExpected } from "../internal/log-expected.js";
import type { DeliveryStore } from "../store/types.js";

/** What `/readyz` answers: `ready` and, when not, why (short reasons: the details go to the log). */
export interface Readiness {
  ready: boolean;
  checks: { log: "ok" | "unavailable" | "unwritable" | "off"; workers: "running" | "stopped" | "off"; shuttingDown: boolean };
  reasons: string[];
}

/** What readiness is read from: the server's parts, as functions (read at each request). */
export interface ReadinessDeps {
  /** False with `database: false` (inline: no log, no workers to wait for). */
  durable: boolean;
  /** Opens the log if it is not open yet (cached once open); rejects while it cannot be opened. */
  start: () => Promise<unknown>;
  store: () => DeliveryStore | undefined;
  /** Whether the queue's workers are claiming. */
  workersRunning: () => boolean;
  shuttingDown: () => boolean;
  logger?: Logger;
}

/**
 * Readiness, for `/readyz` (a load balancer, a container HEALTHCHECK, Kubernetes): ready when not shutting down,
 * the delivery log is open and writable, and the workers are running. `/healthz` stays liveness (the process
 * answers), so an orchestrator does not restart a server that only waits for its database. A failing check is
 * one warn line per probe (a HEALTHCHECK asks every 30 s) with its reason; the stack at debug only.
 * @example
 * const r = await readiness(deps); // { ready: false, checks: { log: "unavailable", … }, reasons: ["the delivery log cannot be opened"] }
 */
export async function readiness(deps: ReadinessDeps): Promise<Readiness> {
  const reasons: string[] = [];
  const shuttingDown = deps.shuttingDown();
  if (shuttingDown) reasons.push("the server is shutting down");
  if (!deps.durable) {
    return { ready: reasons.length === 0, checks: { log: "off", workers: "off", shuttingDown }, reasons };
  }
  let log: Readiness["checks"]["log"] = "ok";
  try {
    if (!shuttingDown) await deps.start();
    const store = deps.store();
    if (!store) throw new Error("the delivery log is not open");
    try {
      await store.checkWritable?.();
    } catch (error) {
      log = "unwritable";
      reasons.push("the delivery log cannot be written");
      if (deps.logger) logExpected(deps.logger, "warn", error, {}, "readiness: the delivery log cannot be written");
    }
  } catch (error) {
    log = "unavailable";
    reasons.push("the delivery log cannot be opened");
    if (deps.logger) logExpected(deps.logger, "warn", error, {}, "readiness: the delivery log cannot be opened");
  }
  const workers = log === "unavailable" || !deps.workersRunning() ? "stopped" : "running";
  if (workers === "stopped" && log !== "unavailable" && !shuttingDown) reasons.push("the workers are not running");
  return { ready: reasons.length === 0, checks: { log, workers, shuttingDown }, reasons };
}
