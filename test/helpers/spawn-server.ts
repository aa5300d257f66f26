import { spawn } from "node:child_process";

/**
 * Start `node <args>` (a real subprocess) with PORT=0 and an in-memory log, wait for the ready banner, run `check`
 * with the local base URL, then stop it with SIGTERM and wait for it to exit.
 */
export async function withServerProcess(
  args: string[],
  check: (base: string, output: () => string) => Promise<void>,
  options: { cwd?: string; env?: Record<string, string> } = {},
): Promise<{ code: number | null; out: string }> {
  const child = spawn(process.execPath, args, {
    cwd: options.cwd,
    env: { PATH: process.env.PATH, PORT: "0", LOG_LEVEL: "silent", HUBHOOKS_DATABASE: ":memory:", ...options.env },
  });
  let out = "";
  child.stdout.on("data", (d) => (out += d));
  child.stderr.on("data", (d) => (out += d));
  const exited = new Promise<number | null>((r) => child.on("exit", (code) => r(code)));
  try {
    const base = await new Promise<string>((resolve, reject) => {
      child.stdout.on("data", () => {
        const m = out.match(/Running on local URL: {2}(\S+)/);
        if (m && out.includes("to setup your webhooks.")) resolve(m[1]!);
      });
      void exited.then((code) => reject(new Error(`exited ${code}: ${out}`)));
    });
    await check(base, () => out);
  } finally {
    child.kill("SIGTERM");
  }
  return { code: await exited, out };
}
