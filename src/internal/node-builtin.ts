// Node's modules, taken from the running runtime when it has them (Node, Bun, Deno, workerd with nodejs_compat)
// through `process.getBuiltinModule`, never imported: a static import would stop `import "hubhooks"` from loading
// where they do not exist (Vercel's Edge runtime). Callers keep a web-standard way for that case.

const loaded = new Map<string, unknown>();

/**
 * The builtin module `name`, or undefined in a runtime without it; asked once per name.
 * @example
 * const crypto = nodeBuiltin<typeof import("node:crypto")>("node:crypto"); // undefined on the Edge runtime
 */
export function nodeBuiltin<T>(name: `node:${string}`): T | undefined {
  if (!loaded.has(name)) {
    let module: unknown;
    try {
      module = globalThis.process?.getBuiltinModule?.(name);
    } catch {
      module = undefined;
    }
    loaded.set(name, module);
  }
  return loaded.get(name) as T | undefined;
}
