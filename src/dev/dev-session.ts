import { spawn, type ChildProcess } from "node:child_process";
import { fstatSync, statSync, type Stats } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { secretBanner } from "../server/banner.js";
import { watchDirectory, type DirectoryWatcher } from "./watch-directory.js";

/**
 * Options of {@link startDevSession}.
 * @example
 * const options: DevSessionOptions = {
 *   file: "/my/app/app.ts", serveArgs: ["--share", "--provider", "relay"], env: process.env, cwd: "/my/app",
 *   stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t),
 * };
 */
export interface DevSessionOptions {
  /** Absolute path of the user's module. */
  file: string;
  /** Arguments after `serve <file>`. */
  serveArgs: string[];
  /** Environment of the child (`HUBHOOKS_DEV_CHILD=1` is added). */
  env: Record<string, string | undefined>;
  cwd: string;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Keep the relay channel the first child prints (`Running on public URL:`) for the next ones. */
  keepRelayChannel?: boolean;
  /** Directory to watch (default: the file's directory). */
  watchDir?: string;
  /** Debounce of file changes (default 200 ms). */
  debounceMs?: number;
  /** How long a child may take to close after SIGTERM before it is killed (default 15 s). */
  stopTimeoutMs?: number;
  /** The CLI entry the child runs (default this package's `bin/hubhooks.js`). */
  binPath?: string;
  /**
   * File descriptors whose file (when redirected to one: `hubhooks dev app.ts > dev.out`) is never a change to
   * restart for, whatever its name (default: this process's stdout and stderr).
   */
  outputFds?: number[];
}

/** A running `hubhooks dev`. @example const session = startDevSession(options); await session.stop(); */
export interface DevSession {
  /** Resolves when the session has ended (after `stop()`), with the exit code for the CLI. */
  readonly done: Promise<number>;
  /** Stop the child gracefully (SIGTERM, wait) and end the session. A second call forces: SIGKILL. */
  stop(): Promise<number>;
  /** Restart the child now, as a file change would. */
  restart(reason?: string): Promise<void>;
}

const PUBLIC_URL_LINE = /Running on public URL:\s*(\S+)/;
// Said once per session: a reload does not change whether a secret is set.
const SECRET_WARNING = new Set(secretBanner(false));

/**
 * Run `hubhooks serve <file>` in a child process and restart it whenever a file in the module's directory changes.
 * The child runs in its own process group, so a terminal's Ctrl-C reaches it once, through `stop()`, and a forced
 * stop can kill what it started (a cloudflared binary) too.
 * @example
 * const session = startDevSession({ file, serveArgs: ["--share"], env: process.env, cwd, stdout, stderr });
 * process.once("SIGINT", () => void session.stop());
 * process.exitCode = await session.done;
 */
