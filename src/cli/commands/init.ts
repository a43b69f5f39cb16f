import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UserError } from '../../diagnostics.ts';
import type { Io } from '../io.ts';

export interface InitArgs {
  /** The repository folder, created if missing. */
  readonly dir: string;
}

/** What `init` writes: the file in the repository, from the file in templates/init/. */
const SCAFFOLD: readonly { readonly path: string; readonly template: string }[] = [
  { path: 'fleet.yaml', template: 'fleet.yaml' },
  { path: '.gitignore', template: 'gitignore' }, // npm leaves out a file named .gitignore when it packs
  { path: '.github/workflows/meshfleet.yml', template: 'workflow.yml' },
  { path: 'README.md', template: 'README.md' },
];

/**
 * `meshfleet init [DIR]`: scaffolds a fleet repository. A file that is already there is kept as it is and named, so
 * that init can run in a repository that has some of them.
 */
export function initCommand(io: Io, args: InitArgs): number {
  const root = resolve(io.cwd, args.dir);
  const templates = templatesFolder();
  mkdirSync(root, { recursive: true });
  for (const { path, template } of SCAFFOLD) {
    const target = join(root, path);
    const shown = relative(io.cwd, target) || path;
    if (existsSync(target)) {
      io.out(`kept ${shown} (already there)`);
      continue;
    }
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, readFileSync(join(templates, template)));
    io.out(`wrote ${shown}`);
  }
  const inside = relative(io.cwd, root);
  io.out(
    `Next: ${inside ? `cd ${inside} && ` : ''}edit fleet.yaml, then \`npx meshfleet validate\` and \`npx meshfleet render\`.`,
  );
  return 0;
}

/** templates/init of this package, found from the running module: src/cli/commands/ in a checkout, build/chunks/ when built. */
function templatesFolder(): string {
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    const candidate = join(dir, 'templates', 'init');
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) throw new UserError('templates/init is missing from the meshfleet package: reinstall it');
  }
}
