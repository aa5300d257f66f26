import { describe, expect, it } from "vitest";
import { defaultStripper, stripTypes, type Stripper } from "../../src/cli/strip-types.js";

const TYPED = `import type { Thing } from "./thing.js";
interface Answer { message: string }
const greet = (name: string): Answer => ({ message: name as string });
export function fail(reason: string): never { throw new Error(reason); }
`;

describe.each<Stripper>(["node", "amaro"])("stripTypes with %s", (stripper) => {
  it.skipIf(stripper === "node" && defaultStripper() !== "node")("keeps every line and column where it was", () => {
    const code = stripTypes(TYPED, "/app/app.ts", stripper);
    expect(code.split("\n")).toHaveLength(TYPED.split("\n").length);
    const line = TYPED.split("\n")[3]!;
    expect(code.split("\n")[3]!.indexOf("throw")).toBe(line.indexOf("throw"));
    expect(code.split("\n")[2]!.indexOf("({ message")).toBe(TYPED.split("\n")[2]!.indexOf("({ message"));
  });

  it.skipIf(stripper === "node" && defaultStripper() !== "node")("a syntax error names file:line:column", () => {
    const source = "const a = 1;\n\n\n\n\nexport const x: number = ;\n";
    expect(() => stripTypes(source, "/app/broken.ts", stripper)).toThrow(/^Expression expected \(\/app\/broken\.ts:6:26\)$/);
  });

  it.skipIf(stripper === "node" && defaultStripper() !== "node")("an enum is transformed, with an inline source map naming the file", () => {
    const code = stripTypes('export enum Tone { Warm = "warm" }\n', "/app/tone.ts", stripper);
    expect(code).toContain('"warm"');
    const map = /sourceMappingURL=data:application\/json;base64,(\S+)/.exec(code)?.[1];
    // The map names the TypeScript file (what a stack trace shows) and maps the enum's line back to line 1.
    const decoded = JSON.parse(Buffer.from(map ?? "", "base64").toString("utf8")) as { version: number; sources: string[]; mappings: string };
    expect(decoded).toMatchObject({ version: 3, sources: ["file:///app/tone.ts"] });
    expect(decoded.mappings).toMatch(/^AAAA/); // the first generated segment starts at line 1, column 1 of tone.ts
  });
});

it("uses Node's own stripper where the runtime has one", () => {
  const native = Boolean((process.features as { typescript?: unknown }).typescript);
  expect(defaultStripper()).toBe(native ? "node" : "amaro");
});
