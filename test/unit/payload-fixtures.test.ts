import { describe, expect, it } from "vitest";
import { HubhooksError } from "../../src/errors.js";
import {
  FIXTURE_NAMES,
  KNOWN_EVENTS,
  fixture,
  getFixture,
  listFixtures,
  resolveEvent,
} from "../../src/payload/index.js";

describe("fixtures", () => {
  it("list every fixture with the event its payload resolves to", () => {
    const list = listFixtures();
    expect(list.map((f) => f.name)).toEqual(FIXTURE_NAMES);
    for (const { name, event, description } of list) {
      expect(resolveEvent(getFixture(name)).key, name).toBe(event);
      expect(description.length).toBeGreaterThan(10);
    }
    expect(list[0]).toEqual({ name: "repo.create", event: "repo.create", description: "A model repo is created." });
  });

  it("cover every documented scope/action, plus the variants", () => {
    const events = new Set(listFixtures().map((f) => f.event));
    expect([...KNOWN_EVENTS].filter((key) => !events.has(key))).toEqual([]);
    for (const name of [
      "repo.content.update.pull-request",
      "discussion.update.merged",
      "discussion.comment.update.hidden",
      "bucket.content.update",
      "repo.config.dois.update",
    ]) {
      expect(FIXTURE_NAMES).toContain(name);
    }
    expect(getFixture("repo.content.update.pull-request").updatedRefs).toEqual([
      { ref: "refs/pr/3", oldSha: null, newSha: "a1b2c3d4e5f60718293a4b5c6d7e8f9012345678" },
    ]);
    expect(getFixture("discussion.update").discussion?.status).toBe("closed");
    expect(resolveEvent(getFixture("repo.config.dois.update"))).toMatchObject({ fellBack: true, raw: { scope: "repo.config.dois" } });
  });

  it("hand out deep clones", () => {
    const a = getFixture("repo.content.update");
    a.updatedRefs![0]!.ref = "changed";
    a.repo.name = "changed/changed";
    const b = getFixture("repo.content.update");
    expect(b.updatedRefs![0]!.ref).toBe("refs/heads/main");
    expect(b.repo.name).toBe("some-user/some-repo");
  });

  it("rewrite the repo name and every URL derived from it", () => {
    const p = getFixture("discussion.comment.create", { repo: "me/my-space" });
    expect(p.repo).toMatchObject({
      name: "me/my-space",
      type: "space",
      subdomain: "me-my-space",
      url: { web: "https://huggingface.co/spaces/me/my-space", api: "https://huggingface.co/api/spaces/me/my-space" },
    });
    expect(p.discussion?.url).toEqual({
      web: "https://huggingface.co/spaces/me/my-space/discussions/4",
      api: "https://huggingface.co/api/spaces/me/my-space/discussions/4",
    });
    expect(p.comment?.url?.web).toBe("https://huggingface.co/spaces/me/my-space/discussions/4#6398872887bfcfb93a306f18");
  });

  it("rewrite the repo type (URLs, subdomain; a bucket loses headSha)", () => {
    const model = getFixture("discussion.comment.create", { repo: "Me/My_Model", repoType: "model" });
    expect(model.repo.url).toEqual({ web: "https://huggingface.co/Me/My_Model", api: "https://huggingface.co/api/models/Me/My_Model" });
    expect("subdomain" in model.repo).toBe(false);
    expect(model.discussion?.url?.api).toBe("https://huggingface.co/api/models/Me/My_Model/discussions/4");
    const dataset = getFixture("repo.create", { repoType: "dataset" });
    expect(dataset.repo.url?.web).toBe("https://huggingface.co/datasets/some-user/some-repo");
    const space = getFixture("repo.create", { repoType: "space", repo: "Me/My_App" });
    expect(space.repo.subdomain).toBe("me-my-app");
    const bucket = getFixture("repo.content.update", { repoType: "bucket" });
    expect(bucket.repo.url?.api).toBe("https://huggingface.co/api/buckets/some-user/some-repo");
    expect("headSha" in bucket.repo).toBe(false);
  });

  it("apply `set` paths last", () => {
    const p = getFixture("discussion.comment.create", {
      repo: "me/bot",
      set: { "comment.content": "/retrain", "discussion.num": 7, "updatedRefs.0.ref": "refs/heads/x", "repo.private": true },
    });
    expect(p.comment?.content).toBe("/retrain");
    expect(p.discussion?.num).toBe(7);
    expect(p.updatedRefs).toEqual([{ ref: "refs/heads/x" }]);
    expect(p.repo.private).toBe(true);
  });

  it("do not validate getFixture output, so tests can send broken payloads", () => {
    expect(getFixture("repo.create", { set: { "repo.name": 42 } }).repo.name).toBe(42);
  });

  it("reject unknown names (listing the valid ones) and bad options with INVALID_OPTIONS", () => {
    const attempt = (fn: () => unknown) => {
      try {
        fn();
      } catch (error) {
        return error as HubhooksError;
      }
      throw new Error("expected a throw");
    };
    const unknown = attempt(() => getFixture("repo.explode"));
    expect(unknown).toBeInstanceOf(HubhooksError);
    expect(unknown.code).toBe("INVALID_OPTIONS");
    expect(unknown.message).toBe(`[hubhooks] Unknown fixture "repo.explode". Valid names: ${FIXTURE_NAMES.join(", ")}.`);
    expect(attempt(() => getFixture("toString")).code).toBe("INVALID_OPTIONS");
    expect(attempt(() => getFixture("repo.create", { repo: "no-slash" })).message).toBe('[hubhooks] Repo "no-slash" is not "owner/name".');
    expect(attempt(() => getFixture("repo.create", { repoType: "Models!" })).code).toBe("INVALID_OPTIONS");
    expect(attempt(() => getFixture("repo.create", { set: { "__proto__.x": 1 } })).code).toBe("INVALID_OPTIONS");
  });
});

describe("fixture (typed, validated)", () => {
  it("deep-merges overrides; undefined removes a field", () => {
    const p = fixture("discussion.comment.update", { comment: { hidden: true, content: undefined }, repo: { private: true } });
    expect(p.comment.hidden).toBe(true);
    expect("content" in p.comment).toBe(false);
    expect(p.repo.private).toBe(true);
    expect(p.repo.name).toBe("some-user/some-space");
  });

  it("replaces arrays whole and returns parsed data (normalised)", () => {
    const p = fixture("repo.content.update", { updatedRefs: [{ ref: "refs/pr/1", oldSha: null, newSha: "abc" }] });
    expect(p.updatedRefs).toEqual([{ ref: "refs/pr/1", oldSha: null, newSha: "abc" }]);
    expect(fixture("bucket.content.update").updatedRefs).toEqual([]);
  });

  it("throws INVALID_PAYLOAD when overrides break the payload, INVALID_OPTIONS when they change the event", () => {
    expect(() => fixture("repo.create", { repo: { name: 42 as never } })).toThrow(
      expect.objectContaining({ code: "INVALID_PAYLOAD", details: { issues: ["repo.name: expected string, received number"] } }),
    );
    expect(() => fixture("repo.create", { event: { action: "delete" as never } })).toThrow(
      expect.objectContaining({ code: "INVALID_OPTIONS" }),
    );
  });
});
