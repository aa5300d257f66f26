// The path a new user takes, from the packed tarball (what npm publish would upload) into an empty folder, with
// no network but the npm registry: the README's quickstart, then the `init` scaffold. In the slow project.
import { readFile, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO_ROOT, runProcess, startCli, type CliResult } from "../helpers/cli.js";

const NPM_ENV = {
  npm_config_audit: "false",
  npm_config_fund: "false",
  npm_config_update_notifier: "false",
  npm_config_prefer_offline: "true",
  // The machine's registry may sit behind a TLS proxy with its own CA: keep what reaches it.
  ...(process.env.NODE_EXTRA_CA_CERTS ? { NODE_EXTRA_CA_CERTS: process.env.NODE_EXTRA_CA_CERTS } : {}),
};

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

/** The commands of README's "Deploy to a Space" block (a shell script: `cd` carries to the next line). */
async function readmeDeployBlock(): Promise<string> {
  const readme = await readFile(join(REPO_ROOT, "README.md"), "utf8");
  const start = readme.indexOf("## Deploy to a Space");
  return /```sh\n([\s\S]*?)```/.exec(readme.slice(start, readme.indexOf("\n## ", start + 1)))![1]!;
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
    ok(await runProcess("npx", ["hubhooks", "init", "my-space", "--package", tarball, "--no-install"], { cwd: dir, env: env() }), "init");
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

  it("README deploy block, as written, against a local bare remote standing in for the Space; the pushed tree builds with the Dockerfile's npm ci and serves with its CMD", async () => {
    const dir = await mkdtemp(join(root, "deploy-"));
    // git as a new user has it: no identity beyond the commit's, and `master` as the default branch, so a
    // `git push space main` would fail ("src refspec main does not match any") where HEAD:main works.
    const gitConfig = join(dir, "gitconfig");
    await writeFile(gitConfig, "[init]\n\tdefaultBranch = master\n[user]\n\tname = Test\n\temail = test@example.com\n");
    const gitEnv = { GIT_CONFIG_GLOBAL: gitConfig, GIT_CONFIG_NOSYSTEM: "1" };
    // The Space as the Hub creates it: a repository whose main already holds a first commit.
    const space = join(dir, "space.git");
    ok(await runProcess("git", ["init", "-q", "--bare", "--initial-branch=main", space], { env: gitEnv }), "git init --bare");
    const seed = join(dir, "seed");
    ok(await runProcess("git", ["clone", "-q", space, seed], { env: gitEnv }), "clone");
    await writeFile(join(seed, "README.md"), "---\nsdk: docker\n---\n");
    ok(await runProcess("sh", ["-c", "git add -A && git commit -qm 'initial commit' && git push -q origin HEAD:main"], { cwd: seed, env: gitEnv }), "seed");

    // `npx hubhooks init` finds the packed copy (standing in for the registry's) installed one folder up.
    ok(await runProcess("npm", ["install", tarball], { cwd: dir, env: env() }), "npm install");
    const block = await readmeDeployBlock();
    expect(block).toContain("git remote add space https://huggingface.co/spaces/<you>/my-webhooks\n");
    const script = `set -e\n${block.replace("https://huggingface.co/spaces/<you>/my-webhooks", space)}`;
    ok(await runProcess("bash", ["-c", script], { cwd: dir, env: env({ ...gitEnv, HUBHOOKS_INIT_PACKAGE: tarball }) }), "the README's deploy block");
    // What the old recipe said fails on a new user's git, which is why the block says HEAD:main.
    const oldPush = await runProcess("git", ["push", "space", "main"], { cwd: join(dir, "my-webhooks"), env: gitEnv });
    expect(oldPush.code).not.toBe(0);
    expect(oldPush.stderr).toContain("src refspec main does not match any");

    const pushed = ok(await runProcess("git", ["ls-tree", "--name-only", "main"], { cwd: space, env: gitEnv }), "ls-tree").stdout.split("\n");
    expect(pushed).toEqual(expect.arrayContaining(["Dockerfile", "README.md", "app.ts", "package.json", "package-lock.json", "tsconfig.json"]));
    expect(pushed).not.toContain("node_modules");

    // What the Space builds: a fresh checkout of main, the Dockerfile's npm steps, then its CMD.
    const build = join(dir, "build");
    ok(await runProcess("git", ["clone", "-q", "--branch", "main", space, build], { env: gitEnv }), "clone main");
    const dockerfile = await readFile(join(build, "Dockerfile"), "utf8");
    const npmSteps = [...dockerfile.matchAll(/^RUN (npm .*)$/gm)].map((m) => m[1]!);
    expect(npmSteps).toEqual(["npm ci --omit=dev"]);
    for (const step of npmSteps) ok(await runProcess("sh", ["-c", step], { cwd: build, env: env() }), step);
    const cmd = JSON.parse(/^CMD (\[.*\])$/m.exec(dockerfile)![1]!) as string[];
    const server = await startCli(cmd[0]!, cmd.slice(1), { cwd: build, env: env({ PORT: "0", HUBHOOKS_HOST: "127.0.0.1", WEBHOOK_SECRET: "s" }) });
    try {
      expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
      const trigger = ok(
        await runProcess(process.execPath, [join(build, "node_modules/hubhooks/bin/hubhooks.js"), "trigger", "repo.content.update", "--endpoint", "hello", "--to", server.url, "--secret", "s"], { cwd: build, env: env() }),
        "trigger",
      );
      expect(trigger.stdout).toContain("200 OK");
    } finally {
      expect(await server.stop()).toBe(0);
    }
  }, 300_000);

  it("the scaffold's npm run typecheck passes as generated, with the TypeScript init installed", async () => {
    const dir = await mkdtemp(join(root, "typecheck-"));
    ok(await runProcess("npm", ["install", tarball], { cwd: dir, env: env() }), "npm install");
    ok(await runProcess("npx", ["hubhooks", "init", "checked", "--package", tarball], { cwd: dir, env: env() }), "init");
    const typecheck = ok(await runProcess("npm", ["run", "-s", "typecheck"], { cwd: join(dir, "checked"), env: env() }), "typecheck");
    expect(typecheck.stdout + typecheck.stderr).toBe("");
  }, 180_000);
});
