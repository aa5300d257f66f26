import type { AttemptRun } from "./invariants.js";
import type { SimEndpoint } from "./scenario.js";

/**
 * Every handler run of a simulation, and the ones running now. A run counts as running from its handler's start to
 * its return, its signal's abort (the queue frees the slot then, even if the handler goes on) or its process's death.
 * `start` answers what the run breaks as it starts: the endpoint's concurrency in its process, or its ordering key.
 */
export class Ledger {
  readonly runs: AttemptRun[] = [];
  readonly #active = new Set<AttemptRun>();

  start(run: AttemptRun, endpoint: SimEndpoint): Array<{ invariant: "concurrency" | "ordering"; detail: string }> {
    this.runs.push(run);
    this.#active.add(run);
    const broken: Array<{ invariant: "concurrency" | "ordering"; detail: string }> = [];
    const mine = [...this.#active].filter((r) => r.gen === run.gen && r.endpoint === run.endpoint);
    if (mine.length > endpoint.concurrency) {
      broken.push({ invariant: "concurrency", detail: `${run.endpoint} (concurrency ${endpoint.concurrency}) runs ${mine.length} at once in process ${run.proc}: ${mine.map((r) => r.deliveryId).join(", ")}` });
    }
    // A partitioned run lost its lease: another worker may hold its key now (what leases are for), until it learns.
    const same = endpoint.ordered ? [...this.#active].filter((r) => r.endpoint === run.endpoint && r.key === run.key && !r.partitioned) : [];
    if (same.length > 1) {
      broken.push({ invariant: "ordering", detail: `${run.endpoint}: ${same.length} running at once for key ${run.key}: ${same.map((r) => `${r.deliveryId}#${r.attempt}@p${r.proc}`).join(", ")}` });
    }
    return broken;
  }

  end(run: AttemptRun, result: NonNullable<AttemptRun["result"]>, at: number): void {
    if (!run.active) return;
    run.active = false;
    run.end = at;
    run.result = result;
    this.#active.delete(run);
  }

  /** A process died or stopped: its runs end with it. */
  endGen(gen: number, result: "crashed" | "stopped", at: number): void {
    for (const run of [...this.#active]) if (run.gen === gen) this.end(run, result, at);
  }

  /**
   * The process lost its database at `at`: the runs it has now may lose their leases, and so may the ones that ended
   * in this same instant (their settle goes out with the next group commit, which now waits).
   */
  partition(gen: number, at: number): void {
    for (const run of this.runs) if (run.gen === gen && (run.active || (run.end ?? 0) >= at)) run.partitioned = true;
  }

  running(gen: number, endpoint: string): number {
    let n = 0;
    for (const run of this.#active) if (run.gen === gen && run.endpoint === endpoint) n++;
    return n;
  }
}
