// Start a bench server script in a child `node` process and time it until its ready line.
import { spawn } from "node:child_process";
import { closeSync, mkdirSync, openSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";

const READY_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 15_000;
let serverNo = 0;

/**
 * Spawn `node <script> ...args`; resolves once it printed both its `- POST <url>` banner line (the moment
 * `readyMs` is taken, from just before spawn) and its `BENCH {json}` line. `stop()` sends SIGTERM and waits
 * (SIGKILL after 15 s). The child's stderr (its logs) goes to /dev/null, or with BENCH_SERVER_LOGS=<dir> to a file
 * there (for debugging a server that dies; writing the logs to a file costs the server a little).
 * @example
 * const server = await spawnServer("bench/servers/baseline.js", []);
 * console.log(server.readyMs, server.info.url); await server.stop();
 * @param {string} script
 * @param {string[]} args
 */
export async function spawnServer(script, args) {
  const started = performance.now();
  const logDir = process.env.BENCH_SERVER_LOGS; // debugging: keep each server's stderr (its logs) in this directory
  let stderr = "ignore";
  if (logDir) {
    mkdirSync(logDir, { recursive: true });
    stderr = openSync(join(logDir, `${basename(script, ".js")}-${++serverNo}-${process.pid}.log`), "w");
  }
  const child = spawn(process.execPath, [script, ...args], { stdio: ["ignore", "pipe", stderr] });
  if (typeof stderr === "number") closeSync(stderr);
  let exitStatus = null;
  const exited = new Promise((resolve) => child.once("exit", (code, signal) => resolve((exitStatus = signal ?? `code ${code}`))));
  const { readyMs, info } = await new Promise((resolve, reject) => {
    let stdout = "";
    let readyMs;
    const timer = setTimeout(() => fail(new Error(`${script} not ready after ${READY_TIMEOUT_MS} ms`)), READY_TIMEOUT_MS);
    const fail = (error) => {
      clearTimeout(timer);
      child.kill("SIGKILL");
      reject(error);
    };
    child.stdout.on("data", (chunk) => {
      stdout += chunk.toString();
      if (readyMs === undefined && /^\s*- POST \S+$/m.test(stdout)) readyMs = performance.now() - started;
      const match = /^BENCH (\{.*\})$/m.exec(stdout);
      if (match && readyMs !== undefined) {
        clearTimeout(timer);
        child.stdout.resume(); // keep draining the pipe, never block the child
        resolve({ readyMs, info: JSON.parse(match[1]) });
      }
    });
    child.once("exit", (code, signal) => fail(new Error(`${script} exited (${code ?? signal}) before ready:\n${stdout}`)));
  });
  return {
    pid: child.pid,
    readyMs,
    info,
    /** Resident set size from /proc (Linux), else what the child reported at ready. */
    rss: () => vmRss(child.pid) ?? info.rss,
    /** CPU seconds (user + system) the child has used so far, from /proc (Linux); NaN elsewhere. */
    cpuSeconds: () => cpuSeconds(child.pid),
    /** null while the child runs, else how it ended ("code 1", "SIGTERM", ...). */
    exitStatus: () => exitStatus,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), STOP_TIMEOUT_MS);
      await exited;
      clearTimeout(timer);
    },
  };
}

function vmRss(pid) {
  try {
    const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return match ? Number(match[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

const CLOCK_TICKS_PER_SECOND = 100; // USER_HZ: 100 on every Linux build Node supports

function cpuSeconds(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" "); // after "pid (comm) ": state is field 3
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND; // utime, stime (fields 14, 15)
  } catch {
    return NaN;
  }
}
