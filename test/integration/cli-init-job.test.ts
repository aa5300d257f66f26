import { mkdir, mkdtemp, readFile, rm, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { REPO_ROOT, runCli } from "../helpers/cli.js";

describe("hubhooks init --job (built CLI)", () => {
  let root = "";
  afterAll(() => rm(root, { recursive: true, force: true }));

  it("scaffolds a Job-ready project, prints the commands that create the Job and its webhook, and its app runs as a Job", async () => {
    root = await mkdtemp(join(tmpdir(), "hubhooks-init-job-"));
    const { code, stdout, stderr } = await runCli(["init", "my-job", "--job", "--endpoint", "convert"], { cwd: root });
    expect({ code, stderr }).toEqual({ code: 0, stderr: "" });
    expect(stdout).toBe(
      "Created a Job-ready project in my-job: README.md, Dockerfile, package.json, app.ts, .gitignore, .dockerignore, payload.json\n" +
        "Next:\n" +
        "  cd my-job && npm install\n" +
        '  WEBHOOK_PAYLOAD="$(cat payload.json)" npx hubhooks job app.ts    # try it on a sample delivery\n' +
        "Push it as a Docker Space: the Job runs the Space's image.\n" +
        "  git init && git remote add space https://huggingface.co/spaces/<you>/my-job\n" +
        "  git add -A && git commit -m init && git push space main\n" +
        "Create the Job (it runs once now, without a delivery, and fails: that run only serves as the template) and\n" +
        "a webhook that runs a copy of it on every change of the watched repo (HF_TOKEN with write access):\n" +
        "  hf jobs run --detach --secrets HF_TOKEN hf.co/spaces/<you>/my-job npx hubhooks job app.ts\n" +
        "  npx hubhooks webhooks create --watch dataset:<you>/<dataset> --domain repo --job-id <the job id printed above>\n",
    );
    const project = join(root, "my-job");
    expect(await readFile(join(project, "app.ts"), "utf8")).toContain('webhookEndpoint("convert").on(');
    await mkdir(join(project, "node_modules"));
    await symlink(REPO_ROOT, join(project, "node_modules", "hubhooks"), "dir");
    const payload = await readFile(join(project, "payload.json"), "utf8");
    const run = await runCli(["job", "app.ts"], { cwd: project, env: { WEBHOOK_PAYLOAD: payload, WEBHOOK_ID: "abc", LOG_LEVEL: "silent" } });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/convert: succeeded \(dlv_[0-9a-z]{26}\) \{"repo":"some-user\/some-repo","changed":0\}\n$/);
  });
});
