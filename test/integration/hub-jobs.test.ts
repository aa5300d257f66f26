import { afterEach, describe, expect, it } from "vitest";
import { HubApiError, HubClient } from "../../src/hub/index.js";
import { respondInOrder, startFakeHub, type FakeHub } from "../helpers/fake-hub.js";

// The Jobs calls of the Hub client against the local Hub stand-in (request shapes of huggingface_hub's run_job /
// inspect_job / fetch_job_logs and @huggingface/hub's runJob / getJob / streamJobLogs).
let hub: FakeHub;
afterEach(() => hub?.close());
const client = () => new HubClient({ endpoint: hub.url, token: "hf_jobs", sleep: async () => {} });

describe("HubClient Jobs", () => {
  it("runJob from a Space image in the token's namespace, then getJob and jobLogs", async () => {
    hub = await startFakeHub({ whoami: { id: "u1", name: "me" } });
    const c = client();
    const job = await c.runJob({
      image: "hf.co/spaces/me/my-job", command: ["npx", "hubhooks", "job", "app.ts"], secrets: { HF_TOKEN: "hf_secret_value" },
      env: { LOG_LEVEL: "info" }, timeoutSeconds: 600,
    });
    expect(job).toMatchObject({ spaceId: "me/my-job", status: { stage: "RUNNING" }, secrets: ["HF_TOKEN"] });
    const post = hub.requests.find((r) => r.method === "POST")!;
    expect(post.path).toBe("/api/jobs/me");
    expect(post.body).toEqual({
      spaceId: "me/my-job", command: ["npx", "hubhooks", "job", "app.ts"], arguments: [], environment: { LOG_LEVEL: "info" },
      flavor: "cpu-basic", secrets: { HF_TOKEN: "hf_secret_value" }, timeoutSeconds: 600,
    });
    hub.jobs.get(job.id)!.status = { stage: "COMPLETED", message: null };
    hub.jobs.get(job.id)!.logs = ["===== Job started =====", "bot: succeeded (dlv_job_1)"];
    expect((await c.getJob(job.id)).status.stage).toBe("COMPLETED");
    expect(hub.requests.at(-1)!.path).toBe(`/api/jobs/me/${job.id}`);
    expect(await c.jobLogs(job.id)).toEqual([
      { message: "===== Job started =====", timestamp: "2026-01-01T00:00:00.000Z" },
      { message: "bot: succeeded (dlv_job_1)", timestamp: "2026-01-01T00:00:01.000Z" },
    ]);
    expect(hub.requests.filter((r) => r.path === "/api/whoami-v2")).toHaveLength(1); // the namespace is asked once
  });

  it("a Docker image and an explicit namespace; errors name the Hub's reason, never the secrets; a failed run is not repeated", async () => {
    hub = await startFakeHub({ whoami: { id: "u1", name: "me" } });
    const c = client();
    const job = await c.runJob({ image: "node:24-slim", command: ["node", "-e", "1"], namespace: "me", flavor: "a10g-small" });
    expect(hub.requests[0]!.body).toMatchObject({ dockerImage: "node:24-slim", flavor: "a10g-small" });
    expect(job.dockerImage).toBe("node:24-slim");
    const denied = await c.getJob(job.id, { namespace: "my-org" }).catch((e: unknown) => e);
    expect(denied).toBeInstanceOf(HubApiError);
    expect((denied as HubApiError).status).toBe(403);
    expect(await c.getJob("nope").catch((e: HubApiError) => e.message)).toBe(
      "[hubhooks] Hub API GET /api/jobs/me/nope failed with 404: Job not found",
    );
    hub.respond(respondInOrder({ status: 500, body: { error: "boom hf_secret_value" } }));
    const before = hub.requests.length;
    const failed = await c.runJob({ image: "node:24-slim", command: ["true"], namespace: "me", secrets: { T: "hf_secret_value" } }).catch((e: Error) => e);
    expect(hub.requests.length - before).toBe(1);
    expect(String(failed)).not.toContain("hf_secret_value");
    await expect(c.runJob({ image: "node:24-slim", command: [], namespace: "me" })).rejects.toThrow("A Job needs a command");
    await expect(new HubClient({ endpoint: hub.url }).runJob({ image: "x", command: ["y"], namespace: "me" })).rejects.toThrow(/needs a Hugging Face token/);
  });
});
