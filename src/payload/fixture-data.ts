import type { EventKey } from "./events.js";

/*
 * Realistic payloads for every documented scope/action. The four marked "Hub docs" are the examples of
 * huggingface/hub-docs docs/hub/webhooks.md, made valid JSON, copied verbatim; the others reuse their parts
 * and follow the documented field rules. Never mutated: getFixture() hands out deep clones.
 */

const WEBHOOK = { id: "6390e855e30d9209411de93b", version: 3 };
const OWNER = { id: "61d2000c3c2083e1c08af22d" };
const MAIN_SHA = "575db8b7a51b6f85eb06eee540738584589f131c";

const MODEL = {
  type: "model",
  name: "some-user/some-repo",
  id: "6366c000a2abcdf2fd69a080",
  private: false,
  url: { web: "https://huggingface.co/some-user/some-repo", api: "https://huggingface.co/api/models/some-user/some-repo" },
  headSha: MAIN_SHA,
  owner: OWNER,
};

const SPACE = {
  type: "space",
  name: "some-user/some-space",
  id: "6366c000a2abcdf2fd69a082",
  private: false,
  subdomain: "some-user-some-space",
  url: {
    web: "https://huggingface.co/spaces/some-user/some-space",
    api: "https://huggingface.co/api/spaces/some-user/some-space",
  },
  owner: OWNER,
};

const GPT2 = {
  type: "model",
  name: "openai-community/gpt2",
  id: "621ffdc036468d709f17434d",
  private: false,
  url: { web: "https://huggingface.co/openai-community/gpt2", api: "https://huggingface.co/api/models/openai-community/gpt2" },
  owner: { id: "628b753283ef59b5be89e937" },
};

const PULL_REQUEST = {
  id: "6399f58518721fdd27fc9ca9",
  title: "Update co2 emissions",
  url: {
    web: "https://huggingface.co/openai-community/gpt2/discussions/19",
    api: "https://huggingface.co/api/models/openai-community/gpt2/discussions/19",
  },
  status: "open",
  author: { id: "61d2f90c3c2083e1c08af22d" },
  num: 19,
  isPullRequest: true,
  changes: { base: "refs/heads/main" },
};

const DISCUSSION = {
  id: "639885d811ae2bad2b7ba461",
  title: "Hello!",
  url: {
    web: "https://huggingface.co/spaces/some-user/some-space/discussions/4",
    api: "https://huggingface.co/api/spaces/some-user/some-space/discussions/4",
  },
  status: "open",
  author: OWNER,
  num: 4,
  isPullRequest: false,
};

const COMMENT = {
  id: "6398872887bfcfb93a306f18",
  author: OWNER,
  content: "This adds an env key",
  hidden: false,
  url: { web: "https://huggingface.co/spaces/some-user/some-space/discussions/4#6398872887bfcfb93a306f18" },
};

const DATASET = {
  type: "dataset",
  name: "some-user/some-dataset",
  id: "6366c000a2abcdf2fd69a081",
  private: false,
  url: {
    web: "https://huggingface.co/datasets/some-user/some-dataset",
    api: "https://huggingface.co/api/datasets/some-user/some-dataset",
  },
  headSha: "c379e821c9c95d613899e8c4343e4bfee2b0c600",
  owner: OWNER,
};

interface FixtureEntry {
  /** The event key the payload resolves to (tests check it against resolveEvent). */
  readonly event: EventKey;
  readonly description: string;
  readonly payload: Readonly<Record<string, unknown>>;
}

function entry<const E extends EventKey>(event: E, description: string, payload: Record<string, unknown>): FixtureEntry & { event: E } {
  return { event, description, payload };
}

