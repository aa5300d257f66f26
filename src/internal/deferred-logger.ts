import type { Logger } from "pino";

const METHODS = ["trace", "debug", "info", "warn", "error", "fatal"] as const;

/**
 * A logger that stands for one still loading (pino and its Node streams load after `import "hubhooks"`, not with it):
 * calls made before it loads are replayed in order once it has; after that every call goes straight through.
 * Children made early bind to the real logger's children.
 * @example
 * const logger = deferredLogger(() => import("./logger.js").then((m) => m.createLogger({ level: "info" })));
 * logger.info("queued until pino has loaded");
 */
export function deferredLogger(load: () => Promise<Logger>): Logger {
  let root: Logger | undefined;
  const pending: Array<(root: Logger) => void> = [];
  void load().then(
    (loaded) => {
      root = loaded;
      for (const replay of pending.splice(0)) replay(loaded);
    },
    (error: unknown) => console.error("[hubhooks] could not load the logger:", error),
  );
  const facade = (resolve: (root: Logger) => Logger): Logger => {
    let own: Logger | undefined;
    const real = (r: Logger) => (own ??= resolve(r));
    const out: Record<string, unknown> = {
      child: (bindings: Record<string, unknown>, options?: object) => facade((r) => real(r).child(bindings, options)),
      isLevelEnabled: (level: string) => (root ? real(root).isLevelEnabled(level) : true),
      // An asynchronous destination holds lines for a moment: close() flushes them (nothing to do before loading).
      flush: (done?: (error?: Error) => void) => (root ? real(root).flush(done) : done?.()),
    };
    for (const method of METHODS) {
      out[method] = (...args: unknown[]) => {
        if (root) (real(root)[method] as (...a: unknown[]) => void)(...args);
        else pending.push((r) => (real(r)[method] as (...a: unknown[]) => void)(...args));
      };
    }
    Object.defineProperty(out, "level", { get: () => (root ? real(root).level : "info"), enumerable: true });
    return out as unknown as Logger;
  };
  return facade((r) => r);
}
