// The path a new user takes, from the packed tarball (what npm publish would upload) into an empty folder, with
// no network but the npm registry: the README's quickstart, then the `init` scaffold. In the slow project.
import { readFile, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO_ROOT, runProcess, startCli, type CliResult } from "../helpers/cli.js";

const NPM_ENV = { npm_config_audit: "false", npm_config_fund: "false", npm_config_update_notifier: "false", npm_config_prefer_offline: "true" };

function ok(result: CliResult, what: string): CliResult {
  expect(result.code, `${what}\n${result.stdout}\n${result.stderr}`).toBe(0);
  return result;
}

/** The shell commands and the app.ts of README's Quickstart section. */
async function readmeQuickstart(): Promise<{ commands: string[]; appTs: string }> {
  const readme = await readFile(join(REPO_ROOT, "README.md"), "utf8");
  const section = readme.slice(readme.indexOf("## Quickstart"), readme.indexOf("\n## ", readme.indexOf("## Quickstart") + 1));
  const block = (lang: string) => new RegExp("```" + lang + "\\n([\\s\\S]*?)```").exec(section)?.[1] ?? "";
  const commands = block("sh").split("\n").map((line) => line.replace(/\s+#.*$/, "").trim()).filter(Boolean);
  return { commands, appTs: block("ts") };
}

describe("the packed package, installed into an empty folder", () => {
  let root: string;
  let tarball: string;
  const env = (extra: Record<string, string> = {}) => ({ ...NPM_ENV, npm_config_cache: process.env.npm_config_cache ?? join(process.env.HOME ?? root, ".npm"), ...extra });

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), "hubhooks-pack-"));
    const packed = ok(await runProcess("npm", ["pack", "--json", "--pack-destination", root], { cwd: REPO_ROOT, env: env() }), "npm pack");
    const [info] = JSON.parse(packed.stdout.slice(packed.stdout.indexOf("["))) as { filename: string; files: { path: string }[] }[];
    tarball = join(root, info!.filename);
    const files = info!.files.map((f) => f.path);
    // What the tarball holds: no source maps pointing at sources it lacks, a LICENSE, no test fixtures folder.
    expect(files.filter((f) => f.endsWith(".map"))).toEqual([]);
    expect(files).toContain("LICENSE");
    expect(files).toContain("dist/index.js");
    expect(files.every((f) => /^(dist\/|bin\/|README\.md$|LICENSE$|package\.json$)/.test(f)), files.join(" ")).toBe(true);
    const manifest = JSON.parse(await readFile(join(REPO_ROOT, "package.json"), "utf8")) as Record<string, unknown>;
    expect(manifest.scripts).not.toHaveProperty("prepare");
    expect(manifest).toMatchObject({ repository: { url: "git+https://github.com/hubhooks/hubhooks.git" }, bugs: {}, homepage: expect.any(String) });
  }, 120_000);
  afterAll(() => rm(root, { recursive: true, force: true }));

  it("README quickstart: npm install, serve app.ts, trigger an event", async () => {
    const { commands, appTs } = await readmeQuickstart();
    expect(commands).toEqual([
      "npm install hubhooks",
      "npx hubhooks serve app.ts",
      "npx hubhooks trigger discussion.comment.create --endpoint hello",
    ]);
    const dir = await mkdtemp(join(root, "quickstart-"));
    // `npm install hubhooks`, with the tarball standing in for the registry's copy.
    ok(await runProcess("npm", ["install", tarball], { cwd: dir, env: env() }), "npm install");
    expect(await readdir(dir)).toEqual(expect.arrayContaining(["node_modules", "package.json"]));
    await writeFile(join(dir, "app.ts"), appTs);
    const server = await startCli("npx", ["hubhooks", "serve", "app.ts"], { cwd: dir, env: env({ PORT: "0" }) });
    try {
      const trigger = ok(
        await runProcess("npx", ["hubhooks", "trigger", "discussion.comment.create", "--endpoint", "hello", "--to", server.url], { cwd: dir, env: env() }),
        "trigger",
      );
      expect(trigger.stdout).toContain("200 OK");
      expect(trigger.stdout).toContain('{"received":"discussion.comment.create"');
    } finally {
      await server.stop(); // npx ends by the signal (exit code null); the server's own exit is checked in cli-serve
    }
  }, 180_000);

  it("hubhooks init from the tarball: the scaffold installs and serves", async () => {
    const dir = await mkdtemp(join(root, "init-"));
    ok(await runProcess("npm", ["install", tarball], { cwd: dir, env: env() }), "npm install");
    ok(await runProcess("npx", ["hubhooks", "init", "my-space", "--package", tarball], { cwd: dir, env: env() }), "init");
    const space = join(dir, "my-space");
    const manifest = JSON.parse(await readFile(join(space, "package.json"), "utf8")) as { dependencies: Record<string, string> };
    expect(manifest.dependencies.hubhooks).toBe(`file:${tarball}`);
    ok(await runProcess("npm", ["install"], { cwd: space, env: env() }), "npm install in the scaffold");
    const server = await startCli("npx", ["hubhooks", "serve", "app.ts"], { cwd: space, env: env({ PORT: "0" }) });
    try {
      const trigger = ok(
        await runProcess("npx", ["hubhooks", "trigger", "repo.content.update", "--endpoint", "hello", "--to", server.url], { cwd: space, env: env() }),
        "trigger",
      );
      expect(trigger.stdout).toContain("200 OK");
    } finally {
      await server.stop(); // npx ends by the signal (exit code null); the server's own exit is checked in cli-serve
    }
  }, 180_000);
});