/** Every fixture by name, in display order. */
export const FIXTURE_DATA = {
  "repo.create": entry("repo.create", "A model repo is created.", {
    event: { action: "create", scope: "repo" }, repo: MODEL, webhook: WEBHOOK,
  }),
  "repo.delete": entry("repo.delete", "A model repo is deleted.", {
    event: { action: "delete", scope: "repo" }, repo: MODEL, webhook: WEBHOOK,
  }),
  "repo.update": entry("repo.update", "A model repo is updated.", {
    event: { action: "update", scope: "repo" }, repo: MODEL, webhook: WEBHOOK,
  }),
  "repo.move": entry("repo.move", "A model repo is moved (renamed or transferred); see movedTo.", {
    event: { action: "move", scope: "repo" },
    repo: MODEL,
    movedTo: { name: "some-org/some-repo", owner: { id: "61d2000c3c2083e1c08af22e" } },
    webhook: WEBHOOK,
  }),
  "repo.content.update": entry("repo.content.update", "New commit on main and a new tag (Hub docs example).", {
    event: { action: "update", scope: "repo.content" },
    repo: MODEL,
    updatedRefs: [
      { ref: "refs/heads/main", oldSha: "ce9a4674fa833a68d5a73ec355f0ea95eedd60b7", newSha: MAIN_SHA },
      { ref: "refs/tags/test", oldSha: null, newSha: MAIN_SHA },
    ],
    webhook: WEBHOOK,
  }),
  "repo.content.update.pull-request": entry(
    "repo.content.update",
    "A pull request's ref refs/pr/3 is created (fires alongside discussion.create).",
    {
      event: { action: "update", scope: "repo.content" },
      repo: MODEL,
      updatedRefs: [{ ref: "refs/pr/3", oldSha: null, newSha: "a1b2c3d4e5f60718293a4b5c6d7e8f9012345678" }],
      webhook: WEBHOOK,
    },
  ),
  "bucket.content.update": entry(
    "repo.content.update",
    "Files change in a bucket: no git, no headSha, updatedFiles instead of updatedRefs (entry shape assumed).",
    {
      event: { action: "update", scope: "repo.content" },
      repo: {
        type: "bucket",
        name: "some-user/some-bucket",
        id: "6366c000a2abcdf2fd69a083",
        private: false,
        url: {
          web: "https://huggingface.co/buckets/some-user/some-bucket",
          api: "https://huggingface.co/api/buckets/some-user/some-bucket",
        },
        owner: OWNER,
      },
      updatedFiles: [{ path: "checkpoints/step-1000.safetensors" }, { path: "logs/train.jsonl" }],
      updatedFilesTruncated: false,
      webhook: WEBHOOK,
    },
  ),
  "repo.config.update": entry("repo.config.update", "A dataset's visibility changes (Hub docs example).", {
    event: { action: "update", scope: "repo.config" },
    repo: DATASET,
    updatedConfig: { private: false },
    webhook: WEBHOOK,
  }),
  "repo.config.dois.update": entry(
    "repo.config.update",
    "An unknown narrower scope (repo.config.dois): handled as repo.config.update.",
    { event: { action: "update", scope: "repo.config.dois" }, repo: DATASET, updatedConfig: {}, webhook: WEBHOOK },
  ),
  "discussion.create": entry("discussion.create", "A discussion is opened on a Space (its first comment included).", {
    event: { action: "create", scope: "discussion" }, repo: SPACE, discussion: DISCUSSION, comment: COMMENT, webhook: WEBHOOK,
  }),
  "discussion.create.pull-request": entry("discussion.create", "A pull request is opened (Hub docs example).", {
    event: { action: "create", scope: "discussion" },
    repo: GPT2,
    discussion: PULL_REQUEST,
    comment: {
      id: "6399f58518721fdd27fc9caa",
      author: { id: "61d2f90c3c2083e1c08af22d" },
      content: "Add co2 emissions information to the model card",
      hidden: false,
      url: { web: "https://huggingface.co/openai-community/gpt2/discussions/19#6399f58518721fdd27fc9caa" },
    },
    webhook: WEBHOOK,
  }),
  "discussion.update": entry("discussion.update", "A discussion is closed.", {
    event: { action: "update", scope: "discussion" }, repo: SPACE, discussion: { ...DISCUSSION, status: "closed" }, webhook: WEBHOOK,
  }),
  "discussion.update.merged": entry("discussion.update", "A pull request is merged (changes.mergeCommitId set).", {
    event: { action: "update", scope: "discussion" },
    repo: GPT2,
    discussion: {
      ...PULL_REQUEST,
      status: "merged",
      changes: { base: "refs/heads/main", mergeCommitId: "9b7f1d0f3e3a4a3c8f2b5e1d6c7a8b9c0d1e2f3a" },
    },
    webhook: WEBHOOK,
  }),
  "discussion.delete": entry("discussion.delete", "A discussion is deleted.", {
    event: { action: "delete", scope: "discussion" }, repo: SPACE, discussion: DISCUSSION, webhook: WEBHOOK,
  }),
  "discussion.comment.create": entry("discussion.comment.create", "A comment is posted (Hub docs example).", {
    event: { action: "create", scope: "discussion.comment" },
    repo: SPACE,
    discussion: DISCUSSION,
    comment: COMMENT,
    webhook: WEBHOOK,
  }),
  "discussion.comment.update": entry("discussion.comment.update", "A comment is edited.", {
    event: { action: "update", scope: "discussion.comment" },
    repo: SPACE,
    discussion: DISCUSSION,
    comment: { ...COMMENT, content: "This adds an env key (edited)" },
    webhook: WEBHOOK,
  }),
  "discussion.comment.update.hidden": entry(
    "discussion.comment.update",
    "A comment is hidden: hidden is true and content is absent.",
    {
      event: { action: "update", scope: "discussion.comment" },
      repo: SPACE,
      discussion: DISCUSSION,
      comment: { id: COMMENT.id, author: OWNER, hidden: true, url: COMMENT.url },
      webhook: WEBHOOK,
    },
  ),
};
