// Start a bench server script in a child `node` process and time it until its ready line.
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";

const READY_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 15_000;

/**
 * Spawn `node <script> ...args`; resolves once it printed both its `- POST <url>` banner line (the moment
 * `readyMs` is taken, from just before spawn) and its `BENCH {json}` line. `stop()` sends SIGTERM and waits
 * (SIGKILL after 15 s).
 * @example
 * const server = await spawnServer("bench/servers/baseline.js", []);
 * console.log(server.readyMs, server.info.url); await server.stop();
 * @param {string} script
 * @param {string[]} args
 */
export async function spawnServer(script, args) {
  const started = performance.now();
  const child = spawn(process.execPath, [script, ...args], { stdio: ["ignore", "pipe", "ignore"] });
  const exited = new Promise((resolve) => child.once("exit", resolve));
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
