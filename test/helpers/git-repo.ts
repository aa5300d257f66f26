import { execFileSync } from "node:child_process";
import { mkdtempSync, mkdirSync, rmSync, writeFileSync, renameSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

/**
 * A real git repository in a temporary directory, to produce the diffs the Hub's compare endpoint answers with
 * (`git diff old..new`): commits of added, modified, renamed and deleted files.
 * @example
 * const repo = gitRepo(); const a = repo.commit({ "data/a.csv": "1" }); const b = repo.commit({ "data/a.csv": "2" });
 * repo.diff(a, b); // "diff --git a/data/a.csv b/data/a.csv\n…"
 */
export function gitRepo() {
  const dir = mkdtempSync(join(tmpdir(), "hubhooks-git-"));
  const git = (...args: string[]) =>
    execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "commit.gpgsign=false", ...args], {
      cwd: dir,
      encoding: "utf8",
    });
  git("init", "-q", "-b", "main");
  return {
    dir,
    /** Write (string), delete (null) or rename ({ from }) files, commit, return the new sha. */
    commit(changes: Record<string, string | null | { from: string }>): string {
      for (const [path, content] of Object.entries(changes)) {
        const full = join(dir, path);
        if (content === null) rmSync(full);
        else if (typeof content === "object") {
          mkdirSync(dirname(full), { recursive: true });
          renameSync(join(dir, content.from), full);
        } else {
          mkdirSync(dirname(full), { recursive: true });
          writeFileSync(full, content);
        }
      }
      git("add", "-A");
      git("commit", "-q", "--allow-empty", "-m", "change");
      return git("rev-parse", "HEAD").trim();
    },
    diff(oldSha: string, newSha: string): string {
      return git("diff", "-M", `${oldSha}..${newSha}`);
    },
    remove(): void {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
