// Every ```ts block of README.md and docs/*.md typechecks against the built package (dist/*.d.ts, as a user's project sees it)
// under the strictest settings a user may have: strict, exactOptionalPropertyTypes, noUncheckedIndexedAccess.
// Blocks continue one another the way a reader follows them (`app` from an earlier block, a `z` from zod): the
// names they take for granted are declared once in PRELUDE; a block that needs another one adds it there.
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import ts from "typescript";
import { expect, it } from "vitest";
import { REPO_ROOT } from "../helpers/cli.js";

const PRELUDE = `import type { DeadInfo, WebhooksServer as Server } from "hubhooks";
import type * as zod from "zod";
import type pg from "pg";
import type { ChangedFile } from "hubhooks";
import type expressModule from "express";
import type { FastifyInstance } from "fastify";
import type { Hono } from "hono";
declare global {
  const webhookEndpoint: typeof import("hubhooks").webhookEndpoint;
  const hooks: Server;
  const express: typeof expressModule;
  const expressApp: expressModule.Express;
  const fastify: FastifyInstance;
  const honoApp: Hono;
  const Bun: { serve(options: { fetch: (request: Request) => Response | Promise<Response> }): unknown };
  function retrain(repo: string, files: ChangedFile[]): Promise<void>;
  function publish(repo: string, tag: string, sha: string | null): Promise<void>;
  function toParquet(path: string): Promise<void>;
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

// Next.js is not a dependency: the App Router recipe imports its `after`.
// Nor are the OpenTelemetry SDK packages the tracing recipe installs: their shapes as the recipe uses them.
const NEXT_SERVER = `declare module "next/server" {
  export function after(task: Promise<unknown> | (() => unknown)): void;
}
declare module "@opentelemetry/sdk-node" {
  export class NodeSDK { constructor(options: { traceExporter?: unknown }); start(): void; }
}
declare module "@opentelemetry/exporter-trace-otlp-http" {
  export class OTLPTraceExporter { constructor(options?: { url?: string }); }
}
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

/** README.md first, then every docs/*.md (long reference sections moved there keep their snippets checked). */
function documents(): { name: string; text: string }[] {
  const docs = readdirSync(join(REPO_ROOT, "docs")).filter((f) => f.endsWith(".md")).sort().map((f) => `docs/${f}`);
  return ["README.md", ...docs].map((name) => ({ name, text: readFileSync(join(REPO_ROOT, name), "utf8") }));
}

it("README's and docs' TypeScript snippets typecheck under exactOptionalPropertyTypes", () => {
  const blocks = documents().flatMap((doc) => typeScriptBlocks(doc.text).map((block) => ({ ...block, doc: doc.name })));
  expect(blocks.filter((b) => b.doc === "README.md").length).toBeGreaterThan(5);
  expect(blocks.filter((b) => b.doc !== "README.md").length).toBeGreaterThan(0);
  // Inside the repository, so "hubhooks" resolves to this package itself (package.json exports → dist).
  const dir = join(REPO_ROOT, "test-results", "readme-snippets");
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "prelude.d.ts"), PRELUDE);
  writeFileSync(join(dir, "next-server.d.ts"), NEXT_SERVER);
  const sources = new Map<string, { doc: string; line: number }>();
  const files = blocks.map((block, index) => {
    const file = join(dir, `snippet-${index}.ts`);
    sources.set(file, { doc: block.doc, line: block.line });
    writeFileSync(file, `${block.code}\nexport {};\n`);
    return file;
  });
  const program = ts.createProgram([join(dir, "prelude.d.ts"), join(dir, "next-server.d.ts"), ...files], {
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
    const source = d.file && sources.get(d.file.fileName);
    const where = source ? `${source.doc}:${source.line + d.file!.getLineAndCharacterOfPosition(d.start ?? 0).line}` : "";
    return `${where} ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`;
  });
  expect(diagnostics).toEqual([]);
});
