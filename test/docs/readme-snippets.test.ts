// Every ```ts block of README.md typechecks against the built package (dist/*.d.ts, as a user's project sees it)
// under the strictest settings a user may have: strict, exactOptionalPropertyTypes, noUncheckedIndexedAccess.
// Blocks continue one another the way a reader follows them (`app` from an earlier block, a `z` from zod): the
// names they take for granted are declared once in PRELUDE; a block that needs another one adds it there.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import ts from "typescript";
import { expect, it } from "vitest";
import { REPO_ROOT } from "../helpers/cli.js";

const PRELUDE = `import type { DeadInfo, WebhooksServer as Server } from "hubhooks";
import type * as zod from "zod";
import type pg from "pg";
declare global {
  const WebhooksServer: typeof import("hubhooks").WebhooksServer;
  const app: Server;
  const z: typeof zod;
  const myPool: pg.Pool;
  function startTraining(repo: string, options: { signal: AbortSignal }): Promise<void>;
  function page(message: string): void;
  function notifyOnCall(info: DeadInfo): void;
}
export {};
`;

/** The ```ts blocks of a Markdown text, with the line each starts on. */
function typeScriptBlocks(markdown: string): { line: number; code: string }[] {
  const blocks: { line: number; code: string }[] = [];
  const lines = markdown.split("\n");
  for (let i = 0; i < lines.length; i++) {
    if (!/^\s*```ts\s*$/.test(lines[i]!)) continue;
    const start = i + 1;
    const indent = /^\s*/.exec(lines[i]!)![0].length;
    while (++i < lines.length && !/^\s*```\s*$/.test(lines[i]!));
    blocks.push({ line: start + 1, code: lines.slice(start, i).map((l) => l.slice(indent)).join("\n") });
  }
  return blocks;
}

it("README's TypeScript snippets typecheck under exactOptionalPropertyTypes", () => {
  const blocks = typeScriptBlocks(readFileSync(join(REPO_ROOT, "README.md"), "utf8"));
  expect(blocks.length).toBeGreaterThan(5);
  // Inside the repository, so "hubhooks" resolves to this package itself (package.json exports → dist).
  const dir = join(REPO_ROOT, "test-results", "readme-snippets");
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "prelude.d.ts"), PRELUDE);
  const files = blocks.map((block) => {
    const file = join(dir, `readme-line-${block.line}.ts`);
    writeFileSync(file, `${block.code}\nexport {};\n`);
    return file;
  });
  const program = ts.createProgram([join(dir, "prelude.d.ts"), ...files], {
    target: ts.ScriptTarget.ES2023,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    lib: ["lib.es2023.d.ts", "lib.dom.d.ts"],
    types: ["node"],
    strict: true,
    exactOptionalPropertyTypes: true,
    noUncheckedIndexedAccess: true,
    noImplicitOverride: true,
    skipLibCheck: true,
    noEmit: true,
  });
  const diagnostics = ts.getPreEmitDiagnostics(program).map((d) => {
    const where = d.file ? `README.md:${Number(/readme-line-(\d+)/.exec(d.file.fileName)?.[1]) + d.file.getLineAndCharacterOfPosition(d.start ?? 0).line}` : "";
    return `${where} ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`;
  });
  expect(diagnostics).toEqual([]);
});
