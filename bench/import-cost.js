// The import-cost row of `npm run bench` (issue 12): `import("hubhooks")` and its heaviest subpaths in a fresh Node
// process each, warm (the files are in the OS cache after the first run), median of BENCH_IMPORTS runs, with the
// number of modules loaded (ESM and builtins, counted by a module.registerHooks load hook). The baseline is an
// empty import in the same run.
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const ROOT = new URL("..", import.meta.url);

function once(specifier) {
  const script = `
    import { registerHooks } from "node:module";
    const seen = new Set();
    registerHooks({ load(url, context, next) { seen.add(url); return next(url, context); } });
    const started = performance.now();
    ${specifier ? `await import(${JSON.stringify(specifier)});` : ""}
    console.log(JSON.stringify({ ms: performance.now() - started, modules: seen.size }));`;
  const out = execFileSync(process.execPath, ["--input-type=module", "-e", script], { cwd: fileURLToPath(ROOT), encoding: "utf8" });
  return JSON.parse(out.trim().split("\n").pop());
}

/** Rows `{ name, ms, modules }` for the baseline and each entry. */
export function importCost(runs = 5) {
  const entries = [
    ["(baseline: nothing imported)", ""],
    ["hubhooks", "hubhooks"],
    ["hubhooks/node", "hubhooks/node"],
    ["hubhooks/store", "hubhooks/store"],
  ];
  return entries.map(([name, specifier]) => {
    once(specifier); // warm the OS cache
    const samples = Array.from({ length: runs }, () => once(specifier));
    const ms = samples.map((s) => s.ms).sort((a, b) => a - b)[Math.floor(runs / 2)];
    return { name, ms, modules: samples[0].modules };
  });
}
