// Bundles the CLI into one ES module so `meshfleet` starts in tens of milliseconds instead of paying for a
// TypeScript loader on every run; dependencies stay in node_modules (packages: 'external').
import { build } from 'esbuild';

await build({
  entryPoints: ['src/cli/main.ts'],
  outfile: 'build/meshfleet.mjs',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  sourcemap: 'linked',
  logLevel: 'warning',
});
