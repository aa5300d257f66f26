import { afterAll, afterEach, describe, expect, it } from "vitest";
import { HubClient } from "../../src/hub/index.js";
import { ManualClock } from "../../src/internal/clock.js";
import { getFixture } from "../../src/payload/index.js";
import type { ChangedFile } from "../../src/triggers/parse-diff.js";
import type { RefChange } from "../../src/triggers/ref-changes.js";
import type { TriggerFilter } from "../../src/triggers/route-trigger.js";
import type { Handler } from "../../src/server/endpoint.js";
import type { WebhooksServer } from "../../src/server/webhooks-server.js";
import { startFakeHub, type FakeHub } from "../helpers/fake-hub.js";
import { gitRepo } from "../helpers/git-repo.js";
import { startServer } from "../helpers/server.js";

// Ref and path filters on a real server; the Hub's compare endpoint is a local stand-in answering `git diff` of a
// real repository (added, modified, renamed and deleted files).
const cleanup: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});
const repo = gitRepo();
afterAll(() => repo.remove());
const base = repo.commit({ "README.md": "# m\n", "data/train.csv": "1\n", "data/tmp/scratch.csv": "s\n", "weights.bin": "w" });
const dataChange = repo.commit({ "data/train.csv": "2\n", "data/test.csv": "3\n" });
const docsOnly = repo.commit({ "README.md": "# model\n" });
const tmpOnly = repo.commit({ "data/tmp/scratch.csv": "t\n" });
const renameOut = repo.commit({ "archive/train.csv": { from: "data/train.csv" } });
const deleteOnly = repo.commit({ "weights.bin": null });

async function hubWithGit(options: { privateRepos?: string[]; token?: string } = {}): Promise<FakeHub> {
  const hub = await startFakeHub({ ...options, compare: (_repo, a, b) => repo.diff(a, b) });
  cleanup.push(() => hub.close());
  return hub;
}

function push(refs: Array<{ ref: string; oldSha: string | null; newSha: string | null }>, set: Record<string, unknown> = {}) {
  return getFixture("repo.content.update", { set: { updatedRefs: refs, ...set } });
}

describe("ref filters", () => {
  it("ref globs and kinds: created, updated and deleted refs; ctx.refs has only the matching ones; once per delivery", async () => {
    const hub = await hubWithGit();
    const seen: Record<string, RefChange[][]> = { main: [], tags: [], deleted: [] };
    const s = await startServer({ hub: new HubClient({ endpoint: hub.url }) }, (app) =>
      app
        .addWebhook("ci")
        .on("repo.content.update", { ref: "refs/heads/main" }, (_p, ctx) => void seen.main!.push([...ctx.refs]))
        .on("repo.content.update", { ref: "refs/tags/*", kind: "created" }, (_p, ctx) => void seen.tags!.push([...ctx.refs]))
        .on("repo.content.update", { kind: "deleted" }, (_p, ctx) => void seen.deleted!.push([...ctx.refs])),
    );
    cleanup.push(() => s.close());
    // The documented fixture: main updated and a tag created.
    expect((await s.post("/webhooks/ci", getFixture("repo.content.update"))).status).toBe(200);
    expect(seen.main).toEqual([[expect.objectContaining({ ref: "refs/heads/main", kind: "updated" })]]);
    expect(seen.tags).toEqual([[expect.objectContaining({ ref: "refs/tags/test", kind: "created", oldSha: null })]]);
    const res = await s.post("/webhooks/ci", push([
      { ref: "refs/tags/a", oldSha: null, newSha: base },
      { ref: "refs/tags/b", oldSha: null, newSha: base },
      { ref: "refs/heads/feature", oldSha: base, newSha: null },
    ]));
    expect(res.status).toBe(200);
    expect(seen.tags![1]!.map((r) => r.ref)).toEqual(["refs/tags/a", "refs/tags/b"]); // one run, both refs
    expect(seen.deleted).toEqual([[{ ref: "refs/heads/feature", oldSha: base, newSha: null, kind: "deleted" }]]);
    expect(seen.main).toHaveLength(1);
    // Nothing matches a pull request ref: skipped with the reason.
    const pr = await s.post("/webhooks/ci", push([{ ref: "refs/pr/3", oldSha: base, newSha: dataChange }]));
    expect(await pr.text()).toBe("null");
    expect(await s.app.store!.get(pr.headers.get("x-hubhooks-delivery")!)).toMatchObject({
      status: "skipped", error: 'no updated ref matched ref "refs/heads/main"',
    });
    expect(hub.requests.filter((r) => r.path.includes("/compare/"))).toHaveLength(0); // no paths filter: no compare
  });
});

