// The ceiling rows of `npm run bench` (issue 20): hubhooks against the least a server doing the same job does, on
// the same machine IN THE SAME RUN, as ratios. Each round starts every server in turn (a fresh process, and for the
// durable ones a fresh database file or schema), warms it up, loads it for BENCH_CEILING_SECONDS, and stops it;
// rounds are interleaved (A B C … A B C …) so a noisy neighbour hits every server alike, and each ratio is taken
// within a round (hubhooks ÷ its twin, both measured minutes apart at most) before the median over the rounds.
//
//   bare node:http          ÷  hubhooks database: false (inline)           goal ≥ 0.6
//   ceiling SQLite result   ÷  hubhooks "result" (SQLite, the default)     goal ≥ 0.75
//   ceiling SQLite accepted ÷  hubhooks "accepted" (SQLite)                goal ≥ 0.75
//   ceiling Postgres result ÷  hubhooks "result" on Postgres              goal ≥ 0.6
//
// The ceilings are bench/servers/ceiling-sqlite.js and ceiling-postgres.js (hubhooks' own table and indexes, group
// commit, the same durability, the same answer semantics). CPU µs per request is the server's own (/proc), RSS is
// read after the loaded run.
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { runLoad } from "./load.js";
import { spawnServer } from "./spawn-server.js";
import { startPostgres } from "./postgres.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const script = (name) => join(ROOT, "bench/servers", name);
const SECRET = "bench-secret";

const median = (values) => {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  return sorted.length ? sorted[Math.floor((sorted.length - 1) / 2)] : NaN;
};
const fixed = (n, d = 0) => (Number.isFinite(n) ? n.toFixed(d) : "n/a");
const thousands = (n) => (Number.isFinite(n) ? Math.round(n).toLocaleString("en-US") : "n/a");
const range = (values, f) => {
  const ok = values.filter(Number.isFinite);
  return ok.length ? `${f(Math.min(...ok))} – ${f(Math.max(...ok))}` : "n/a";
};
const errorLine = (error) => String(error?.stack ?? error).split("\n").slice(0, 3).join(" / ");

/**
 * Run the ceiling rounds and print their table; returns the median ratios by goal key.
 * @example
 * await runCeiling({ body, rounds: 3, seconds: 5, connections: 16, logLevel: "info", dir, postgres: true });
 * @param {{ body: Buffer, rounds: number, seconds: number, warmupSeconds: number, connections: number,
 *   logLevel: string, dir: string, postgres: boolean, beforeDist?: string }} o
 */
