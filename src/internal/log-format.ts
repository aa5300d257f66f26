// Which console format to write, decided without loading pino (options resolve at import-free construction).

/** How log lines are written: one JSON object per line, or pino-pretty's readable lines. */
export type LogFormat = "json" | "pretty";

/**
 * The console format: `LOG_FORMAT` (`json` | `pretty`) when set, else `pretty` under `HUBHOOKS_PRETTY=1` or when
 * stderr is a terminal, else JSON (piped to a file or a log collector).
 * @example
 * logFormat({ LOG_FORMAT: "json" }, { isTTY: true }); // "json"
 * logFormat({}, { isTTY: true });                      // "pretty"
 */
export function logFormat(
  env: Record<string, string | undefined>,
  // Absent outside Node-like runtimes (Vercel's Edge has a `process` with `env` only): then not a terminal.
  stderr: { isTTY?: boolean } | undefined = globalThis.process?.stderr,
): LogFormat {
  const asked = env.LOG_FORMAT?.trim().toLowerCase();
  if (asked === "json" || asked === "pretty") return asked;
  if (env.HUBHOOKS_PRETTY === "1") return "pretty";
  return stderr?.isTTY ? "pretty" : "json";
}
