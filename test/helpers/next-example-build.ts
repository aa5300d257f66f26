import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join, relative } from "node:path";
import { promisify } from "node:util";

const ROOT = new URL("../../", import.meta.url).pathname;
const SOURCE = join(ROOT, "examples/mount/next");
/** Inside the repository (gitignored) so that `hubhooks` resolves to this package and `next` to its node_modules. */
export const NEXT_EXAMPLE_DIR = join(ROOT, ".cache/next-example");
const STAMP = join(NEXT_EXAMPLE_DIR, ".next/hubhooks-build-stamp");

/** The `next` CLI of the installed package, or undefined when it could not install. */
export function nextBin(): string | undefined {
  try {
    return join(createRequire(join(ROOT, "package.json")).resolve("next/package.json"), "../dist/bin/next");
  } catch {
    return undefined;
  }
}

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

/** What the build depends on: the example's sources, the hubhooks build it bundles, and Next's version. */
function sourceStamp(next: string): string {
  const hash = createHash("sha256");
  for (const file of [...files(SOURCE), ...files(join(ROOT, "dist")).filter((f) => f.endsWith(".js")).sort(), join(next, "../../../package.json")]) {
    hash.update(relative(ROOT, file)).update(readFileSync(file));
  }
  return hash.digest("hex");
}

/**
 * `next build` of examples/mount/next, skipped when its sources, the hubhooks build and Next are unchanged since the
 * last one (the build takes about a minute on a loaded 2-core machine; the slow project runs it once per change).
 */
export async function buildNextExample(next: string): Promise<{ dir: string; built: boolean; ms: number }> {
  const started = performance.now();
  const stamp = sourceStamp(next);
  if (existsSync(STAMP) && readFileSync(STAMP, "utf8") === stamp) return { dir: NEXT_EXAMPLE_DIR, built: false, ms: 0 };
  rmSync(join(NEXT_EXAMPLE_DIR, "app"), { recursive: true, force: true });
  mkdirSync(NEXT_EXAMPLE_DIR, { recursive: true });
  cpSync(SOURCE, NEXT_EXAMPLE_DIR, { recursive: true });
  const { stdout, stderr } = await promisify(execFile)(process.execPath, [next, "build"], {
    cwd: NEXT_EXAMPLE_DIR,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, NEXT_TELEMETRY_DISABLED: "1", NODE_ENV: "production" },
    maxBuffer: 16 * 1024 * 1024,
  });
  writeFileSync(join(NEXT_EXAMPLE_DIR, "build.log"), stdout + stderr); // its warnings, for whoever wonders
  writeFileSync(STAMP, stamp);
  return { dir: NEXT_EXAMPLE_DIR, built: true, ms: Math.round(performance.now() - started) };
}
