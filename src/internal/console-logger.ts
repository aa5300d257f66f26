import type { Logger } from "pino";

const LEVELS = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60 } as const;
type Level = keyof typeof LEVELS;

// The keys the pino serializers of logger.ts censor (LOG_SERIALIZERS), removed at any depth here.
const REDACTED = new Set(["secret", "webhooksecret", "x-webhook-secret", "token", "authorization", "proxy-authorization", "cookie"]);

/**
 * A logger for runtimes without Node's streams (Cloudflare Workers, Vercel's Edge runtime): the calls hubhooks
 * makes on a pino logger, written as one JSON line per entry through `console` (which those platforms collect),
 * in pino's shape (`level` as a number, `time`, `msg`, `err` with its type, message and stack) and with the same keys
 * redacted. pino itself never loads there.
 * @example
 * const logger = consoleLogger({ level: "warn" });
 * logger.child({ deliveryId: "dlv_1" }).error({ err }, "handler failed");
 */
export function consoleLogger(options: { level?: string; bindings?: Record<string, unknown>; write?: (line: string, level: number) => void } = {}): Logger {
  const name = (options.level ?? "info") as Level | "silent";
  const threshold = name === "silent" ? Infinity : (LEVELS[name] ?? LEVELS.info);
  const bindings = options.bindings ?? {};
  const write = options.write ?? ((line, level) => (level >= LEVELS.warn ? console.error(line) : console.log(line)));
  const out: Record<string, unknown> = {
    level: name,
    child: (more: Record<string, unknown>) => consoleLogger({ ...options, bindings: { ...bindings, ...more } }),
    isLevelEnabled: (level: string) => (LEVELS[level as Level] ?? Infinity) >= threshold,
  };
  for (const [method, level] of Object.entries(LEVELS)) {
    out[method] = (first?: unknown, message?: unknown) => {
      if (level < threshold) return;
      const fields = first instanceof Error ? { err: first } : typeof first === "object" && first !== null ? first : {};
      const msg = typeof first === "string" ? first : typeof message === "string" ? message : undefined;
      const entry = { level, time: Date.now(), ...bindings, ...(fields as object), ...(msg !== undefined ? { msg } : {}) };
      write(JSON.stringify(entry, replacer), level);
    };
  }
  return out as unknown as Logger;
}

function replacer(key: string, value: unknown): unknown {
  if (REDACTED.has(key.toLowerCase())) return "***";
  if (value instanceof Error) {
    const own = Object.fromEntries(Object.entries(value));
    return { type: value.name, message: value.message, stack: value.stack, ...own };
  }
  return value;
}
