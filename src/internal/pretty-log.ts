import { relative } from "node:path";
import { fileURLToPath } from "node:url";
import { styleText } from "node:util";

/** A parsed pino line (JSON object) as the pretty stream receives it. */
type Entry = Record<string, unknown> & { level?: number; time?: number; msg?: string };

const LEVELS: Record<number, [label: string, colour: Parameters<typeof styleText>[0]]> = {
  10: ["TRACE", "gray"],
  20: ["DEBUG", "gray"],
  30: ["INFO ", "green"],
  40: ["WARN ", "yellow"],
  50: ["ERROR", "red"],
  60: ["FATAL", "red"],
};

// Fields the compact line says in words, or leaves to the JSON format (which keeps every field).
const SAID = new Set(["level", "time", "msg", "pid", "hostname", "endpoint", "deliveryId", "webhookId", "attempt", "durationMs", "retryInMs", "err", "reason", "method", "path", "status"]);

export interface PrettyLogOptions {
  /** ANSI colours: only on a terminal (never in a redirected file), and not under NO_COLOR. */
  colors: boolean;
  /** Whether `debug` lines are on: then an error's stack follows its line. */
  debug: boolean;
  /** Where the lines go (stderr). */
  write: (text: string) => void;
  /** Paths are shown relative to it (`app.ts:3:45`). */
  cwd?: string;
}

/**
 * The console format for people: ONE line per log event — `12:38:58 INFO  hello dlv_01m933dzgv6jwprbb177ehkfgm delivery
 * succeeded · attempt 1 · 1 ms` — instead of pino-pretty's field-per-line block (14 lines per delivery). A delivery's access
 * line (`request`, with its id) is left out when its outcome line was already written, so a delivery answered
 * with its result is one line; a duplicate or quarantined one (no outcome line) keeps its access line. An error
 * shows its message and the first frame of your code; its stack only when debug is on. JSON logs are unchanged.
 * @example
 * const logger = pino({ level: "info" }, prettyLogStream({ colors: false, debug: false, write: (t) => process.stderr.write(t) }));
 */
export function prettyLogStream(options: PrettyLogOptions): { write(line: string): void } {
  const settled = new Set<string>(); // delivery ids whose outcome line was written (bounded: the latest 256)
  return {
    write(line: string) {
      let entry: Entry;
      try {
        entry = JSON.parse(line) as Entry;
      } catch {
        return void options.write(line);
      }
      const id = typeof entry.deliveryId === "string" ? entry.deliveryId : undefined;
      if (entry.msg === "request" && id && settled.has(id) && Number(entry.status) < 400) return;
      if (id && entry.msg !== "request") {
        settled.add(id);
        if (settled.size > 256) settled.delete(settled.values().next().value!);
      }
      options.write(formatLogLine(entry, options));
    },
  };
}

/**
 * One log event as one line (plus the stack of its error when debug is on).
 * @example
 * formatLogLine({ level: 30, time: 0, msg: "request", method: "GET", path: "/", status: 200, durationMs: 3 }, { colors: false, debug: false });
 * // "00:00:00 INFO  GET / → 200 · 3 ms\n" (in UTC)
 */
export function formatLogLine(entry: Entry, options: Pick<PrettyLogOptions, "colors" | "debug" | "cwd">): string {
  const paint = (colour: Parameters<typeof styleText>[0], text: string) => (options.colors ? styleText(colour, text, { validateStream: false }) : text);
  const [label, colour] = LEVELS[entry.level ?? 30] ?? ["INFO ", "green"];
  const time = new Date(entry.time ?? Date.now()).toTimeString().slice(0, 8);
  const parts: string[] = [];
  if (entry.msg === "request" && typeof entry.method === "string") {
    parts.push(`${entry.method} ${String(entry.path)} → ${String(entry.status)}`);
  } else {
    // The whole id: it is what `hubhooks deliveries show <id>` takes (its start is a time, the same for a burst).
    const who = [entry.endpoint, entry.deliveryId].filter((v) => typeof v === "string").join(" ");
    parts.push(who ? `${paint("cyan", who)} ${entry.msg ?? ""}` : (entry.msg ?? ""));
  }
  if (entry.reason !== undefined) parts[0] += `: ${String(entry.reason)}`;
  const err = entry.err as { type?: string; message?: string; stack?: string } | undefined;
  if (err) parts.push(paint("red", `${err.type ?? "Error"}: ${err.message ?? ""}${where(err.stack, options.cwd)}`));
  if (entry.attempt !== undefined) parts.push(`attempt ${String(entry.attempt)}`);
  if (typeof entry.durationMs === "number") parts.push(`${Math.round(entry.durationMs)} ms`);
  if (typeof entry.retryInMs === "number") parts.push(`retry in ${duration(entry.retryInMs)}`);
  for (const [key, value] of Object.entries(entry)) {
    if (key === "outcome" && value === "failed") continue; // the message says so
    if (!SAID.has(key) && value !== undefined) parts.push(paint("gray", `${key}=${typeof value === "string" ? value : JSON.stringify(value)}`));
  }
  const stack = options.debug && err?.stack ? `\n${err.stack.split("\n").slice(1).join("\n")}` : "";
  return `${paint("gray", time)} ${paint(colour, label)} ${parts.join(" · ")}${stack}\n`;
}

function duration(ms: number): string {
  return ms < 1_000 ? `${ms} ms` : ms < 120_000 ? `${Math.round(ms / 1_000)} s` : `${Math.round(ms / 60_000)} min`;
}

// This package's own files (dist/ or src/), whose frames say nothing about where the user's code failed.
const OWN_DIR = fileURLToPath(new URL("../", import.meta.url));

/** ` (app.ts:3:45)`: the first frame outside node's internals, dependencies and hubhooks itself. */
function where(stack: string | undefined, cwd = process.cwd()): string {
  for (const line of stack?.split("\n").slice(1) ?? []) {
    const match = /(?:\(|at )((?:file:\/\/)?\/[^()\s]*):(\d+):(\d+)\)?$/.exec(line.trim()); // not node:internal/…
    if (!match) continue;
    const path = match[1]!.startsWith("file://") ? fileURLToPath(match[1]!) : match[1]!;
    if (path.includes("/node_modules/") || path.startsWith(OWN_DIR)) continue;
    return ` (${relative(cwd, path)}:${match[2]}:${match[3]})`;
  }
  return "";
}
