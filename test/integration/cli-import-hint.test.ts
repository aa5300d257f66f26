// `import "./helper"` (no extension) is the first thing a TypeScript user writes and Node's ESM refuses: the built
// CLI, in a real subprocess, says which spellings work, and the one it suggests does.
import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BIN, REPO_ROOT, runCli, startCli } from "../helpers/cli.js";

let dir = "";
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "hubhooks-import-hint-"));
  await mkdir(join(dir, "node_modules"));
  await symlink(REPO_ROOT, join(dir, "node_modules", "hubhooks"), "dir");
  await writeFile(join(dir, "helper.ts"), 'export const greeting: string = "hello";\n');
  await mkdir(join(dir, "lib"));
  await writeFile(join(dir, "lib", "index.ts"), "export const n: number = 1;\n");
  const app = (from: string) => `import { greeting } from "${from}";\nimport { webhookEndpoint } from "hubhooks";\nwebhookEndpoint(greeting, () => null);\n`;
  await writeFile(join(dir, "bare.ts"), app("./helper"));
  await writeFile(join(dir, "as-js.ts"), app("./helper.js"));
  await writeFile(join(dir, "folder.ts"), 'import { n } from "./lib";\nconsole.log(n);\n');
  await writeFile(join(dir, "missing.ts"), 'import { n } from "./nowhere";\nconsole.log(n);\n');
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe("hubhooks serve: a relative import without its extension", () => {
  it("fails in one line that names the spellings that work", async () => {
    const bare = await runCli(["serve", "bare.ts"], { cwd: dir });
    expect(bare.code).toBe(1);
    expect(bare.stderr).toBe(
      `hubhooks: Cannot load bare.ts: Cannot find module '${join(dir, "helper")}' imported from ${join(dir, "bare.ts")}. ` +
        'Imports of your own files name the file, extension included: write "./helper.ts" or "./helper.js" instead of "./helper"\n',
    );
    const folder = await runCli(["serve", "folder.ts"], { cwd: dir });
    expect(folder.stderr).toContain('write "./lib/index.ts" or "./lib/index.js" instead of "./lib"\n');
    // Nothing to suggest: Node's own message, unchanged.
    const missing = await runCli(["serve", "missing.ts"], { cwd: dir });
    expect(missing.stderr).toBe(`hubhooks: Cannot load missing.ts: Cannot find module '${join(dir, "nowhere")}' imported from ${join(dir, "missing.ts")}\n`);
  });

  it("the suggested ./helper.js spelling loads helper.ts", async () => {
    const server = await startCli(process.execPath, [BIN, "serve", "as-js.ts"], { cwd: dir, env: { PORT: "0" } });
    try {
      expect(server.output().stdout).toContain(`  - POST ${server.url}/webhooks/hello\n`);
    } finally {
      await server.stop();
    }
  });
});
