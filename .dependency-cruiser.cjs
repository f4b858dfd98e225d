/**
 * The floors of ARCHITECTURE.md, enforced (`npm test` fails on a breach). Each floor imports only the floors
 * below it; a re-export does not launder an edge, because dependency-cruiser follows the import to the file that
 * defines the name and checks that edge too.
 *
 *   1 domain/                 nothing of ours, no Node built-in (it runs in the page too)
 *   2 db/, hardware/          domain/
 *   3 core/                   domain/, db/, hardware/, the generated city wire types
 *   4 electron/               core/, domain/, the city simulator's public entry (training mode)
 *   4 renderer/               domain/, core/'s contract, client and result types
 *   - city-api/               its own code, domain/'s code tables, the generated wire types
 */
const OURS = '(domain|core|db|hardware|city-api|electron|renderer)';
/** A path of ours outside the given folders (each a regex fragment relative to the project root). */
const oursExcept = (allowed) => `^(?!(${allowed.join('|')})(/|$))${OURS}/`;
const FRAMEWORKS = '^node_modules/(electron|react|react-dom|react-i18next|react-hook-form|i18next)/';
const GENERATED_WIRE = 'city-api/generated';

module.exports = {
  forbidden: [
    {
      name: 'domain-is-the-ground',
      comment: 'domain/ imports nothing of ours: it is the floor everything else stands on.',
      severity: 'error',
      from: { path: '^domain/' },
      to: { path: oursExcept(['domain']) },
    },
    {
      name: 'domain-no-node-builtins',
      comment: 'domain/ runs in the page too: no Node built-in module, with or without the node: prefix.',
      severity: 'error',
      from: { path: '^domain/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'domain-only-pure-libraries',
      comment: 'domain/ may use zod and nothing else from npm (no I/O, no framework).',
      severity: 'error',
      from: { path: '^domain/', pathNot: '\\.test\\.ts$' },
      to: { dependencyTypes: ['npm', 'npm-dev', 'npm-optional', 'npm-peer', 'npm-bundled', 'npm-no-pkg', 'npm-unknown'], pathNot: '^node_modules/zod/' },
    },
    {
      name: 'db-only-domain',
      comment: 'db/ stands on domain/ only.',
      severity: 'error',
      from: { path: '^db/' },
      to: { path: oursExcept(['db', 'domain']) },
    },
    {
      name: 'hardware-only-domain',
      comment: 'hardware/ stands on domain/ only.',
      severity: 'error',
      from: { path: '^hardware/' },
      to: { path: oursExcept(['hardware', 'domain']) },
    },
    {
      name: 'core-below-the-shells',
      comment: 'core/ is the application: domain/, db/, hardware/ and the generated wire types, never a shell, the UI or the simulator.',
      severity: 'error',
      from: { path: '^core/' },
      to: { path: oursExcept(['core', 'domain', 'db', 'hardware', GENERATED_WIRE]) },
    },
    {
      name: 'below-the-shells-no-frameworks',
      comment: 'domain/, db/, hardware/, core/ and city-api/ run under plain Node and in tests: never Electron, never React.',
      severity: 'error',
      from: { path: '^(domain|db|hardware|core|city-api)/' },
      to: { path: FRAMEWORKS },
    },
    {
      name: 'shell-through-core',
      comment: 'electron/ reaches the desk through core/ (and domain/ types); the city simulator only through its public entry.',
      severity: 'error',
      from: { path: '^electron/' },
      to: { path: oursExcept(['electron', 'core', 'domain', 'city-api/index\\.ts']) },
    },
    {
      name: 'electron-only-in-main-and-preload',
      comment: 'Only the Electron main process and the preload may import electron; browser mode and shared shell code never do.',
      severity: 'error',
      from: { path: '^electron/', pathNot: '^electron/(main|preload)/' },
      to: { path: '^node_modules/electron/' },
    },
    {
      name: 'preload-stays-small',
      comment: "The preload carries channel names and a typed bridge: no zod, no domain schemas, nothing of core/ but type imports and core/api/methods.ts (the zod-free list of names).",
      severity: 'error',
      from: { path: '^electron/preload/' },
      to: { path: '^(node_modules/zod/|domain/|core/(?!api/methods\\.ts$)|db/|hardware/)', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'renderer-only-the-contract',
      comment: 'The renderer talks only to KioskApi: domain/ and core/api contract, client and result, never db/, hardware/, a shell or Node.',
      severity: 'error',
      from: { path: '^renderer/' },
      to: { path: `${oursExcept(['renderer', 'domain', 'core/api/(contract|client|result|methods)\\.ts'])}|^node_modules/electron/` },
    },
    {
      name: 'renderer-no-node-builtins',
      comment: 'The renderer runs in the page.',
      severity: 'error',
      from: { path: '^renderer/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'city-api-self-contained',
      comment: "city-api/ is the city's side: its own code, domain/'s pure code tables, ID-number check, dates, canonical JSON and PRNG (one copy of each) and nothing of the desk.",
      severity: 'error',
      from: { path: '^city-api/' },
      to: { path: oursExcept(['city-api', 'domain/(codes|idnumber|dates|canonical|prng)\\.ts']) },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '(^|/)(dist|out|release)/' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
