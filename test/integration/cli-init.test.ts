import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deploySteps } from "../../src/cli/deploy-steps.js";
import { packageManifest, packageVersion } from "../../src/cli/package-version.js";
import { REPO_ROOT, runCli, runMain, runProcess, startCli } from "../helpers/cli.js";

const FILES = ["README.md", "Dockerfile", "package.json", "app.ts", "tsconfig.json", ".gitignore", ".dockerignore"];

/** The commands of README.md's "Deploy to a Space" block, comments dropped. */
async function readmeDeployBlock(): Promise<string[]> {
  const readme = await readFile(join(REPO_ROOT, "README.md"), "utf8");
  const start = readme.indexOf("## Deploy to a Space");
  const section = readme.slice(start, readme.indexOf("\n## ", start + 1));
  const block = /```sh\n([\s\S]*?)```/.exec(section)![1]!;
  return block.split("\n").map((line) => line.replace(/\s+#.*$/, "").trim()).filter(Boolean);
}

// The first init runs the built CLI as a subprocess (the smoke test); the rest runs in process through main(argv, io).
describe("hubhooks init: a Docker Space that builds and serves", () => {
  let root: string;
  let space: string;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), "hubhooks-cli-init-"));
    space = join(root, "my-hooks");
    // --no-install: this project has no registry copy of hubhooks to install (package-install.test.ts installs).
    const { code, stdout, stderr } = await runCli(["init", "my-hooks", "--title", "My Hooks", "--no-install"], { cwd: root });
    expect(stderr).toBe("");
    expect(code).toBe(0);
    expect(stdout).toBe(
      `Created a Docker Space in my-hooks: ${FILES.join(", ")}\n` +
        "Try it:\n  cd my-hooks\n  npm install\n  npx hubhooks serve app.ts      # local only; npx hubhooks dev app.ts gives it a public URL\n" +
        "Deploy it: create a Docker Space named my-hooks at https://huggingface.co/new-space (blank template), then:\n" +
        '  git init && git add -A && git commit -m "hubhooks webhooks"\n' +
        "  git remote add space https://huggingface.co/spaces/<you>/my-hooks\n" +
        "  git push --force space HEAD:main\n" +
        "Then add its secrets (WEBHOOK_SECRET…) and persistent storage as README.md says.\n",
    );
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  const read = (file: string) => readFile(join(space, file), "utf8");

  it("writes a Dockerfile on Node 24 that installs production dependencies from the lockfile and serves app.ts on 7860", async () => {
    const lines = (await read("Dockerfile")).split("\n").filter((l) => l && !l.startsWith("#"));
    expect(lines).toEqual([
      "FROM node:24-slim",
      "RUN mkdir -p /home/node/app && chown node:node /home/node/app",
      "USER node",
      "WORKDIR /home/node/app",
      "COPY --chown=node:node package.json package-lock.json ./",
      "RUN npm ci --omit=dev",
      "COPY --chown=node:node . .",
      "ENV PORT=7860 HUBHOOKS_HOST=0.0.0.0",
      "EXPOSE 7860",
      "HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \\",
      `  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 7860) + '/readyz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]`,
      // node is PID 1: docker stop's SIGTERM reaches the server (npx in front lost it). See hardening-processes.test.ts.
      'CMD ["node", "node_modules/hubhooks/bin/hubhooks.js", "serve", "app.ts"]',
    ]);
  });

  it("writes README front matter for a Docker Space and the deployment notes", async () => {
    const readme = await read("README.md");
    const front = /^---\n([\s\S]*?)\n---\n/.exec(readme)![1]!.split("\n");
    expect(front).toEqual(expect.arrayContaining(['title: "My Hooks"', "emoji: 🪝", "sdk: docker", "app_port: 7860"]));
    for (const text of ["WEBHOOK_SECRET", "HF_TOKEN", "HUBHOOKS_DASHBOARD_TOKEN", "Persistent storage", "/data/hubhooks.db", "/webhooks/hello"]) {
      expect(readme).toContain(text);
    }
  });

  it("says the deploy steps the README says: create the Space, lockfile committed, push HEAD:main", async () => {
    const steps = deploySteps("my-webhooks");
    expect(await readmeDeployBlock()).toEqual(["npx hubhooks init my-webhooks && cd my-webhooks", ...steps]);
    expect(steps[2]).toBe("git push --force space HEAD:main"); // `main` alone fails on git's default `master`
    const readme = await read("README.md");
    expect(readme).toContain("https://huggingface.co/new-space");
    expect(readme).toContain(deploySteps("my-hooks").map((line) => `   ${line}`).join("\n"));
    expect(readme).not.toMatch(/push space main\b/);
  });

  it("writes a package.json depending on this version of hubhooks, on the Node versions hubhooks runs on", async () => {
    const manifest = packageManifest();
    expect(JSON.parse(await read("package.json"))).toEqual({
      name: "my-hooks",
      private: true,
      type: "module",
      scripts: { start: "hubhooks serve app.ts", typecheck: "tsc" },
      engines: { node: manifest.engines.node },
      dependencies: { hubhooks: `^${packageVersion()}` },
      devDependencies: { "@types/node": manifest.devDependencies["@types/node"], typescript: manifest.devDependencies.typescript },
    });
    expect(manifest.engines.node).toBe(">=22.13");
    expect(await read(".dockerignore")).toContain("node_modules/");
  });

  it("init without --no-install runs npm install; when it fails, one line says the files are written and what to do", async () => {
    // npm offline: the missing tarball fails at once, without waiting on a registry.
    const failed = await runCli(["init", "offline", "--package", join(root, "missing", "hubhooks.tgz")], { cwd: root, env: { npm_config_offline: "true" } });
    expect(failed.code).toBe(1);
    expect(failed.stdout).toBe(`Created a Docker Space in offline: ${FILES.join(", ")}\n`);
    const last = failed.stderr.trimEnd().split("\n").at(-1);
    expect(last).toBe(
      `hubhooks: npm install failed in offline, npm exited with 254: ENOENT: no such file or directory, open '${join(root, "missing", "hubhooks.tgz")}'. ` +
        "The files are written: run npm install there before the first commit (the Space builds with npm ci from package-lock.json), or pass --no-install",
    );
    expect(failed.stderr).toMatch(/^Running npm install in offline \(it writes package-lock.json, which the Space's npm ci needs\)…\n/);
  });

  it("refuses to overwrite existing files, writing nothing, unless --force", async () => {
    const other = join(root, "partial");
    await mkdir(other);
    await writeFile(join(other, "app.ts"), "// mine\n");
    const refused = await runMain(["init", "partial"], { cwd: root });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe("hubhooks: Refusing to overwrite app.ts in partial; pass --force to overwrite\n");
    expect(await readFile(join(other, "app.ts"), "utf8")).toBe("// mine\n");
    await expect(readFile(join(other, "Dockerfile"))).rejects.toThrow(/ENOENT/);
    const again = await runMain(["init"], { cwd: space });
    expect(again.stderr).toBe(`hubhooks: Refusing to overwrite ${FILES.join(", ")} in .; pass --force to overwrite\n`);
    const forced = await runMain(["init", "partial", "--force", "--endpoint", "sync", "--no-install"], { cwd: root });
    expect(forced.code).toBe(0);
    expect(await readFile(join(other, "app.ts"), "utf8")).toContain('webhookEndpoint("sync",');
  });

  it("builds (app.ts typechecks against the package) and runs with the Dockerfile's CMD; a webhook gets through", async () => {
    // What `npm install` does in the image, pointed at this repository (no registry here).
    await mkdir(join(space, "node_modules", ".bin"), { recursive: true });
    await symlink(REPO_ROOT, join(space, "node_modules", "hubhooks"), "dir");
    await symlink("../hubhooks/bin/hubhooks.js", join(space, "node_modules", ".bin", "hubhooks"));

    // `npm run typecheck` is `tsc` on the scaffold's tsconfig.json; @types/node from this repository's install.
    const typecheck = () =>
      runProcess(process.execPath, [join(REPO_ROOT, "node_modules/typescript/bin/tsc"), "-p", ".", "--typeRoots", join(REPO_ROOT, "node_modules/@types")], { cwd: space });
    const tsc = await typecheck();
    expect(tsc.stdout + tsc.stderr).toBe("");
    expect(tsc.code).toBe(0);
    // What it is there for: a misspelt field used as a string (payloads are open objects: unknown fields are
    // `unknown`, so using one is what fails); an enum (type stripping cannot run one).
    const appTs = await read("app.ts");
    await writeFile(join(space, "app.ts"), appTs.replace("payload.repo.name }", "payload.repo.nmae.toUpperCase() }"));
    const typo = await typecheck();
    expect(typo.code).not.toBe(0);
    expect(typo.stdout).toMatch(/^app\.ts\(8,\d+\): error TS18046: 'payload\.repo\.nmae' is of type 'unknown'/);
    await writeFile(join(space, "app.ts"), appTs);
    await writeFile(join(space, "helper.ts"), "export enum Kind { Model }\n");
    const enumUsed = await typecheck();
    expect(enumUsed.stdout).toMatch(/^helper\.ts\(1,13\): error TS1294: This syntax is not allowed when 'erasableSyntaxOnly' is enabled/);
    await rm(join(space, "helper.ts"));

    const dockerfile = await read("Dockerfile");
    const cmd = JSON.parse(/^CMD (\[.*\])$/m.exec(dockerfile)![1]!) as string[];
    const env = Object.fromEntries(/^ENV (.*)$/m.exec(dockerfile)![1]!.split(" ").map((kv) => kv.split("=") as [string, string]));
    expect(env).toEqual({ PORT: "7860", HUBHOOKS_HOST: "0.0.0.0" });
    // As `docker run -e` would: a free port on loopback for the test, and the Space secret.
    const server = await startCli(cmd[0]!, cmd.slice(1), {
      cwd: space,
      env: { ...env, PORT: "0", HUBHOOKS_HOST: "127.0.0.1", WEBHOOK_SECRET: "space-secret", npm_config_offline: "true" },
    });
    try {
      expect(server.output().stdout).toContain(`  - POST ${server.url}/webhooks/hello\n`);
      const sent = await runMain(["trigger", "repo.content.update", "--to", server.url, "--endpoint", "hello", "--repo", "me/model"], {
        env: { WEBHOOK_SECRET: "space-secret" },
      });
      expect(sent.code).toBe(0);
      expect(sent.stdout.split("\n").slice(1).join("\n")).toBe('200 OK\n{"received":"repo.content.update","repo":"me/model"}\n');
      const rejected = await runMain(["trigger", "repo.content.update", "--to", server.url, "--endpoint", "hello"]);
      expect(rejected.stdout).toContain("401 Unauthorized");
    } finally {
      await server.stop();
    }
    expect(server.output().stdout).toContain("repo.content.update on model me/model\n");
  });
});
