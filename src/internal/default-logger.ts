import type { Logger } from "pino";
import { consoleLogger } from "./console-logger.js";
import { deferredLogger } from "./deferred-logger.js";

/**
 * The logger a server uses when given none: pino on stderr where Node's streams exist (Node, Bun, Deno), loaded after
 * the import (early lines are replayed once it has); else JSON lines through `console` (Workers, the Edge runtime),
 * where pino's destination cannot open.
 * @example
 * const logger = defaultLogger({ level: env.LOG_LEVEL, pretty: false });
 */
export function defaultLogger(options: { level?: string | undefined; pretty: boolean }): Logger {
  const level = options.level ?? "info";
  if (typeof globalThis.process?.stderr?.write !== "function") return consoleLogger({ level });
  return deferredLogger(() => import("./logger.js").then(({ createLogger }) => createLogger({ level, pretty: options.pretty })));
}