export async function runCeiling(o) {
  let dbNo = 0;
  const db = () => join(o.dir, `ceiling-${++dbNo}.db`);
  let schemaNo = 0;
  const schema = (tag) => `c_${tag}_${++schemaNo}`;
  // Each hubhooks variant runs right after its twin: the pair's ratio sees the same neighbours.
  const servers = [
    { key: "ceilResult", name: "minimal durable SQLite, result (insert + settle)", script: script("ceiling-sqlite.js"), args: () => ["result", db()] },
    { key: "result", name: "hubhooks result (SQLite, default)", script: script("hubhooks.js"), args: () => ["result", db(), o.logLevel] },
    { key: "ceilAccepted", name: "minimal durable SQLite, accepted (insert)", script: script("ceiling-sqlite.js"), args: () => ["accepted", db()] },
    { key: "accepted", name: "hubhooks accepted (SQLite)", script: script("hubhooks.js"), args: () => ["accepted", db(), o.logLevel] },
    { key: "bare", name: "bare node:http (secret, JSON.parse, JSON answer)", script: script("baseline.js"), args: () => [] },
    { key: "inline", name: "hubhooks database: false (inline)", script: script("hubhooks.js"), args: () => ["inline", "", o.logLevel] },
  ];
  // BENCH_BEFORE_DIST: the same hubhooks rows from an earlier build, each right after the current one (before/after
  // in one run, against the same twins).
  if (o.beforeDist) {
    for (const key of ["inline", "accepted", "result"]) {
      const at = servers.findIndex((s) => s.key === key);
      const current = servers[at];
      servers.splice(at + 1, 0, {
        ...current, key: `${key}Before`, name: `${current.name}, before`,
        args: () => [...current.args(), "", o.beforeDist], // "": no Postgres schema
      });
    }
  }
  let cluster;
  if (o.postgres) {
    cluster = await startPostgres();
    if (cluster.unavailable) {
      console.log(`(Postgres rows skipped: ${cluster.unavailable})`);
      cluster = undefined;
    } else {
      servers.push(
        { key: "pgCeilResult", name: "minimal durable Postgres, result (pg pool)", script: script("ceiling-postgres.js"), args: () => ["result", cluster.url, schema("ceil")] },
        { key: "pgResult", name: "hubhooks result (Postgres)", script: script("hubhooks.js"), args: () => ["result", cluster.url, o.logLevel, schema("hub")] },
      );
      if (o.beforeDist) {
        servers.push({
          key: "pgResultBefore", name: "hubhooks result (Postgres), before", script: script("hubhooks.js"),
          args: () => ["result", cluster.url, o.logLevel, schema("hubb"), o.beforeDist],
        });
      }
    }
  }
  const runs = Object.fromEntries(servers.map((s) => [s.key, []]));
  const notes = [];
  try {
    for (let round = 0; round < o.rounds; round++) {
      for (const s of servers) {
        let server;
        try {
          server = await spawnServer(s.script, s.args());
          const idleRss = server.rss();
          const tag = `${s.key}-${round}-${Date.now().toString(36)}`;
          const load = (seconds, phase) => runLoad({
            url: server.info.url, body: o.body, connections: o.connections, requests: 10_000_000, maxSeconds: seconds,
            headers: { "X-Webhook-Secret": SECRET }, idPrefix: `${tag}-${phase}-`,
          });
          await load(o.warmupSeconds, "warm");
          const cpuBefore = server.cpuSeconds();
          const main = await load(o.seconds, "run");
          const cpu = server.cpuSeconds() - cpuBefore;
          const ok = Object.entries(main.statuses).every(([status]) => status === "200" || status === "202") && main.errors === 0;
          if (!ok) notes.push(`${s.name}, round ${round + 1}: ${JSON.stringify(main.statuses)} errors ${main.errors}`);
          runs[s.key].push({
            rps: main.rps, cpuUs: (cpu / main.completed) * 1e6, rss: server.rss(), idleRss, readyMs: server.readyMs,
            p50: main.p50, p99: main.p99,
          });
          if (server.exitStatus()) notes.push(`${s.name}, round ${round + 1}: exited (${server.exitStatus()})`);
        } catch (error) {
          notes.push(`${s.name}, round ${round + 1}: failed: ${errorLine(error)}`);
          runs[s.key].push({});
        } finally {
          await server?.stop();
        }
      }
    }
  } finally {
    cluster?.stop();
  }

  const mb = (bytes) => `${fixed(bytes / 1024 / 1024)} MB`;
  console.log("| server | req/s (median; range) | CPU µs/req | p50 / p99 | RSS idle → under load | ready |\n|---|---:|---:|---:|---:|---:|");
  for (const s of servers) {
    const r = runs[s.key];
    const pick = (f) => r.map(f);
    console.log(
      `| ${s.name} | ${thousands(median(pick((x) => x.rps)))} (${range(pick((x) => x.rps), thousands)}) | ` +
        `${fixed(median(pick((x) => x.cpuUs)))} | ${fixed(median(pick((x) => x.p50)), 2)} / ${fixed(median(pick((x) => x.p99)), 1)} ms | ` +
        `${mb(median(pick((x) => x.idleRss)))} → ${mb(median(pick((x) => x.rss)))} | ${fixed(median(pick((x) => x.readyMs)))} ms |`,
    );
  }
  const goals = [
    ["result", "ceilResult", "hubhooks result ÷ minimal durable SQLite result", 0.75],
    ["accepted", "ceilAccepted", "hubhooks accepted ÷ minimal durable SQLite accepted", 0.75],
    ["inline", "bare", "hubhooks inline ÷ bare node:http", 0.6],
    ["pgResult", "pgCeilResult", "hubhooks result on Postgres ÷ minimal durable Postgres result", 0.6],
  ];
  if (o.beforeDist) {
    for (const [a, b, label, goal] of [...goals]) goals.push([`${a}Before`, b, `${label}, before`, goal]);
  }
  const ratios = {};
  const cpuRatios = {};
  console.log(
    `\nratios (within each round, median of ${o.rounds}; "CPU" is the twin's CPU µs per request ÷ hubhooks', the ` +
      "req/s ratio a server would reach with a core of its own, steadier than req/s on a shared machine):\n" +
      "| ratio | req/s | per round | CPU | goal |\n|---|---:|---|---:|---|",
  );
  for (const [a, b, label, goal] of goals) {
    if (!runs[a] || !runs[b]) continue;
    const per = runs[a].map((x, i) => x.rps / runs[b][i]?.rps);
    ratios[a] = median(per);
    cpuRatios[a] = median(runs[a].map((x, i) => runs[b][i]?.cpuUs / x.cpuUs));
    console.log(
      `| ${label} | **${fixed(ratios[a], 2)}** | ${per.map((v) => fixed(v, 2)).join(" / ")} | ${fixed(cpuRatios[a], 2)} | ` +
        `≥ ${goal} ${ratios[a] >= goal ? "met" : "NOT met"} |`,
    );
  }
  for (const note of notes) console.log(`- ${note}`);
  return { runs, ratios, cpuRatios };
}