type Register = (app: WebhooksServer, filter: TriggerFilter, handler: Handler) => unknown;
// The same trigger on a `.on()` route and on the endpoint itself (for its own handler) means the same.
const PLACES: Array<[string, Register]> = [
  ["on a route", (app, filter, handler) => app.addWebhook("train").on("repo.content.update", filter, handler)],
  ["on the endpoint", (app, filter, handler) => app.addWebhook("train", filter, handler)],
];

describe("path filters through the compare endpoint", () => {
  it.each(PLACES)("globs with negation on added, modified, renamed and deleted files; one compare per sha pair (%s)", async (_where, register) => {
    const hub = await hubWithGit();
    const runs: ChangedFile[][] = [];
    const s = await startServer({ hub: new HubClient({ endpoint: hub.url }) }, (app) =>
      register(app, { ref: "refs/heads/main", paths: ["data/**", "*.bin", "!data/tmp/**"] }, async (_p, ctx) => void runs.push(await ctx.changedFiles())),
    );
    cleanup.push(() => s.close());
    const main = (oldSha: string, newSha: string) => push([{ ref: "refs/heads/main", oldSha, newSha }]);
    const status = async (body: unknown) => {
      const res = await s.post("/webhooks/train", body);
      return (await s.app.store!.get(res.headers.get("x-hubhooks-delivery")!))!;
    };
    expect((await status(main(base, dataChange))).status).toBe("succeeded");
    expect(runs[0]).toEqual([{ path: "data/test.csv", change: "added" }, { path: "data/train.csv", change: "modified" }]);
    expect(await status(main(dataChange, docsOnly))).toMatchObject({
      status: "skipped", error: 'no changed file matched paths ["data/**","*.bin","!data/tmp/**"]',
    });
    expect((await status(main(docsOnly, tmpOnly))).status).toBe("skipped"); // only the negated folder changed
    expect((await status(main(tmpOnly, renameOut))).status).toBe("succeeded"); // renamed out of data/: its old path
    expect(runs[1]).toEqual([{ path: "archive/train.csv", change: "renamed", oldPath: "data/train.csv" }]);
    expect((await status(main(renameOut, deleteOnly))).status).toBe("succeeded");
    expect(runs[2]).toEqual([{ path: "weights.bin", change: "deleted" }]);
    // The same sha pair again (a replay, another delivery): answered from the cache.
    expect((await status(main(base, dataChange))).status).toBe("succeeded");
    expect(hub.requests.filter((r) => r.path.includes("/compare/"))).toHaveLength(5);
    expect(hub.requests[0]!.path).toBe(`/api/models/some-user/some-repo/compare/${base}..${dataChange}?raw=true`);
    // A created branch has no base to compare with: it may match; a deleted one changes no file.
    expect((await status(push([{ ref: "refs/heads/main", oldSha: null, newSha: base }]))).status).toBe("succeeded");
    expect((await status(push([{ ref: "refs/heads/main", oldSha: base, newSha: null }]))).status).toBe("skipped");
  });

  it("a private repo needs the token: without it the delivery fails with a clear reason and is retried; with it, it runs", async () => {
    const hub = await hubWithGit({ privateRepos: ["models/some-user/some-repo"] });
    const clock = new ManualClock(0);
    const runs: string[] = [];
    const route = { ref: "refs/heads/main", paths: ["data/**"] };
    const body = push([{ ref: "refs/heads/main", oldSha: base, newSha: dataChange }], { "repo.private": true });
    const tokenless = await startServer({ clock, hub: new HubClient({ endpoint: hub.url }) }, (app) =>
      app.addWebhook("train").on("repo.content.update", route, () => void runs.push("ran")),
    );
    cleanup.push(() => tokenless.close());
    const res = await tokenless.post("/webhooks/train", body);
    expect(res.status).toBe(202);
    const answer = await res.json();
    expect(answer).toMatchObject({ status: "retrying" });
    expect(answer.error).toBe(
      `Could not list the files changed in model some-user/some-repo refs/heads/main (${base.slice(0, 7)}..${dataChange.slice(0, 7)}): ` +
        `Hub API GET /api/models/some-user/some-repo/compare/${base}..${dataChange}?raw=true failed with 404: Repository not found; ` +
        "if the repo is private, set HF_TOKEN (or the hub option) to a token that can read it. The delivery will be retried.",
    );
    expect(runs).toEqual([]);
    const withToken = await startServer({ hub: new HubClient({ endpoint: hub.url, token: "hf_reader" }) }, (app) =>
      app.addWebhook("train").on("repo.content.update", route, () => void runs.push("ran")),
    );
    cleanup.push(() => withToken.close());
    expect((await withToken.post("/webhooks/train", body)).status).toBe(200);
    expect(runs).toEqual(["ran"]);
    expect(hub.requests.at(-1)!.headers.authorization).toBe("Bearer hf_reader");
  });

  it("a compare failure is retried (not skipped), and the retry runs once the Hub answers", async () => {
    const clock = new ManualClock(0);
    let failing = true;
    const hub = await startFakeHub({
      compare: (_r, a, b) => (failing ? { status: 500, body: { error: "Internal Error" } } : repo.diff(a, b)),
    });
    cleanup.push(() => hub.close());
    const runs: ChangedFile[][] = [];
    const s = await startServer(
      { clock, hub: new HubClient({ endpoint: hub.url, sleep: async () => {}, retry: { maxAttempts: 2 } }) },
      (app) =>
        app.addWebhook("train", { retry: { initialDelayMs: 1_000, jitter: 0 } })
          .on("repo.content.update", { paths: ["data/**"] }, async (_p, ctx) => void runs.push(await ctx.changedFiles())),
    );
    cleanup.push(() => s.close());
    const res = await s.post("/webhooks/train", push([{ ref: "refs/heads/main", oldSha: base, newSha: dataChange }]));
    const id = res.headers.get("x-hubhooks-delivery")!;
    expect(await res.json()).toMatchObject({ status: "retrying", error: expect.stringMatching(/failed with 500: Internal Error\. The delivery will be retried\.$/) });
    expect(await s.app.store!.get(id)).toMatchObject({ status: "retrying", attempts: 1 });
    failing = false;
    clock.advance(1_000);
    await s.app.queue!.drain();
    expect(await s.app.store!.get(id)).toMatchObject({ status: "succeeded", attempts: 2 });
    expect(runs).toEqual([[{ path: "data/test.csv", change: "added" }, { path: "data/train.csv", change: "modified" }]]);
  });
});

