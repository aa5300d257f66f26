// Type removal that keeps every line and column where the author wrote them, so a stack trace or a syntax error
// points at the real `app.ts:23`. Node's own stripper where the runtime has one (Node 22.18+ and 24, or an older
// 22 started with --experimental-strip-types), else amaro (the library Node bundles for it). Only a file that uses
// syntax with no type-free JavaScript spelling (an enum, a namespace, parameter properties) is transformed, and
// then with an inline source map, so stack traces still name the TypeScript line.
import * as nodeModule from "node:module";
import { pathToFileURL } from "node:url";
import { transformSync } from "amaro";

/** Which implementation removes the types: node:module's `stripTypeScriptTypes`, or amaro. */
export type Stripper = "node" | "amaro";
type Mode = "strip" | "transform";

/** `node` when the runtime strips types itself (`process.features.typescript`), else `amaro`. */
export function defaultStripper(): Stripper {
  const native = Boolean((process.features as { typescript?: unknown }).typescript);
  return native && typeof nodeStripFunction() === "function" ? "node" : "amaro";
}

/**
 * JavaScript for a TypeScript source, every line and column where it was (an enum or a namespace: transformed,
 * with an inline source map). Throws a SyntaxError naming `file:line:column` for invalid code.
 * @example
 * stripTypes("const a: number = 1;", "/app/app.ts"); // "const a         = 1;"
 */
export function stripTypes(source: string, filename: string, stripper: Stripper = defaultStripper()): string {
  const run = stripper === "node" ? nodeStrip : amaroStrip;
  try {
    return run(source, "strip", filename);
  } catch (error) {
    if (!needsTransform(error)) throw syntaxError(source, filename, error);
    try {
      return run(source, "transform", filename);
    } catch (again) {
      throw syntaxError(source, filename, again);
    }
  }
}

function nodeStripFunction(): ((source: string, options: object) => string) | undefined {
  return (nodeModule as unknown as { stripTypeScriptTypes?: (source: string, options: object) => string }).stripTypeScriptTypes;
}

function nodeStrip(source: string, mode: Mode, filename: string): string {
  const strip = nodeStripFunction()!;
  // The function announces itself as experimental once per process: that warning is about our call, not about
  // the user's code (Node prints none when it loads a .ts file itself), so it is not passed on.
  const emitWarning = process.emitWarning;
  process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
    if (String(warning).includes("stripTypeScriptTypes")) return;
    (emitWarning as (...args: unknown[]) => void).call(process, warning, ...rest);
  }) as typeof process.emitWarning;
  try {
    return strip(source, mode === "transform" ? { mode, sourceMap: true, sourceUrl: pathToFileURL(filename).href } : { mode });
  } finally {
    process.emitWarning = emitWarning;
  }
}

function amaroStrip(source: string, mode: Mode, filename: string): string {
  if (mode === "strip") return transformSync(source, { mode: "strip-only", filename }).code;
  const { code, map } = transformSync(source, { mode: "transform", sourceMap: true, filename });
  if (!map) return code;
  const parsed = JSON.parse(map) as { sources?: string[] };
  parsed.sources = [pathToFileURL(filename).href];
  return `${code}\n//# sourceMappingURL=data:application/json;base64,${Buffer.from(JSON.stringify(parsed)).toString("base64")}\n`;
}

function needsTransform(error: unknown): boolean {
  if (typeof error === "string") return error.includes("not supported in strip-only mode");
  return (error as { code?: unknown } | null)?.code === "ERR_UNSUPPORTED_TYPESCRIPT_SYNTAX";
}

/**
 * A SyntaxError whose message ends with `(file:line:column)` as an editor counts them. Node's stripper reports
 * no position, so it is read from amaro's code frame: the caret under the numbered source line.
 */
function syntaxError(source: string, filename: string, error: unknown): SyntaxError {
  let frame = typeof error === "string" ? error : "";
  if (!frame) {
    try {
      transformSync(source, { mode: "strip-only", filename });
    } catch (amaroError) {
      if (typeof amaroError === "string") frame = amaroError;
    }
  }
  const first = frame.split("\n").map((line) => line.replace(/^\s*x\s+/, "").trim()).find(Boolean);
  const message = first ?? (error instanceof Error ? error.message : String(error));
  const where = positionIn(frame);
  const result = new SyntaxError(`${message} (${where ? `${filename}:${where.line}:${where.column}` : filename})`);
  Object.assign(result, { code: "ERR_INVALID_TYPESCRIPT_SYNTAX" });
  if (frame) result.stack = `${result.stack}\n${frame}`; // the code frame, for --debug
  return result;
}

/** Line and column of the first caret in a code frame (` 6 | export const x: number = ;` then `   :   ^`). */
function positionIn(frame: string): { line: number; column: number } | undefined {
  const lines = frame.split("\n");
  const caret = lines.findIndex((line) => /^ *: *\^/.test(line));
  const numbered = caret > 0 ? /^( *(\d+) \| )/.exec(lines[caret - 1]!) : null;
  if (!numbered) return undefined;
  return { line: Number(numbered[2]), column: lines[caret]!.indexOf("^") - numbered[1]!.length + 1 };
}
