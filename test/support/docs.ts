import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO } from './cli.ts';

/** A Markdown page of the user's documentation, by its path in the repository. */
export interface Page {
  readonly path: string;
  readonly text: string;
}

/** README.md and every page of docs/: what the README says moved there is held to the same checks. */
export function userDocs(): Page[] {
  const docs = readdirSync(join(REPO, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .sort()
    .map((f) => `docs/${f}`);
  return ['README.md', ...docs].map((path) => ({ path, text: readFileSync(join(REPO, path), 'utf8') }));
}