describe("bucket files", () => {
  it("from updatedFiles; a truncated list counts as may match", async () => {
    const runs: ChangedFile[][] = [];
    const s = await startServer({}, (app) =>
      app.addWebhook("convert").on("repo.content.update", { paths: ["*.parquet", "!tmp/**"] }, async (_p, ctx) => void runs.push(await ctx.changedFiles())),
    );
    cleanup.push(() => s.close());
    const bucket = (files: unknown[], truncated: boolean) =>
      getFixture("bucket.content.update", { set: { updatedFiles: files, updatedFilesTruncated: truncated } });
    const state = async (body: unknown) => (await s.app.store!.get((await s.post("/webhooks/convert", body)).headers.get("x-hubhooks-delivery")!))!.status;
    expect(await state(bucket([{ path: "raw/a.parquet", change: "add", xetHash: "x", size: 3 }, { path: "tmp/b.parquet" }, { path: "c.csv" }], false))).toBe("succeeded");
    expect(runs[0]).toEqual([{ path: "raw/a.parquet", change: "added" }]);
    expect(await state(bucket([{ path: "c.csv" }], false))).toBe("skipped");
    expect(await state(bucket([{ path: "c.csv" }], true))).toBe("succeeded"); // 10,000+ entries: the rest may match
    expect(runs[1]).toEqual([]);
  });
});
