// Module customization hooks (node:module register) that let every supported Node load a user's TypeScript file
// the same way: types are removed in place, every line and column kept (strip-types.ts), and `./x.js` resolves to
// `./x.ts` when only the TypeScript file exists, as TypeScript projects write their imports.
import { readFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { stripTypes } from "./strip-types.js";

type Next<T> = (specifier: string, context?: unknown) => Promise<T>;
interface ResolveResult { url: string; format?: string | null; shortCircuit?: boolean }
interface LoadResult { format: string; source?: string | ArrayBuffer | Uint8Array | null; shortCircuit?: boolean }

const TS = /\.(ts|mts|cts)$/;

export async function resolve(
  specifier: string,
  context: { parentURL?: string },
  nextResolve: Next<ResolveResult>,
): Promise<ResolveResult> {
  if (context.parentURL && TS.test(new URL(context.parentURL).pathname) && /^\.\.?\//.test(specifier)) {
    const jsMatch = specifier.match(/\.(m|c)?js$/);
    if (jsMatch) {
      const candidate = new URL(specifier.replace(/\.(m|c)?js$/, `.${jsMatch[1] ?? ""}ts`), context.parentURL);
      const target = new URL(specifier, context.parentURL);
      if (!existsSync(fileURLToPath(target)) && existsSync(fileURLToPath(candidate))) {
        return { url: candidate.href, shortCircuit: true };
      }
    }
  }
  try {
    return await nextResolve(specifier, context);
  } catch (error) {
    throw withExtensionHint(error, specifier, context.parentURL);
  }
}

// Node's ESM imports name the file exactly: `import "./helper"` fails even though ./helper.ts is right there. The
// error then says which spellings work (Node's own message names neither). Only for relative imports of a user file.
const CANDIDATES = [".ts", ".js", ".mts", ".mjs", "/index.ts", "/index.js"];

function withExtensionHint(error: unknown, specifier: string, parentURL: string | undefined): unknown {
  if (!parentURL?.startsWith("file:") || !/^\.\.?\//.test(specifier) || !(error instanceof Error)) return error;
  if ((error as NodeJS.ErrnoException).code !== "ERR_MODULE_NOT_FOUND" && (error as NodeJS.ErrnoException).code !== "ERR_UNSUPPORTED_DIR_IMPORT") return error;
  const base = specifier.replace(/\/+$/, "");
  const found = CANDIDATES.map((ext) => base + ext).filter((candidate) => existsSync(fileURLToPath(new URL(candidate, parentURL))));
  if (found.length === 0) return error;
  // With ./x.ts TypeScript wants allowImportingTsExtensions (the scaffold's tsconfig has it); ./x.js is what tsc emits.
  const js = found.find((f) => f.endsWith(".ts"))?.replace(/\.ts$/, ".js");
  const spellings = [...new Set([...found, ...(js ? [js] : [])])].map((f) => `"${f}"`).join(" or ");
  error.message = `${error.message}. Imports of your own files name the file, extension included: write ${spellings} instead of "${specifier}"`;
  return error;
}

export async function load(
  url: string,
  context: { format?: string | null },
  nextLoad: Next<LoadResult>,
): Promise<LoadResult> {
  if (!url.startsWith("file:") || !TS.test(new URL(url).pathname)) return nextLoad(url, context);
  const source = await readFile(fileURLToPath(url), "utf8");
  const code = stripTypes(source, fileURLToPath(url));
  const format = url.endsWith(".cts") ? "commonjs" : "module";
  return { format, source: code, shortCircuit: true };
}
