import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { sqliteEngine, postgresEngine } from "./engines.js";
import { INVARIANTS, type Invariant } from "./invariants.js";
import { drawScenario } from "./scenario.js";
import { simulate, type SimEngine, type SimResult } from "./simulation.js";
import { warmUp } from "./sim-server.js";
import { summarize, replayCommand } from "./report.js";

// The seeded simulation of the queue and the log (issue 19). Each seed draws an app (1-16 endpoints, concurrency,
// ordering keys, debounce/throttle routes), traffic (bursts, Hub re-deliveries), handler behaviour (latency, throws,
// NonRetryableError, hangs, handlers that ignore their signal), replays and bulk replays, crashes and SIGTERMs with
// restarts on the same log, partitions (the log stops answering a process for longer than the lease), and two
// processes on one log in some seeds; it runs against the real server, queue and
// engine in virtual time and checks the invariants of invariants.ts.
//
// SIM_SEED=n        one seed, every violation printed (the replay command a failure prints)
// SIM_SEEDS=n       how many SQLite seeds (default 500; SIM_SEEDS=20000 is the soak), from SIM_FIRST_SEED (default 1)
// SIM_PG_SEEDS=n    how many Postgres seeds (default 50)
// SIM_ENGINE=sqlite|postgres   one engine only
// SIM_STRICT=1      also fail on the invariants listed as known broken below
// SIM_TRACE=1       print every arrival, handler run, abort and queue tick (with SIM_SEED)
// SIM_PROFILE=1     print where each seed's real time went (start, store I/O, timers, checks)

/**
 * Invariants the queue is known to break: reported (with the first failing seed and its replay command) instead of
 * failing the suite. Empty since issue 19's fix. What the simulation found on the queue before it (seeds 1-500 on
 * SQLite, 1-50 on Postgres, December 2026):
 * - liveness: 263 and 30 seeds, first 1. Idle endpoints made a claim look short, so due work waited for the 5 s
 *   poll; a Deferred settle armed no wake-up, so a debounced delivery waited for the poll after its quiet period;
 *   after the log stalled (a partition), work that came due meanwhile waited for the poll (the claim's `now` was
 *   taken before the stall, and the wake-up only looked after the current time); and, with those fixed, seed 468:
 *   a Hub re-delivery of a delivery another process recorded and could not run was acknowledged as a duplicate
 *   without the receiving process (slot free) claiming it.
 * - concurrency: 14 and 4 seeds, first 2 (a hand-off took the slot a claim in flight counted on: one more than the
 *   limit).
 * Every other invariant held on all 550 seeds.
 */
export const KNOWN_BROKEN: readonly Invariant[] = [];

const single = process.env.SIM_SEED ? Number(process.env.SIM_SEED) : undefined;
const first = Number(process.env.SIM_FIRST_SEED ?? 1);
const sqliteSeeds = single !== undefined ? [single] : range(first, Number(process.env.SIM_SEEDS ?? 500));
const postgresSeeds = single !== undefined ? [single] : range(first, Number(process.env.SIM_PG_SEEDS ?? 50));
const strict = process.env.SIM_STRICT === "1" || single !== undefined;
const only = process.env.SIM_ENGINE;
const postgresUrl = inject("postgresUrl");

function range(from: number, count: number): number[] {
  return Array.from({ length: count }, (_, i) => from + i);
}

beforeAll(warmUp);

for (const [name, seeds, make] of [
  ["SQLite", sqliteSeeds, () => sqliteEngine()],
  ["Postgres", postgresSeeds, () => postgresEngine(postgresUrl)],
] as Array<[string, number[], () => SimEngine]>) {
  const skip = (only && only !== name.toLowerCase()) || (name === "Postgres" && !postgresUrl);
  describe.skipIf(skip)(`queue simulation on ${name} (${seeds.length === 1 ? `seed ${seeds[0]}` : `${seeds.length} seeds`})`, () => {
    const results: SimResult[] = [];
    let started = 0;
    beforeAll(async () => {
      const engine = make();
      started = performance.now();
      for (const seed of seeds) results.push(await simulate(drawScenario(seed), engine));
    }, Math.max(600_000, seeds.length * 2_000));
    afterAll(() => {
      console.log(summarize(name, results, performance.now() - started, single !== undefined));
    });

    it("every invariant holds on every seed (the known-broken ones aside)", () => {
      const allowed = new Set<Invariant>(strict ? [] : KNOWN_BROKEN);
      const failing = results.flatMap((r) => r.violations.filter((v) => !allowed.has(v.invariant)).map((v) =>
        `seed ${r.seed}: ${v.invariant} at ${v.at} ms: ${v.detail}\n  replay: ${replayCommand(r)}`));
      expect(failing).toEqual([]);
    });

    // Only while the list holds something: each known-broken invariant must still show (else empty the list).
    if (!strict && KNOWN_BROKEN.length > 0) {
      it.fails(`still broken: ${KNOWN_BROKEN.join(", ")} (empty KNOWN_BROKEN once fixed)`, () => {
        const broken = results.flatMap((r) => r.violations.filter((v) => KNOWN_BROKEN.includes(v.invariant)));
        expect(broken).toEqual([]);
      });
    }

    it("ran every seed to its end", () => {
      expect(results.map((r) => r.seed)).toEqual(seeds);
      expect(INVARIANTS.length).toBeGreaterThan(0);
    });
  });
}
