import { INVARIANTS } from "./invariants.js";
import type { SimResult } from "./simulation.js";

/** The one line that replays a seed. */
export function replayCommand(result: Pick<SimResult, "seed" | "engine">): string {
  return `SIM_SEED=${result.seed}${result.engine === "postgres" ? " SIM_ENGINE=postgres" : " SIM_ENGINE=sqlite"} npm run test:sim`;
}

/** Per invariant: how many seeds broke it, the first one, its first violation and how to replay it. */
export function summarize(engine: string, results: SimResult[], ms: number, verbose: boolean): string {
  const lines = [`[sim] ${engine}: ${results.length} seeds in ${(ms / 1000).toFixed(1)} s`];
  const total = results.reduce(
    (t, r) => ({
      deliveries: t.deliveries + r.stats.deliveries, attempts: t.attempts + r.stats.attempts, crashes: t.crashes + r.stats.crashes + r.stats.stops,
      freezes: t.freezes + r.stats.freezes, lostLeases: t.lostLeases + r.stats.lostLeases, timers: t.timers + r.stats.timers,
    }),
    { deliveries: 0, attempts: 0, crashes: 0, freezes: 0, lostLeases: 0, timers: 0 },
  );
  lines.push(`[sim]   ${total.deliveries} deliveries, ${total.attempts} handler runs, ${total.crashes} crashes/stops, ${total.freezes} partitions, ${total.lostLeases} finished attempts taken over after their worker lost the log (their settles refused or never written), ${total.timers} timers fired`);
  for (const invariant of INVARIANTS) {
    const failing = results.filter((r) => r.violations.some((v) => v.invariant === invariant));
    if (failing.length === 0) continue;
    const first = failing[0]!;
    const v = first.violations.find((x) => x.invariant === invariant)!;
    lines.push(`[sim]   ${invariant}: ${failing.length} seeds, first ${first.seed} (at ${v.at} ms: ${v.detail}) → ${replayCommand(first)}`);
    lines.push(`[sim]     seeds: ${failing.slice(0, 30).map((r) => r.seed).join(" ")}${failing.length > 30 ? " …" : ""}`);
  }
  if (verbose) {
    for (const r of results) {
      lines.push(`[sim] seed ${r.seed}: ${JSON.stringify(r.stats)}`);
      for (const v of r.violations) lines.push(`[sim]   ${v.invariant} at ${v.at} ms: ${v.detail}`);
    }
  }
  return lines.join("\n");
}
