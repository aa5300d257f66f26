import { repoApiPath, type RepoType } from "./discussion-ref.js";
import type { HubRequest } from "./send-hub-request.js";

/**
 * A repository named by type and id, as the file and revision routes need it (an `apiUrl` names no file URL).
 * @example
 * const repo: RepoId = { repoType: "space", repoId: "me/my-bot" };
 */
export interface RepoId {
  repoType: RepoType;
  repoId: string;
}

/** Where a repo's files are served: no prefix for models, `datasets/` and `spaces/` for the others. */
const FILE_PREFIX: Record<RepoType, string> = { model: "", dataset: "datasets/", space: "spaces/" };

/**
 * `GET /{prefix}{repoId}/resolve/{revision}/{path}`: one file at a revision, as text (the URL `@huggingface/hub`'s
 * `downloadFile` builds). The revision is one URL segment (`refs%2Fpr%2F3`); the path keeps its `/`.
 * @example
 * repoFileRequest({ repoType: "space", repoId: "me/bot" }, ".hubhooks.yml", "main").path;
 * // "/spaces/me/bot/resolve/main/.hubhooks.yml"
 */
export function repoFileRequest(repo: RepoId, path: string, revision: string): HubRequest {
  repoApiPath(repo); // validates the type and id
  const file = path.replace(/^\/+/, "").split("/").map(encodeURIComponent).join("/");
  const id = repo.repoId.split("/").map(encodeURIComponent).join("/");
  return {
    method: "GET",
    path: `/${FILE_PREFIX[repo.repoType]}${id}/resolve/${encodeURIComponent(revision)}/${file}`,
    auth: "optional",
    response: "text",
  };
}

/**
 * `GET /api/{type}s/{repoId}/revision/{revision}?expand=sha&expand=cardData`: the commit sha a revision points at
 * and the README metadata, parsed by the Hub.
 * @example
 * repoRevisionRequest({ repoType: "model", repoId: "me/m" }, "main").path;
 * // "/api/models/me/m/revision/main?expand=sha&expand=cardData"
 */
export function repoRevisionRequest(repo: RepoId, revision: string): HubRequest {
  return {
    method: "GET",
    path: `${repoApiPath(repo)}/revision/${encodeURIComponent(revision)}?expand=sha&expand=cardData`,
    auth: "optional",
    response: "json",
  };
}