export function startDevSession(options: DevSessionOptions): DevSession {
  const binPath = options.binPath ?? fileURLToPath(new URL("../../bin/hubhooks.js", import.meta.url));
  const stopTimeoutMs = options.stopTimeoutMs ?? 15_000;
  const env: Record<string, string | undefined> = { ...options.env, HUBHOOKS_DEV_CHILD: "1" };
  const say = (line: string) => options.stdout(`[hubhooks dev] ${line}\n`);
  let child: ChildProcess | undefined;
  const stoppedOnPurpose = new WeakSet<ChildProcess>();
  let exited: Promise<void> = Promise.resolve();
  let stopping: Promise<number> | undefined;
  let forced = false;
  let restartChain: Promise<void> = Promise.resolve();
  let endSession!: (code: number) => void;
  const done = new Promise<number>((resolve) => (endSession = resolve));

  let started = 0;
  const spawnChild = () => {
    const reload = started++ > 0;
    const args = [binPath, "serve", options.file, ...options.serveArgs];
    const proc = spawn(process.execPath, args, {
      cwd: options.cwd,
      env: env as NodeJS.ProcessEnv,
      // The IPC channel is the child's lifeline: it closes when this process ends, however it ends (see serve.ts).
      stdio: ["ignore", "pipe", "pipe", "ipc"],
      detached: process.platform !== "win32",
    });
    child = proc;
    const drop = reload ? (line: string) => SECRET_WARNING.has(line) : undefined;
    proc.stdout!.on("data", lineScanner(options.stdout, (line) => capturePublicUrl(line), drop));
    proc.stderr!.on("data", (chunk: Buffer) => options.stderr(chunk.toString()));
    exited = new Promise<void>((resolve) => {
      proc.once("error", (error) => {
        say(`could not start the app: ${error.message}`);
        resolve();
      });
      proc.once("exit", (code, signal) => {
        if (child === proc) child = undefined;
        if (!stoppedOnPurpose.has(proc) && !stopping) {
          say(`app exited (${signal ?? `code ${code}`}); waiting for a file change to restart it (Ctrl-C to quit).`);
        }
        resolve();
      });
    });
  };

  const capturePublicUrl = (line: string) => {
    const match = options.keepRelayChannel && !env.HUBHOOKS_RELAY_CHANNEL ? PUBLIC_URL_LINE.exec(line) : null;
    if (!match || !URL.canParse(match[1])) return;
    const url = new URL(match[1]);
    url.search = "";
    url.hash = "";
    env.HUBHOOKS_RELAY_CHANNEL = url.toString().replace(/\/+$/, "");
    say(`reloads keep the relay channel ${env.HUBHOOKS_RELAY_CHANNEL} (set HUBHOOKS_RELAY_CHANNEL to it to keep it across sessions).`);
  };

  const stopChild = async () => {
    const current = child;
    if (!current || current.exitCode !== null || current.signalCode !== null) return exited;
    stoppedOnPurpose.add(current);
    current.kill("SIGTERM");
    const timer = setTimeout(() => {
      say(`app did not stop within ${stopTimeoutMs} ms; killing it.`);
      killGroup(current);
    }, stopTimeoutMs);
    await exited;
    clearTimeout(timer);
  };

  // Changes that arrive while a restart is queued join it: one restart, whatever the number of saves.
  let queued = false;
  const restart = (reason?: string): Promise<void> => {
    if (stopping || queued) return restartChain;
    queued = true;
    restartChain = restartChain.then(async () => {
      queued = false;
      if (stopping) return;
      if (reason) say(`${reason}, restarting…`);
      await stopChild();
      if (!stopping) spawnChild();
    });
    return restartChain;
  };

  const watchDir = options.watchDir ?? dirname(options.file);
  const outputs = (options.outputFds ?? [1, 2]).map(fileOfDescriptor).filter((stats) => stats !== undefined);
  const isOutput = (path: string) => outputs.length > 0 && outputs.some((o) => sameFile(o, path));
  const watcher: DirectoryWatcher = watchDirectory(
    watchDir,
    (file) => void restart(`${relative(options.cwd, join(watchDir, file)) || file} changed`),
    { debounceMs: options.debounceMs, ignore: isOutput, onError: (error) => say(`file watching failed: ${error.message}`) },
  );
  // The child has its own process group, so it would outlive a parent that dies without stop(): take it along.
  const onParentExit = () => {
    if (child && child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
  };
  process.once("exit", onParentExit);

  const stop = (): Promise<number> => {
    if (stopping) {
      if (!forced && child) {
        forced = true;
        say("forcing the app to stop.");
        killGroup(child);
      }
      return stopping;
    }
    stopping = (async () => {
      watcher.close();
      await restartChain;
      await stopChild();
      process.off("exit", onParentExit);
      endSession(0);
      return 0;
    })();
    return stopping;
  };

  spawnChild();
  return { done, stop, restart: (reason) => restart(reason) };
}

/**
 * Forward output as it comes (colours, partial lines) while handing complete lines to `onLine`. With `drop`,
 * output goes out line by line instead, without the lines `drop` picks.
 */
function lineScanner(write: (text: string) => void, onLine: (line: string) => void, drop?: (line: string) => boolean): (chunk: Buffer) => void {
  let pending = "";
  return (chunk) => {
    const text = chunk.toString();
    if (!drop) write(text);
    const lines = (pending + text).split("\n");
    pending = lines.pop() ?? "";
    // A line without a newline is kept only up to a bound: the URL line is short.
    if (pending.length > 4096) {
      if (drop) write(pending);
      pending = "";
    }
    for (const line of lines) {
      if (drop && !drop(line)) write(`${line}\n`);
      onLine(line);
    }
  };
}

/** The regular file a descriptor writes to, if it is one (a shell redirection), else undefined (a TTY, a pipe). */
function fileOfDescriptor(fd: number): Stats | undefined {
  try {
    const stats = fstatSync(fd);
    return stats.isFile() ? stats : undefined;
  } catch {
    return undefined;
  }
}

function sameFile(stats: Stats, path: string): boolean {
  try {
    const other = statSync(path);
    return other.ino === stats.ino && other.dev === stats.dev;
  } catch {
    return false;
  }
}

function killGroup(child: ChildProcess): void {
  try {
    if (child.pid !== undefined && process.platform !== "win32") process.kill(-child.pid, "SIGKILL");
    else child.kill("SIGKILL");
  } catch {
    // already gone
  }
}
