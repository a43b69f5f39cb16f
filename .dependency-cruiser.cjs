/**
 * Import rules, checked by `npm test` (`npm run lint:imports`). The architecture runs one way:
 *
 *   load -> validate -> plan (pure) -> charts (cdk8s, typed plan) -> synth -> write
 *
 * with the CLI and the AWS/Kubernetes clients (dns, status, review, graph) as thin edges around it. A module may
 * import what is before it, never what comes after it, and no import may close a circle. docs/architecture.md says
 * the same in prose; a rule here that fails names the import to move.
 */

/** The pure core: what a fleet file is, how it is checked and what it plans. It reads no clock and no network. */
const CORE = [
  '^src/(load|validate|model|plan)/',
  // The policy a cluster's Vault role needs. src/vault/files.ts renders those grants as files, beside synth.
  '^src/vault/grants\\.ts$',
  '^src/(compile|diagnostics)\\.ts$',
  // Values many clusters' outputs hold by identity (docs/architecture.md, "Sharing"); it imports nothing of meshfleet.
  '^src/sharing/',
  // The fleet file's JSON Schema, which validate compiles.
  '^schema/',
];

/** What charts may use: the model and the plans it turns into cdk8s objects, the generated CRD types, itself. */
const CHARTS_MAY_IMPORT = ['^charts/', '^imports/', '^src/(model|plan|sharing)/'];

const local = ['local'];

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Modules that import each other cannot be read, tested or loaded one without the other: cut the circle.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'core-imports-only-core',
      severity: 'error',
      comment:
        'The core (load, validate, model, plan, the Vault grants) is pure and comes first: it never imports charts, ' +
        'synth, write, the CLI or the AWS/Kubernetes edges (dns, status, review, graph). Pass what it needs in instead.',
      from: { path: CORE },
      to: { dependencyTypes: local, pathNot: CORE },
    },
    {
      name: 'charts-import-only-the-model-and-plans',
      severity: 'error',
      comment:
        'charts/ turn a typed plan into cdk8s objects: they import src/model, src/plan, the generated imports/ and ' +
        'each other, never src/synth, src/write, src/cli or another edge.',
      from: { path: '^charts/' },
      to: { dependencyTypes: local, pathNot: CHARTS_MAY_IMPORT },
    },
    {
      name: 'sharing-imports-nothing-of-meshfleet',
      severity: 'error',
      comment: 'src/sharing is the bottom of the stack: every stage may use it, so it may use no stage.',
      from: { path: '^src/sharing/' },
      to: { dependencyTypes: local, pathNot: '^src/sharing/' },
    },
    {
      name: 'write-never-imports-the-cli',
      severity: 'error',
      comment: 'src/write is the only writer of output and serves every command: the CLI calls it, never the reverse.',
      from: { path: '^src/write/' },
      to: { path: '^src/cli/' },
    },
    {
      name: 'only-the-cli-uses-commander',
      severity: 'error',
      comment: "Parsing argv is the CLI's job (src/cli, bin/); everything else takes typed arguments.",
      from: { pathNot: '^(src/cli|bin)/' },
      to: { path: '^node_modules/commander/' },
    },
    {
      name: 'no-unresolvable',
      severity: 'error',
      comment: 'An import that resolves to nothing is a typo or a missing dependency.',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // bin/ loads the esbuild bundle, which is built output, not source.
    exclude: { path: '^build/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
