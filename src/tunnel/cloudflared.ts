import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { createInterface } from "node:readline";
import { HubhooksError } from "../errors.js";
import { findExecutable } from "./find-executable.js";
import type { Tunnel, TunnelOpenOptions, TunnelProvider } from "./types.js";
import { joinUrlPath } from "./join-url-path.js";

/**
 * Options of the cloudflared quick tunnel. All optional.
 * @example
 * cloudflaredProvider({ command: "/opt/bin/cloudflared" });
 */
export interface CloudflaredProviderOptions {
  /** Binary name or path (default `cloudflared`, looked up on `PATH`). */
  command?: string;
  /** Environment of the lookup and of the child (default `process.env`, read when opening). */
  env?: NodeJS.ProcessEnv;
  /** Bound on waiting for the public URL (default 30 s). */
  startTimeoutMs?: number;
  /** After the URL, how long to wait for "Registered tunnel connection" before going on anyway (default 10 s). */
  registerTimeoutMs?: number;
  /** After SIGTERM on close, how long before SIGKILL (default 5 s). */
  stopTimeoutMs?: number;
}

/** Defaults of {@link CloudflaredProviderOptions}. */
export const CLOUDFLARED_DEFAULTS = {
  command: "cloudflared",
  startTimeoutMs: 30_000,
  registerTimeoutMs: 10_000,
  stopTimeoutMs: 5_000,
} as const;

const QUICK_TUNNEL_URL = /https:\/\/[a-z0-9-]+\.trycloudflare\.com/i;
const REGISTERED = /Registered tunnel connection/i;

/**
 * A Cloudflare quick tunnel: runs `cloudflared tunnel --no-autoupdate --url <localUrl>` (no account needed) and
 * reads the `https://*.trycloudflare.com` URL from its output. Available only when the binary is on PATH.
 * @example
 * const tunnel = await cloudflaredProvider().open({ localUrl: "http://127.0.0.1:7860", logger });
 * tunnel.publicUrlFor("/webhooks/train"); // "https://<words>.trycloudflare.com/webhooks/train"
 */
export function cloudflaredProvider(options: CloudflaredProviderOptions = {}): TunnelProvider {
  const command = options.command ?? CLOUDFLARED_DEFAULTS.command;
  return {
    name: "cloudflared",
    available: async (env) => (await findExecutable(command, options.env ?? env)) !== undefined,
    open: (open) => openCloudflared(command, options, open),
  };
}

async function openCloudflared(command: string, options: CloudflaredProviderOptions, open: TunnelOpenOptions): Promise<Tunnel> {
  const { logger } = open;
  const env = options.env ?? process.env;
  const binary = await findExecutable(command, env);
  if (!binary) {
    throw new HubhooksError("TUNNEL", `${command} is not on PATH; install cloudflared or choose another tunnel provider`);
  }
  open.signal?.throwIfAborted();
  const child = spawn(binary, ["tunnel", "--no-autoupdate", "--url", open.localUrl], {
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  // Plain listeners, not events.once(): that one rejects on "error", which would leave `exited` rejected unhandled.
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );
  const spawnFailed = new Promise<Error>((resolve) => child.once("error", resolve));
  const tail: string[] = [];
  let publicUrl: string | undefined;
  let announce: ((url: string) => void) | undefined;
  let registered: (() => void) | undefined;
  const urlFound = new Promise<string>((resolve) => (announce = resolve));
  const connectionRegistered = new Promise<void>((resolve) => (registered = resolve));
  for (const stream of [child.stdout, child.stderr]) {
    // Both streams stay drained for the child's whole life, otherwise a full pipe would block cloudflared.
    createInterface({ input: stream }).on("line", (line) => {
      tail.push(line);
      if (tail.length > 20) tail.shift();
      const match = QUICK_TUNNEL_URL.exec(line);
      if (match && !publicUrl) announce?.((publicUrl = match[0]));
      if (REGISTERED.test(line)) registered?.();
    });
  }

  const stop = () => stopChild(child, exited, options.stopTimeoutMs ?? CLOUDFLARED_DEFAULTS.stopTimeoutMs);
  const startTimeout = options.startTimeoutMs ?? CLOUDFLARED_DEFAULTS.startTimeoutMs;
  let timer: NodeJS.Timeout | undefined;
  const failure = Promise.race([
    spawnFailed.then((error) => `could not start ${command}: ${error.message}`),
    exited.then(({ code, signal }) => `${command} exited (${signal ?? `code ${code}`}) before giving a URL`),
    new Promise<string>((resolve) => {
      timer = setTimeout(() => resolve(`no ${command} URL after ${startTimeout} ms`), startTimeout);
    }),
    ...(open.signal ? [once(open.signal, "abort").then(() => "opening was aborted")] : []),
  ]);
  const url = await Promise.race([urlFound, failure.then((reason) => ({ reason }))]);
  clearTimeout(timer);
  if (typeof url !== "string") {
    await stop();
    const output = tail.length ? `; last output:\n${tail.join("\n")}` : "";
    throw new HubhooksError("TUNNEL", `${url.reason}${output}`);
  }
  // The URL is printed before the edge connection exists; the Hub calling in between would fail.
  const registerTimeout = options.registerTimeoutMs ?? CLOUDFLARED_DEFAULTS.registerTimeoutMs;
  let registerTimer: NodeJS.Timeout | undefined;
  const registerWait = new Promise((resolve) => (registerTimer = setTimeout(resolve, registerTimeout)));
  await Promise.race([connectionRegistered, exited, registerWait]);
  clearTimeout(registerTimer);

  let closing = false;
  void exited.then(({ code, signal }) => {
    if (!closing) logger.error({ code, signal }, "tunnel: cloudflared exited; the public URL no longer works");
  });
  let closed: Promise<void> | undefined;
  const close = () => {
    closing = true;
    open.signal?.removeEventListener("abort", onAbort);
    closed ??= stop();
    return closed;
  };
  const onAbort = () => void close();
  open.signal?.addEventListener("abort", onAbort, { once: true });
  logger.info({ url }, "tunnel: cloudflared connected");
  return { provider: "cloudflared", publicUrl: url, publicUrlFor: (path) => joinUrlPath(url, path), close };
}

async function stopChild(child: ChildProcess, exited: Promise<unknown>, graceMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  child.kill("SIGTERM");
  let timer: NodeJS.Timeout | undefined;
  const graceOver = new Promise<"timeout">((resolve) => (timer = setTimeout(() => resolve("timeout"), graceMs)));
  if ((await Promise.race([exited, graceOver])) === "timeout") {
    child.kill("SIGKILL");
    await exited;
  }
  clearTimeout(timer);
}
