// A throwaway PostgreSQL cluster for the bench (the few lines of test/helpers/postgres-server.ts it needs, in plain
// JS): Debian's server binaries, a fresh data directory in the OS temp directory, a free loopback port, trust
// authentication; as root the cluster runs as the `postgres` user. Unlike the tests' cluster it keeps Postgres'
// durability defaults (fsync on, synchronous_commit on): the bench compares stacks that commit before their 2xx.
import { execFileSync, spawnSync } from "node:child_process";
import { chmodSync, chownSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import os from "node:os";
import { join } from "node:path";

/** Where Debian puts the server binaries (`/usr/lib/postgresql/<version>/bin`), newest version first. */
export function postgresBinDir() {
  const root = "/usr/lib/postgresql";
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root).filter((v) => existsSync(join(root, v, "bin", "initdb")) && existsSync(join(root, v, "bin", "pg_ctl")));
  versions.sort((a, b) => Number(b) - Number(a));
  return versions[0] ? join(root, versions[0], "bin") : undefined;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * Start a cluster, or say why not: `{ url, version, stop() }` or `{ unavailable: reason }`. `stop()` is
 * idempotent and synchronous (it can run in a `finally` or an exit handler).
 * @example
 * const pg = await startPostgres();
 * if (pg.unavailable) console.log(pg.unavailable); else try { ... pg.url ... } finally { pg.stop(); }
 * @param {{ settings?: Record<string, string | number> }} [options] extra `-c name=value` server settings
 */
export async function startPostgres({ settings = {} } = {}) {
  const bin = postgresBinDir();
  if (!bin) return { unavailable: "no PostgreSQL server binaries under /usr/lib/postgresql (apt-get install postgresql)" };
  const asRoot = process.getuid?.() === 0;
  let uid;
  let gid;
  if (asRoot) {
    const id = spawnSync("id", ["-u", "postgres"], { encoding: "utf8" });
    if (id.status !== 0) return { unavailable: "running as root and there is no postgres user to run the server as" };
    uid = Number(id.stdout.trim());
    gid = Number(spawnSync("id", ["-g", "postgres"], { encoding: "utf8" }).stdout.trim());
  }
  const dir = mkdtempSync(join(os.tmpdir(), "hubhooks-bench-pg-"));
  if (asRoot) {
    chownSync(dir, uid, gid);
    chmodSync(dir, 0o700);
  }
  const data = join(dir, "data");
  const run = (file, args) =>
    execFileSync(join(bin, file), args, {
      stdio: "pipe", timeout: 60_000, ...(asRoot ? { uid, gid } : {}), env: { ...process.env, LC_ALL: "C" },
    });
  let started = false;
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    try {
      if (started) run("pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"]);
    } catch {
      /* already gone */
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
  try {
    const port = await freePort();
    run("initdb", ["-D", data, "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8"]);
    const extra = Object.entries({ max_connections: 200, ...settings }).map(([k, v]) => `-c ${k}=${v}`).join(" ");
    run("pg_ctl", ["-D", data, "-l", join(dir, "server.log"), "-w", "-t", "30", "-o",
      `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 ${extra}`, "start"]);
    started = true;
    const version = execFileSync(join(bin, "postgres"), ["--version"], { encoding: "utf8" }).trim();
    const postmaster = Number(readFileSync(join(data, "postmaster.pid"), "utf8").split("\n")[0]);
    return {
      url: `postgres://postgres@127.0.0.1:${port}/postgres`, port, version, stop,
      /** CPU seconds the whole cluster has used so far (postmaster, live backends, and those that exited). */
      cpuSeconds: () => clusterCpuSeconds(postmaster),
    };
  } catch (error) {
    stop();
    return { unavailable: `the cluster did not start: ${String(error?.stderr || error?.message || error).trim().split("\n")[0]}` };
  }
}

const CLOCK_TICKS_PER_SECOND = 100; // USER_HZ

/** The postmaster's own and its reaped children's CPU time, plus its live children's (Linux /proc); NaN elsewhere. */
function clusterCpuSeconds(postmaster) {
  const fields = (pid) => {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" "); // from field 3 (state) on
  };
  try {
    const own = fields(postmaster);
    let ticks = Number(own[11]) + Number(own[12]) + Number(own[13]) + Number(own[14]); // utime stime cutime cstime
    for (const entry of readdirSync("/proc")) {
      if (!/^\d+$/.test(entry) || Number(entry) === postmaster) continue;
      try {
        const f = fields(entry);
        if (Number(f[1]) === postmaster) ticks += Number(f[11]) + Number(f[12]);
      } catch {
        /* exited meanwhile */
      }
    }
    return ticks / CLOCK_TICKS_PER_SECOND;
  } catch {
    return NaN;
  }
}

/** `url` with its database name replaced. */
export function withDatabase(url, database) {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}
