/**
 * Run the BUILT CLI (`node bin/hubhooks.js …`, i.e. dist/) as a real subprocess. Build first:
 * `npx tsc -p tsconfig.build.json` (`npm test` does). Always asynchronous, so a server living in the test
 * process keeps answering while the CLI talks to it.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

export const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));
export const BIN = fileURLToPath(new URL("../../bin/hubhooks.js", import.meta.url));

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface RunCliOptions {
  /** Extra environment; the child gets only PATH, HOME and these (no HF_TOKEN or secrets from the machine). */
  env?: Record<string, string | undefined>;
  cwd?: string;
  /** Written to stdin, then stdin is closed; without it stdin is closed at once (not a TTY). */
  input?: string;
}

/** The minimal environment a child starts with, so the machine's variables never leak into a test. */
export function baseEnv(extra: Record<string, string | undefined> = {}): Record<string, string> {
  const env: Record<string, string | undefined> = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    LOG_LEVEL: "warn",
    NO_COLOR: "1",
    ...extra,
  };
  return Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined));
}

function assertBuilt(): void {
  if (!existsSync(new URL("../../dist/cli/main.js", import.meta.url))) {
    throw new Error("dist/ is missing: run `npx tsc -p tsconfig.build.json` (npm test builds first)");
  }
}

/**
 * Run `hubhooks <args>` to completion.
 * @example
 * const { code, stdout } = await runCli(["trigger", "--list"]);
 */
export function runCli(args: string[], options: RunCliOptions = {}): Promise<CliResult> {
  assertBuilt();
  return runProcess(process.execPath, [BIN, ...args], options);
}

/** Run any command to completion with the minimal environment (used for `script`, `npx`). */
export function runProcess(command: string, args: string[], options: RunCliOptions = {}): Promise<CliResult> {
  const child = spawn(command, args, { cwd: options.cwd ?? REPO_ROOT, env: baseEnv(options.env), stdio: "pipe" });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
  child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
  // A command that never reads stdin (git, a shell step) may exit before the write: not an error of the test's.
  child.stdin.on("error", () => {});
  child.stdin.end(options.input ?? "");
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (code) => resolve({ code, stdout, stderr }));
  });
}

export interface RunningCli {
  child: ChildProcess;
  /** The local URL the server printed (`Running on local URL:  …`). */
  url: string;
  output: () => { stdout: string; stderr: string };
  /** SIGTERM to the process group, then wait until every process in it has let go of the output pipes. */
  stop(): Promise<number | null>;
}

/**
 * Start a long-running command (`hubhooks serve …`) and resolve once it has printed its local URL and the
 * end of the ready banner.
 * Rejects with its output if it exits first.
 * @example
 * const server = await startCli(process.execPath, [BIN, "serve", "app.ts", "--port", "0"], { cwd });
 */
export function startCli(command: string, args: string[], options: RunCliOptions = {}): Promise<RunningCli> {
  // Its own process group: `npx` does not pass SIGTERM on to the server it runs, so stop() signals the group.
  const child = spawn(command, args, { cwd: options.cwd ?? REPO_ROOT, env: baseEnv(options.env), stdio: "pipe", detached: true });
  let stdout = "";
  let stderr = "";
  // "close" waits for every process holding the pipes (a grandchild server too) to be gone.
  const exited = new Promise<number | null>((resolve) => child.once("close", (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.stdout!.setEncoding("utf8").on("data", (d: string) => {
      stdout += d;
      const match = /Running on local URL: +(http:\/\/\S+)/.exec(stdout);
      // The banner's last line: printed in the same tick as the signal handlers are installed.
      if (match && stdout.includes("Go to https://huggingface.co/settings/webhooks")) {
        resolve({
          child,
          url: match[1]!,
          output: () => ({ stdout, stderr }),
          stop: async () => {
            try {
              process.kill(-child.pid!, "SIGTERM");
            } catch {
              // the group is already gone
            }
            return exited;
          },
        });
      }
    });
    child.stderr!.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    void exited.then((code) => reject(new Error(`exited with ${code} before listening\nstdout:\n${stdout}\nstderr:\n${stderr}`)));
  });
}

/**
 * Run `hubhooks <args>` in THIS process through `main(argv, io)` (src/cli/main.ts), with the same minimal environment,
 * working directory and stdin as runCli: the behaviour tests use it, one runCli per command stays the subprocess
 * smoke test. `terminal: true` makes stdin a TTY (what `script` gives a subprocess).
 * @example
 * const { code, stdout } = await runMain(["trigger", "--list"]);
 */
export async function runMain(args: string[], options: RunCliOptions & { terminal?: boolean } = {}): Promise<CliResult> {
  const { main } = await import("../../src/cli/main.js");
  const { Readable } = await import("node:stream");
  let stdout = "";
  let stderr = "";
  const stdin = Object.assign(Readable.from([options.input ?? ""]), { isTTY: options.terminal === true });
  const io = {
    stdout: (t: string) => void (stdout += t),
    stderr: (t: string) => void (stderr += t),
    env: baseEnv(options.env),
    cwd: options.cwd ?? REPO_ROOT,
    stdin,
  };
  const code = await main(args, io);
  return { code, stdout, stderr };
}
