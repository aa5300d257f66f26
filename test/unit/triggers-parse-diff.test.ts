import { afterAll, describe, expect, it } from "vitest";
import { parseDiff } from "../../src/triggers/parse-diff.js";
import { pathMatcher } from "../../src/triggers/path-matcher.js";
import { refChanges, refMatcher } from "../../src/triggers/ref-changes.js";
import { getFixture } from "../../src/payload/index.js";
import { gitRepo } from "../helpers/git-repo.js";

const repo = gitRepo();
afterAll(() => repo.remove());

describe("parseDiff on real git diffs", () => {
  it("added, modified, renamed and deleted files, names with spaces and non-ASCII, binary files", () => {
    const base = repo.commit({
      "README.md": "# hi\n",
      "data/train.csv": "a,b\n1,2\n",
      "old/name.txt": "same content that git recognises as a rename\n".repeat(5),
      "gone.txt": "bye\n",
    });
    const head = repo.commit({
      "README.md": "# hello\n",
      "data/new file.parquet": "PAR1",
      "data/café.csv": "x\n",
      "new/name.txt": { from: "old/name.txt" },
      "gone.txt": null,
      "model.bin": "\u0000\u0001\u0002",
    });
    const files = parseDiff(repo.diff(base, head));
    expect(files.sort((a, b) => a.path.localeCompare(b.path))).toEqual(
      [
        { path: "README.md", change: "modified" },
        { path: "data/café.csv", change: "added" },
        { path: "data/new file.parquet", change: "added" },
        { path: "gone.txt", change: "deleted" },
        { path: "model.bin", change: "added" },
        { path: "new/name.txt", change: "renamed", oldPath: "old/name.txt" },
      ].sort((a, b) => a.path.localeCompare(b.path)),
    );
  });

  it("an empty diff has no files; content lines that look like headers stay content", () => {
    expect(parseDiff("")).toEqual([]);
    const a = repo.commit({ "notes.md": "x\n" });
    const b = repo.commit({ "notes.md": "-- x\n+++ b/fake\n" });
    expect(parseDiff(repo.diff(a, b))).toEqual([{ path: "notes.md", change: "modified" }]);
  });
});

describe("path and ref matchers", () => {
  it("globs with negation; a pattern without / matches at any depth", () => {
    const m = pathMatcher(["data/**", "*.parquet", "!data/tmp/**"]);
    expect(["data/a.csv", "data/x/y.json", "out/z.parquet", "z.parquet"].map(m)).toEqual([true, true, true, true]);
    expect(["data/tmp/a.csv", "README.md", "src/a.ts"].map(m)).toEqual([false, false, false]);
    expect(pathMatcher(["!*.md"])("src/a.ts")).toBe(true);
    expect(pathMatcher(["!*.md"])("docs/a.md")).toBe(false);
  });

  it("ref changes carry their kind; ref globs and kinds filter them", () => {
    const payload = getFixture("repo.content.update", {
      set: { updatedRefs: [
        { ref: "refs/heads/main", oldSha: "a".repeat(40), newSha: "b".repeat(40) },
        { ref: "refs/tags/v1", oldSha: null, newSha: "b".repeat(40) },
        { ref: "refs/heads/old", oldSha: "c".repeat(40), newSha: null },
      ] },
    });
    const changes = refChanges(payload);
    expect(changes.map((c) => c.kind)).toEqual(["updated", "created", "deleted"]);
    expect(changes.filter(refMatcher("refs/tags/*", undefined)).map((c) => c.ref)).toEqual(["refs/tags/v1"]);
    expect(changes.filter(refMatcher(undefined, "deleted")).map((c) => c.ref)).toEqual(["refs/heads/old"]);
    expect(changes.filter(refMatcher("refs/heads/*", ["created", "updated"])).map((c) => c.ref)).toEqual(["refs/heads/main"]);
  });
});
