import { execFileSync } from 'node:child_process';
import { UserError } from '../diagnostics.ts';

/** Runs git in `cwd`; its own message becomes the UserError when it fails (not a repository, unknown ref, ...). */
function git(cwd: string, env: Readonly<Record<string, string | undefined>>, args: readonly string[]): string {
  try {
    return execFileSync('git', args, {
      cwd,
      env: { ...env } as NodeJS.ProcessEnv,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      maxBuffer: 64 * 1024 * 1024,
    });
  } catch (e) {
    const err = e as { code?: string; stderr?: string; message: string };
    if (err.code === 'ENOENT')
      throw new UserError('git is not installed or not on PATH; `meshfleet diff` reads the base version with git');
    // git's own prefix says nothing to a meshfleet user.
    const detail = (err.stderr ?? err.message)
      .trim()
      .split('\n')[0]
      .replace(/^(fatal|error): /, '');
    throw new UserError(`git ${args.join(' ')}: ${detail}`);
  }
}

export interface GitRepo {
  readonly root: string;
  /** The folder git was opened in, relative to the root: `` or `sub/dir/`. */
  readonly prefix: string;
  readonly env: Readonly<Record<string, string | undefined>>;
}

/** The repository holding `cwd`. The prefix comes from git, so symbolic links in the path do not matter. */
export function openRepo(cwd: string, env: Readonly<Record<string, string | undefined>>): GitRepo {
  let listed: string;
  try {
    listed = git(cwd, env, ['rev-parse', '--show-toplevel', '--show-prefix']);
  } catch (e) {
    if (/not a git repository/i.test((e as Error).message)) {
      throw new UserError(
        `${cwd} is not in a git repository: meshfleet diff compares the fleet file with a commit of its repository`,
      );
    }
    throw e;
  }
  const [root, prefix] = listed.split('\n');
  return { root, prefix, env };
}

/** Whether `ref` names a commit. */
function refExists(repo: GitRepo, ref: string): boolean {
  try {
    git(repo.root, repo.env, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]);
    return true;
  } catch {
    return false;
  }
}

/**
 * The default base of a review: where the current branch left the main branch. Tries main, master and their
 * origin/ counterparts, as a pull request's base is usually one of them.
 */
export function defaultBase(repo: GitRepo): string {
  for (const branch of ['main', 'master', 'origin/main', 'origin/master']) {
    if (refExists(repo, branch)) return git(repo.root, repo.env, ['merge-base', 'HEAD', branch]).trim();
  }
  throw new UserError('no branch main or master to compare with; pass --base REF');
}

/** The commit `ref` names, so that messages show what was compared even when the ref moves. */
export function resolveRef(repo: GitRepo, ref: string): string {
  if (!refExists(repo, ref)) throw new UserError(`--base ${ref}: no such commit in ${repo.root}`);
  return git(repo.root, repo.env, ['rev-parse', '--verify', `${ref}^{commit}`]).trim();
}

/** A file's bytes at a commit (path relative to the repository root), or undefined if it did not exist there. */
export function fileAt(repo: GitRepo, commit: string, path: string): Uint8Array | undefined {
  const listed = git(repo.root, repo.env, ['ls-tree', '--name-only', commit, '--', path]).trim();
  if (listed === '') return undefined;
  try {
    return execFileSync('git', ['show', `${commit}:${path}`], {
      cwd: repo.root,
      env: { ...repo.env } as NodeJS.ProcessEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
      maxBuffer: 64 * 1024 * 1024,
    });
  } catch (e) {
    throw new UserError(
      `git show ${commit}:${path}: ${
        String((e as { stderr?: string }).stderr ?? e)
          .trim()
          .split('\n')[0]
      }`,
    );
  }
}
