import { readFileSync } from "node:fs";
import { isBuiltin } from "node:module";
import { build, type Metafile } from "esbuild";
import { describe, expect, it } from "vitest";

// The web core promise: `import "hubhooks"` (and what a delivery without a log loads) reaches no Node builtin, so it
// loads in Cloudflare Workers and Vercel's Edge runtime. Checked on the source graph as esbuild resolves it (every
// import, static and lazy, TypeScript included), so a builtin added later anywhere fails here until it is allowed.

/** What a runtime without Node loads: the root, the Workers and Next entries, and the lazy parts of an inline delivery. */
const WEB_ENTRIES = [
  "src/index.ts",
  "src/workers.ts",
  "src/adapters/next.ts",
  "src/server/create-dispatcher.ts", // start() with database: false
  "src/payload/parse.ts", // the first validation
  "src/server/app-routes.ts", // the landing page, /healthz and, with a log, the dashboard
];

/** Builtins of the web path: none. Adding one breaks Workers and the Edge runtime; load it lazily instead. */
const WEB_ALLOWED = new Set<string>();

/**
 * Builtins our own modules may import behind a lazy `import()` (the log, the Node launcher, tunnels, the dashboard, the
 * CLI): Node (and Bun, Deno) only. A new one is a decision: add it here with where it loads.
 */
const LAZY_ALLOWED = new Set([
  "node:child_process", // tunnel/cloudflared
  "node:crypto", // dev state, test events (delivery ids use Web Crypto)
  "node:events", // tunnel/cloudflared
  "node:fs", // the SQLite log's directory, dev state
  "node:fs/promises", // tunnel/find-executable, dev state
  "node:http", // server/listen: launch()'s own server, with the Node fast path of webhook POSTs
  "node:net", // localtunnel
  "node:path", // the SQLite log's path
  "node:readline", // tunnel/cloudflared
  "node:url", // internal/pretty-log (a user's file:line in an error line), loaded with pino's pretty format
  "node:util", // internal/pretty-log (styleText: colour on a terminal)
]);

// One esbuild resolution per entry list, shared by the tests below.
const graphs = new Map<string, Promise<Metafile>>();
function graph(entries: string[]): Promise<Metafile> {
  const key = entries.join(",");
  if (!graphs.has(key)) graphs.set(key, resolveGraph(entries));
  return graphs.get(key)!;
}

async function resolveGraph(entries: string[]): Promise<Metafile> {
  const result = await build({
    entryPoints: entries,
    bundle: true,
    write: false,
    splitting: true,
    format: "esm",
    outdir: "out",
    platform: "neutral",
    mainFields: ["module", "main"],
    metafile: true,
    logLevel: "silent",
    plugins: [{ name: "builtins", setup: (b) => b.onResolve({ filter: /.*/ }, (args) => (isBuiltin(args.path) ? { path: args.path, external: true } : undefined)) }],
  });
  return result.metafile;
}

/** Each builtin reached from `entries`, with the import chain that reaches it; `lazy` follows `import()` too. */
function builtinsReached(meta: Metafile, entries: string[], lazy: boolean): Map<string, string> {
  const found = new Map<string, string>();
  const seen = new Set<string>();
  const stack = entries.map((file) => ({ file, chain: [file] }));
  while (stack.length) {
    const { file, chain } = stack.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const imp of meta.inputs[file]?.imports ?? []) {
      if (!lazy && imp.kind === "dynamic-import") continue;
      if (imp.external && isBuiltin(imp.path)) {
        const name = imp.path.startsWith("node:") ? imp.path : `node:${imp.path}`;
        if (!found.has(name)) found.set(name, [...chain, name].join(" > "));
      } else if (!imp.external) stack.push({ file: imp.path, chain: [...chain, imp.path] });
    }
  }
  return found;
}

describe("the web core imports nothing Node-only", () => {
  it("the root entry, hubhooks/workers, hubhooks/next and an inline delivery's lazy parts reach no node: builtin", async () => {
    const meta = await graph(WEB_ENTRIES);
    const reached = builtinsReached(meta, WEB_ENTRIES, false);
    const refused = [...reached].filter(([name]) => !WEB_ALLOWED.has(name)).map(([, chain]) => chain);
    expect(refused).toEqual([]);
    expect(Object.keys(meta.inputs).filter((f) => f.startsWith("src/")).length).toBeGreaterThan(50); // the graph was resolved
  });

  it("our own lazily loaded modules use only the allowed builtins (third-party ones are theirs)", async () => {
    const meta = await graph(["src/index.ts"]);
    const own = Object.keys(meta.inputs).filter((f) => f.startsWith("src/"));
    expect(own).toContain("src/store/sqlite/open-sqlite.ts"); // import() followed: the log's engine is in the graph
    const refused = own.flatMap((file) =>
      meta.inputs[file]!.imports.filter((imp) => imp.external && isBuiltin(imp.path)).map((imp) => (imp.path.startsWith("node:") ? imp.path : `node:${imp.path}`))
        .filter((name) => !LAZY_ALLOWED.has(name)).map((name) => `${file} > ${name}`),
    );
    expect(refused).toEqual([]);
  });

  it("nor Node-only globals: no Buffer, setImmediate or process.stdout/stderr in those modules (a builtin's own, taken through node-builtin.ts, is fine)", async () => {
    const meta = await graph(WEB_ENTRIES);
    const seen = new Set<string>();
    const stack = [...WEB_ENTRIES];
    while (stack.length) {
      const file = stack.pop()!;
      if (seen.has(file)) continue;
      seen.add(file);
      for (const imp of meta.inputs[file]?.imports ?? []) if (!imp.external && imp.kind !== "dynamic-import") stack.push(imp.path);
    }
    const used = [...seen].filter((file) => file.startsWith("src/")).flatMap((file) => {
      const code = readFileSync(file, "utf8").replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, ""); // comments may name them
      return [...code.matchAll(/(?<![.\w])Buffer\.|(?<![.\w])setImmediate\(|(?<![.\w])process\.std(?:out|err)\b/g)].map((m) => `${file}: ${m[0]}`);
    });
    expect(used).toEqual([]);
  });

  it("the check sees a builtin: node:net in a web module would be refused", async () => {
    const meta = await graph(["src/server/listen.ts"]);
    expect([...builtinsReached(meta, ["src/server/listen.ts"], false).keys()]).not.toEqual([]);
  });
});
