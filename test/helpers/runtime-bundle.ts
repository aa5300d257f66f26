import { builtinModules, createRequire } from "node:module";
import { build, type Plugin } from "esbuild";

const ROOT = new URL("../../", import.meta.url);
const fromRoot = createRequire(new URL("package.json", ROOT));
const BUILTIN = new RegExp(`^(node:.*|${builtinModules.map((m) => m.replace(/[/.]/g, "\\$&")).join("|")})$`);

/**
 * How a runtime without Node's modules gets one: `external` leaves them as `node:` imports for workerd's
 * nodejs_compat to provide; `stub` turns each into a module that throws when used (what Next.js does for an Edge
 * route), so a Node-only module that the path under test reaches fails loudly.
 */
export type NodeBuiltins = "external" | "stub";

/**
 * Bundle a runtime example with esbuild as its platform's tooling would: `hubhooks` and its subpaths resolve to this
 * package's built `dist/` through its `exports` (as from an installed package), `aliases` replace other modules.
 * `splitting` keeps each lazy `import()` in its own chunk (ESM output only): loaded when called, not at start.
 */
export async function bundleForRuntime(options: {
  entry: string;
  outdir: string;
  format: "esm" | "iife";
  builtins: NodeBuiltins;
  aliases?: Record<string, string>;
}): Promise<string[]> {
  const plugin: Plugin = {
    name: "runtime",
    setup(b) {
      b.onResolve({ filter: /^hubhooks(\/.*)?$/ }, (args) => ({ path: fromRoot.resolve(args.path) }));
      for (const [name, path] of Object.entries(options.aliases ?? {})) {
        b.onResolve({ filter: new RegExp(`^${name.replace(/[/.]/g, "\\$&")}$`) }, () => ({ path }));
      }
      b.onResolve({ filter: BUILTIN }, (args) => {
        const name = args.path.startsWith("node:") ? args.path : `node:${args.path}`;
        return options.builtins === "external" ? { path: name, external: true } : { path: name, namespace: "node-stub" };
      });
      b.onLoad({ filter: /.*/, namespace: "node-stub" }, (args) => ({
        contents: `const fail = () => { throw new Error(${JSON.stringify(`${args.path} is not available in this runtime`)}); };
          module.exports = new Proxy({}, { get: (_, key) => (key === "__esModule" ? false : fail()) });`,
        loader: "js",
      }));
    },
  };
  const result = await build({
    entryPoints: [options.entry],
    outdir: options.outdir,
    bundle: true,
    format: options.format,
    splitting: options.format === "esm",
    platform: "neutral",
    target: "es2022",
    mainFields: ["module", "main"],
    conditions: ["workerd", "worker", "edge-light", "browser", "import", "default"],
    plugins: [plugin],
    metafile: true,
    logLevel: "silent",
  });
  return Object.keys(result.metafile.outputs);
}
