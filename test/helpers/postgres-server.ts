// A throwaway PostgreSQL cluster for the tests: Debian's `postgresql` binaries (installed by .ci/run), a fresh data
// directory, a free port on loopback, trust authentication. Postgres refuses to run as root, so as root the cluster
// runs as the `postgres` user. No server binaries → `startPostgres()` resolves to undefined with the reason.
import { execFileSync, spawnSync } from "node:child_process";
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface PostgresCluster {
  url: string;
  stop(): void;
}

/** Where Debian puts the server binaries (`/usr/lib/postgresql/<version>/bin`), newest version first. */
export function postgresBinDir(): string | undefined {
  const root = "/usr/lib/postgresql";
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root).filter((v) => existsSync(join(root, v, "bin", "initdb")));
  versions.sort((a, b) => Number(b) - Number(a));
  return versions[0] ? join(root, versions[0], "bin") : undefined;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Start a cluster, or say why not. */
export async function startPostgres(): Promise<PostgresCluster | { unavailable: string }> {
  const bin = postgresBinDir();
  if (!bin) return { unavailable: "no PostgreSQL server binaries under /usr/lib/postgresql (apt-get install postgresql)" };
  const asRoot = process.getuid?.() === 0;
  const dir = mkdtempSync(join(tmpdir(), "hubhooks-pg-"));
  const data = join(dir, "data");
  let uid: number | undefined;
  let gid: number | undefined;
  if (asRoot) {
    const id = spawnSync("id", ["-u", "postgres"], { encoding: "utf8" });
    if (id.status !== 0) return { unavailable: "running as root and there is no postgres user to run the server as" };
    uid = Number(id.stdout.trim());
    gid = Number(spawnSync("id", ["-g", "postgres"], { encoding: "utf8" }).stdout.trim());
    chownSync(dir, uid, gid);
    chmodSync(dir, 0o700);
  }
  const run = (file: string, args: string[]) =>
    execFileSync(join(bin, file), args, { stdio: "pipe", ...(asRoot ? { uid, gid } : {}), env: { ...process.env, LC_ALL: "C" } });
  const port = await freePort();
  run("initdb", ["-D", data, "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8"]);
  run("pg_ctl", [
    "-D", data, "-l", join(dir, "server.log"), "-w", "-t", "30", "-o",
    `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`, "start",
  ]);
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    stop() {
      try {
        run("pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"]);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
