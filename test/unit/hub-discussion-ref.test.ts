import { describe, expect, it } from "vitest";
import { discussionPath, discussionRef, repoApiPath, repoRef } from "../../src/hub/index.js";

// Shape of /work/shared/fixtures/hub/discussion.comment.create.json (only the fields read here).
const commentPayload = {
  event: { action: "create", scope: "discussion.comment" },
  repo: {
    type: "space",
    name: "some-user/some-space",
    url: {
      web: "https://huggingface.co/spaces/some-user/some-space",
      api: "https://huggingface.co/api/spaces/some-user/some-space",
    },
  },
  discussion: {
    num: 4,
    url: {
      web: "https://huggingface.co/spaces/some-user/some-space/discussions/4",
      api: "https://huggingface.co/api/spaces/some-user/some-space/discussions/4",
    },
  },
};

describe("discussionRef / repoRef", () => {
  it("builds a ref from a discussion payload", () => {
    expect(discussionRef(commentPayload)).toEqual({ repoType: "space", repoId: "some-user/some-space", num: 4 });
    expect(repoRef(commentPayload)).toEqual({ repoType: "space", repoId: "some-user/some-space" });
  });

  it("falls back to discussion.url.api for repo types it does not know", () => {
    const payload = { ...commentPayload, repo: { ...commentPayload.repo, type: "bucket" } };
    expect(discussionRef(payload)).toEqual({ apiUrl: commentPayload.discussion.url.api });
    expect(repoRef(payload)).toEqual({ apiUrl: commentPayload.repo.url.api });
  });

  it("fails with INVALID_PAYLOAD when the payload has no discussion", () => {
    expect(() => discussionRef({ repo: commentPayload.repo })).toThrow(
      expect.objectContaining({ code: "INVALID_PAYLOAD" }),
    );
  });
});

describe("discussionPath / repoApiPath", () => {
  it("keeps the owner/name slash and encodes each segment", () => {
    expect(repoApiPath({ repoType: "model", repoId: "openai-community/gpt2" })).toBe("/api/models/openai-community/gpt2");
    expect(repoApiPath({ repoType: "model", repoId: "gpt2" })).toBe("/api/models/gpt2");
    expect(repoApiPath({ repoType: "dataset", repoId: "u/a b?" })).toBe("/api/datasets/u/a%20b%3F");
    expect(discussionPath({ repoType: "space", repoId: "u/s", num: 12 })).toBe("/api/spaces/u/s/discussions/12");
  });

  it("reads an apiUrl from any host (the client sends it to its own endpoint)", () => {
    expect(discussionPath({ apiUrl: "https://evil.example/api/models/u/m/discussions/3" })).toBe(
      "/api/models/u/m/discussions/3",
    );
    expect(discussionPath({ apiUrl: "https://huggingface.co/api/models/gpt2/discussions/3/" })).toBe(
      "/api/models/gpt2/discussions/3",
    );
    expect(repoApiPath({ apiUrl: "http://127.0.0.1:9/api/datasets/u/a%20b" })).toBe("/api/datasets/u/a%20b");
  });

  it.each([
    [{ repoType: "model", repoId: "u/../../settings", num: 1 }, /repoId must be/],
    [{ repoType: "model", repoId: "a/b/c", num: 1 }, /repoId must be/],
    [{ repoType: "model", repoId: "", num: 1 }, /repoId must be/],
    [{ repoType: "model", repoId: "u/m", num: 0 }, /positive integer/],
    [{ repoType: "model", repoId: "u/m", num: 1.5 }, /positive integer/],
    [{ repoType: "bucket", repoId: "u/m", num: 1 }, /repoType must be one of model, dataset, space/],
    [{ apiUrl: "not a url" }, /Invalid apiUrl/],
    [{ apiUrl: "ftp://huggingface.co/api/models/u/m/discussions/1" }, /http\(s\)/],
    [{ apiUrl: "https://huggingface.co/api/models/u/m" }, /discussion API URL/],
    [{ apiUrl: "https://huggingface.co/api/models/u%2F..%2F../discussions/1" }, /repoId must be/],
  ])("rejects %j with INVALID_OPTIONS", (ref, message) => {
    expect(() => discussionPath(ref as never)).toThrow(expect.objectContaining({ code: "INVALID_OPTIONS" }));
    expect(() => discussionPath(ref as never)).toThrow(message);
  });
});
