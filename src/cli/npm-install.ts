import { spawn } from "node:child_process";
import type { CliIo } from "./main.js";

/**
 * Run `npm install` in a new scaffold, its output on the CLI's stderr (stdout stays the summary a script reads).
 * Why init does this itself: the Space's Dockerfile installs with `npm ci`, which refuses to run without the
 * `package-lock.json` that only an install writes; a scaffold pushed as generated must build.
 * Fails with one line naming what to do, the files being written already.
 * @example
 * await npmInstall("/tmp/my-space", "my-space", io);
 */
export async function npmInstall(dir: string, shownDir: string, io: CliIo): Promise<void> {
  // The npm that runs this CLI (`npx hubhooks`, `npm exec`) when there is one, else the one on PATH.
  const npmCli = io.env.npm_execpath?.endsWith("npm-cli.js") ? io.env.npm_execpath : undefined;
  const [command, args] = npmCli ? [process.execPath, [npmCli, "install"]] : ["npm", ["install"]];
  io.stderr(`Running npm install in ${shownDir} (it writes package-lock.json, which the Space's npm ci needs)…\n`);
  let tail = "";
  const code = await new Promise<number | string>((resolve) => {
    const child = spawn(command, args, {
      cwd: dir,
      env: { ...io.env, npm_config_fund: "false", npm_config_update_notifier: "false" } as NodeJS.ProcessEnv,
      stdio: ["ignore", "pipe", "pipe"],
      shell: process.platform === "win32" && !npmCli,
    });
    const forward = (chunk: Buffer) => {
      const text = chunk.toString("utf8");
      io.stderr(text);
      tail = (tail + text).slice(-2000);
    };
    child.stdout.on("data", forward);
    child.stderr.on("data", forward);
    child.once("error", (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
    child.once("close", (exit) => resolve(exit ?? 1));
  });
  if (code === 0) return;
  const reason = typeof code === "string" ? `npm could not be started (${code})` : `npm exited with ${code}: ${lastErrorLine(tail)}`;
  // A CLI failure, not a library error: main() prints it as the one `hubhooks: …` line.
  throw new Error(
    `npm install failed in ${shownDir}, ${reason}. The files are written: run npm install there before the first commit ` +
      "(the Space builds with npm ci from package-lock.json), or pass --no-install",
  );
}

// npm ends a failure with `npm error …` lines: code, syscall, path and errno first, then the sentence that says
// what went wrong (`enoent ENOENT: no such file…`, `network request to … failed`, `404 Not Found - GET …`).
function lastErrorLine(output: string): string {
  const lines = output.split("\n").map((l) => l.trim()).filter(Boolean);
  const errors = lines
    .filter((l) => /^npm (error|ERR!)/.test(l))
    .map((l) => l.replace(/^npm (error|ERR!)\s*/, ""))
    .filter((l) => l && !/^(code|syscall|path|errno|A complete log|Log files)\b/.test(l));
  return (errors[0] ?? lines.at(-1) ?? "no output").replace(/^[a-z]+ (?=[A-Z]{3,}\b)/, "");
}
