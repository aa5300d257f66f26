import { mkdir, mkdtemp, readFile, rm, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { deploySteps } from "../../src/cli/deploy-steps.js";
import { REPO_ROOT, runCli } from "../helpers/cli.js";

describe("hubhooks init --job (built CLI)", () => {
  let root = "";
  afterAll(() => rm(root, { recursive: true, force: true }));

  it("scaffolds a Job-ready project, prints the commands that create the Job and its webhook, and its app runs as a Job", async () => {
    root = await mkdtemp(join(tmpdir(), "hubhooks-init-job-"));
    const { code, stdout, stderr } = await runCli(["init", "my-job", "--job", "--endpoint", "convert", "--no-install"], { cwd: root });
    expect({ code, stderr }).toEqual({ code: 0, stderr: "" });
    expect(stdout).toBe(
      "Created a Job-ready project in my-job: README.md, Dockerfile, package.json, app.ts, tsconfig.json, .gitignore, .dockerignore, payload.json\n" +
        "Try it:\n" +
        "  cd my-job && npm install\n" +
        '  WEBHOOK_PAYLOAD="$(cat payload.json)" npx hubhooks job app.ts    # on a sample delivery\n' +
        "Deploy it: the Job runs a Docker Space's image. Create the Space at https://huggingface.co/new-space (Docker, blank) named my-job, then:\n" +
        deploySteps("my-job").map((line) => `  ${line}\n`).join("") +
        "Create the Job (it runs once now, without a delivery, and fails: that run only serves as the template) and\n" +
        "a webhook that runs a copy of it on every change of the watched repo (HF_TOKEN with write access):\n" +
        "  hf jobs run --detach --secrets HF_TOKEN hf.co/spaces/<you>/my-job npx hubhooks job app.ts\n" +
        "  npx hubhooks webhooks create --watch dataset:<you>/<dataset> --domain repo --job-id <the job id printed above>\n" +
        "README.md says the same, and what the Job receives.\n",
    );
    const project = join(root, "my-job");
    // A Job's README, not the Space server's: no secret to set, no persistent storage, no .hf.space URL.
    const readme = await readFile(join(project, "README.md"), "utf8");
    expect(readme).toContain(deploySteps("my-job").map((line) => `   ${line}`).join("\n"));
    expect(readme).toContain("hf jobs run --detach --secrets HF_TOKEN hf.co/spaces/<you>/my-job npx hubhooks job app.ts");
    expect(readme).toContain("WEBHOOK_PAYLOAD");
    expect(readme).not.toMatch(/Persistent storage|hf\.space|HUBHOOKS_DASHBOARD_TOKEN/);
    expect(await readFile(join(project, "app.ts"), "utf8")).toContain('webhookEndpoint("convert").on(');
    await mkdir(join(project, "node_modules"));
    await symlink(REPO_ROOT, join(project, "node_modules", "hubhooks"), "dir");
    const payload = await readFile(join(project, "payload.json"), "utf8");
    const run = await runCli(["job", "app.ts"], { cwd: project, env: { WEBHOOK_PAYLOAD: payload, WEBHOOK_ID: "abc", LOG_LEVEL: "silent" } });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/convert: succeeded \(dlv_[0-9a-z]{26}\) \{"repo":"some-user\/some-repo","changed":0\}\n$/);
  });
});
