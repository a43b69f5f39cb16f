import { EXAMPLE } from './cli.ts';

/** The example fleet, as text: cli.ts's EXAMPLE, under the name the tests of big fleets know it by. */
export const EXAMPLE_FLEET = EXAMPLE;

/**
 * A fleet of `count` clusters (one storage cluster, the rest applications) in the example's shape. The two
 * variants differ in the Vault server and the Cilium version, so that several files of every cluster differ.
 */
export function bigFleet(count: number, variant: 0 | 1 = 0): string {
  const head = EXAMPLE_FLEET.slice(0, EXAMPLE_FLEET.indexOf('clusters:'))
    .replace(/server: .*/, `server: https://vault-${variant}.example.internal:8200`)
    .replace(/version: 1\.19\.6/, `version: ${variant === 0 ? '1.19.6' : '1.20.0'}`);
  const lines = ['clusters:', '  - {name: storage, id: 1, role: storage, application: s3, environment: production-0}'];
  for (let i = 2; i <= count; i++)
    lines.push(`  - {name: app-${i}, id: ${i}, role: application, application: app${i}, environment: production-0}`);
  return `${head}${lines.join('\n')}\n`;
}
