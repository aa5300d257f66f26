import { describe, expect, it } from "vitest";
import { HubhooksError, httpErrorResponse } from "../../src/errors.js";
import { getFixture, parsePayload, safeParsePayload } from "../../src/payload/index.js";

const repo = { type: "model", name: "a/b" };

describe("parsePayload", () => {
  it.each([
    [null, ["(root): expected object, received null"]],
    [[], ["(root): expected object, received array"]],
    ["{}", ["(root): expected object, received string"]],
    [{}, ["event: expected object, received undefined", "repo: expected object, received undefined"]],
    [
      { event: { scope: "repo" }, repo: {} },
      [
        "event.action: expected string, received undefined",
        "repo.type: expected string, received undefined",
        "repo.name: expected string, received undefined",
      ],
    ],
    [
      { event: { scope: 1, action: "create" }, repo: { type: "model", name: 5 } },
      ["event.scope: expected string, received number", "repo.name: expected string, received number"],
    ],
    [
      { event: { scope: "repo", action: "create" }, repo, updatedRefs: [{ ref: "refs/heads/main", oldSha: null }] },
      ["updatedRefs.0.newSha: expected string, received undefined"],
    ],
  ])("rejects a structurally broken body %j with formatted issues", (value, issues) => {
    expect(parsePayload(value)).toEqual({ success: false, issues });
  });

  it("reports at most 5 issues", () => {
    const result = parsePayload({
      event: { scope: "discussion", action: "create" },
      repo,
      discussion: { num: "4" },
      comment: { hidden: "no" },
      updatedRefs: [{ ref: 1 }],
      webhook: { version: "3" },
    });
    expect(result.success).toBe(false);
    expect(!result.success && result.issues).toEqual([
      "discussion.num: expected number, received string",
      "discussion.title: expected string, received undefined",
      "discussion.status: expected string, received undefined",
      "discussion.isPullRequest: expected boolean, received undefined",
      "comment.hidden: expected boolean, received string",
    ]);
  });

  it("names the legacy version 2 format instead of a bare type error", () => {
    expect(parsePayload({ event: "add", scope: "repo", repo, webhook: { id: "x", version: 2 } })).toEqual({
      success: false,
      issues: ["event: expected object, received string (legacy payload version 2 is not supported)"],
    });
  });

  it("fills updatedConfig {} on repo.config events (and narrower scopes) when the Hub leaves it out", () => {
    for (const scope of ["repo.config", "repo.config.dois"]) {
      const result = parsePayload({ event: { scope, action: "update" }, repo });
      expect(result.success && result.data.updatedConfig).toEqual({});
    }
    const other = parsePayload({ event: { scope: "repo", action: "update" }, repo });
    expect(other.success && "updatedConfig" in other.data).toBe(false);
  });

  it("fills updatedRefs [] on repo.content events without git refs, keeps real ones", () => {
    const bucket = parsePayload({ event: { scope: "repo.content", action: "update" }, repo: { type: "bucket", name: "a/b" } });
    expect(bucket.success && bucket.data.updatedRefs).toEqual([]);
    const git = parsePayload(getFixture("repo.content.update"));
    expect(git.success && git.data.updatedRefs).toHaveLength(2);
  });

  it("does not mutate its input", () => {
    const input = { event: { scope: "repo.config", action: "update" }, repo };
    const snapshot = structuredClone(input);
    parsePayload(input);
    expect(input).toEqual(snapshot);
  });
});

describe("safeParsePayload", () => {
  it("returns the data on success", () => {
    const result = safeParsePayload(getFixture("repo.create"));
    expect(result.success && result.data.repo.name).toBe("some-user/some-repo");
  });

  it("returns a coded 422 error whose HTTP body lists the issues", async () => {
    const result = safeParsePayload({ event: { action: "create" }, repo });
    expect(result.success).toBe(false);
    if (result.success) return;
    expect(result.error).toBeInstanceOf(HubhooksError);
    expect(result.error.code).toBe("INVALID_PAYLOAD");
    expect(result.error.status).toBe(422);
    expect(result.error.message).toBe("[hubhooks] Invalid webhook payload: event.scope: expected string, received undefined");
    const response = httpErrorResponse(result.error);
    expect(response.status).toBe(422);
    expect(await response.json()).toEqual({
      error: "Invalid webhook payload: event.scope: expected string, received undefined",
      issues: ["event.scope: expected string, received undefined"],
    });
  });
});
