/**
 * The commands that push a scaffold to its Space, said once for the README, the scaffold's README and what `init`
 * prints (a test holds all three to these lines). `HEAD:main`, not `main`: git's default branch may be `master`,
 * and then `git push space main` fails with "src refspec main does not match any". `--force`: a Space created on
 * the Hub starts with a commit of its own (README.md, .gitattributes) that the scaffold replaces.
 * @example
 * deploySteps("my-webhooks")[2]; // "git push --force space HEAD:main"
 */
export function deploySteps(spaceName: string): string[] {
  return [
    'git init && git add -A && git commit -m "hubhooks webhooks"',
    `git remote add space https://huggingface.co/spaces/<you>/${spaceName}`,
    "git push --force space HEAD:main",
  ];
}

/** Where a Space is created; the scaffold is a Docker Space, so the blank Docker template is the one to pick. */
export const NEW_SPACE_URL = "https://huggingface.co/new-space";
