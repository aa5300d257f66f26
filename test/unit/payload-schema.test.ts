import { readFileSync } from "node:fs";
import * as z from "zod";
import { describe, expect, it } from "vitest";
import { FIXTURE_DATA } from "../../src/payload/fixture-data.js";
import { FIXTURE_NAMES, getFixture, parsePayload, WebhookPayloadSchema, type WebhookPayload } from "../../src/payload/index.js";

const hubDocsExample = (file: string) => JSON.parse(readFileSync(new URL(`../fixtures/hub/${file}`, import.meta.url), "utf8"));

function parsed(value: unknown): WebhookPayload {
  const result = parsePayload(value);
  if (!result.success) throw new Error(result.issues.join("\n"));
  return result.data;
}

describe("payload schema", () => {
  it("keeps the four Hub docs examples verbatim as fixtures", () => {
    expect(FIXTURE_DATA["repo.content.update"].payload).toEqual(hubDocsExample("repo.content.update.json"));
    expect(FIXTURE_DATA["repo.config.update"].payload).toEqual(hubDocsExample("repo.config.update.json"));
    expect(FIXTURE_DATA["discussion.create.pull-request"].payload).toEqual(hubDocsExample("discussion.create.pull-request.json"));
    expect(FIXTURE_DATA["discussion.comment.create"].payload).toEqual(hubDocsExample("discussion.comment.create.json"));
  });

  it.each(FIXTURE_NAMES)("parses fixture %s, with the zod schema alone too", (name) => {
    const payload = getFixture(name);
    expect(parsePayload(payload).success).toBe(true);
    expect(WebhookPayloadSchema.safeParse(payload).success).toBe(true);
  });

  it("reads back the documented fields the Python server drops or misnames", () => {
    const content = parsed(getFixture("repo.content.update"));
    expect(content.repo.headSha).toBe("575db8b7a51b6f85eb06eee540738584589f131c");
    expect(content.updatedRefs?.[1]).toEqual({ ref: "refs/tags/test", oldSha: null, newSha: "575db8b7a51b6f85eb06eee540738584589f131c" });
    expect(parsed(getFixture("repo.config.update")).updatedConfig).toEqual({ private: false });
    expect(parsed(getFixture("repo.move")).movedTo).toEqual({ name: "some-org/some-repo", owner: { id: "61d2000c3c2083e1c08af22e" } });
    const merged = parsed(getFixture("discussion.update.merged")).discussion;
    expect(merged?.status).toBe("merged");
    expect(merged?.changes).toEqual({ base: "refs/heads/main", mergeCommitId: "9b7f1d0f3e3a4a3c8f2b5e1d6c7a8b9c0d1e2f3a" });
    expect(parsed(getFixture("discussion.comment.create")).repo.subdomain).toBe("some-user-some-space");
  });

  it("parses a hidden comment without content", () => {
    const comment = parsed(getFixture("discussion.comment.update.hidden")).comment!;
    expect(comment.hidden).toBe(true);
    expect("content" in comment).toBe(false);
  });

  it("parses a bucket content change: no headSha, updatedFiles, and updatedRefs normalised to []", () => {
    const bucket = parsed(getFixture("bucket.content.update"));
    expect(bucket.repo.type).toBe("bucket");
    expect(bucket.repo.headSha).toBeUndefined();
    expect(bucket.updatedFiles).toEqual([{ path: "checkpoints/step-1000.safetensors" }, { path: "logs/train.jsonl" }]);
    expect(bucket.updatedFilesTruncated).toBe(false);
    expect(bucket.updatedRefs).toEqual([]);
  });

  it("keeps unknown fields at every level", () => {
    const base = getFixture("discussion.comment.create") as Record<string, any>;
    const input = {
      ...base,
      future: { nested: [1, 2] },
      repo: { ...base.repo, gitalyUid: "abc" },
      discussion: { ...base.discussion, reactions: 3 },
      event: { ...base.event, source: "ui" },
    };
    const out = parsed(input) as Record<string, any>;
    expect(out.future).toEqual({ nested: [1, 2] });
    expect(out.repo.gitalyUid).toBe("abc");
    expect(out.discussion.reactions).toBe(3);
    expect(out.event.source).toBe("ui");
  });

  it("accepts unknown scopes, actions, repo types, statuses and webhook versions", () => {
    const base = getFixture("discussion.update") as Record<string, any>;
    const out = parsed({
      ...base,
      event: { scope: "space.hardware", action: "upgrade" },
      repo: { ...base.repo, type: "notebook" },
      discussion: { ...base.discussion, status: "locked" },
      webhook: { id: "x", version: 2 },
    });
    expect(out.event).toEqual({ scope: "space.hardware", action: "upgrade" });
    expect(out.repo.type).toBe("notebook");
    expect(out.discussion?.status).toBe("locked");
    expect(out.webhook?.version).toBe(2);
    expect(parsed({ ...base, webhook: { id: "x", version: 4 } }).webhook?.version).toBe(4);
  });

  it("is lenient on ids, urls, owners and nulls: only event and repo.type/name are required", () => {
    const minimal = { event: { scope: "repo", action: "create" }, repo: { type: "model", name: "a/b" } };
    expect(parsed(minimal)).toEqual(minimal);
    const nulls = {
      ...minimal,
      repo: { type: "model", name: "a/b", id: null, url: { web: "https://huggingface.co/a/b", api: null }, owner: null, headSha: null },
      discussion: null,
      webhook: null,
    };
    expect(parsed(nulls).repo.url?.api).toBeNull();
  });

  it("drops a __proto__ key instead of polluting prototypes", () => {
    const input = JSON.parse('{"event":{"scope":"repo","action":"create"},"repo":{"type":"model","name":"a/b"},"__proto__":{"polluted":true}}');
    const out = parsed(input) as Record<string, unknown>;
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(out.polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("is an extendable zod object and a Standard Schema (for the server's `schema` option)", async () => {
    const Extended = WebhookPayloadSchema.extend({ myField: z.string() });
    expect(Extended.safeParse({ ...getFixture("repo.create"), myField: "x" }).success).toBe(true);
    expect(Extended.safeParse(getFixture("repo.create")).success).toBe(false);
    const result = await WebhookPayloadSchema["~standard"].validate(getFixture("repo.create"));
    expect(result.issues).toBeUndefined();
    expect(WebhookPayloadSchema["~standard"].vendor).toBe("zod");
  });
});
