/**
 * The layout of DESIGN.md, enforced: where code may run is visible and checked (`npm test` fails on a breach).
 */
const notOurs = (allowed) => `^(?!(${allowed.join('|')})/)(core|db|hardware|city-api|electron|renderer)/`;
module.exports = {
  forbidden: [
    {
      name: 'core-db-hardware-no-electron-or-react',
      comment: 'core/, db/ and hardware/ run under plain Node and in tests: never Electron, never React.',
      severity: 'error',
      from: { path: '^(core|db|hardware|city-api)/' },
      to: { path: '^node_modules/(electron|react|react-dom|react-i18next|react-hook-form)/' },
    },
    {
      name: 'db-only-domain',
      comment: 'db/ imports nothing of ours but domain types.',
      severity: 'error',
      from: { path: '^db/' },
      to: { path: notOurs(['db', 'core/domain']) },
    },
    {
      name: 'hardware-only-domain',
      comment: 'hardware/ imports nothing of ours but domain types.',
      severity: 'error',
      from: { path: '^hardware/' },
      to: { path: notOurs(['hardware', 'core/domain']) },
    },
    {
      name: 'city-api-self-contained',
      comment: 'city-api/ is the city\'s side: its own code only.',
      severity: 'error',
      from: { path: '^city-api/' },
      to: { path: notOurs(['city-api']) },
    },
    {
      name: 'core-not-shells',
      comment: 'core/ never reaches the shells or the UI.',
      severity: 'error',
      from: { path: '^core/' },
      to: { path: '^(electron|renderer|city-api)/' },
    },
    {
      name: 'renderer-only-core',
      comment: 'The renderer talks only to KioskApi: core/ types, contract and validation; never db/, hardware/, electron.',
      severity: 'error',
      from: { path: '^renderer/' },
      to: { path: '^(db|hardware|electron|city-api)/|^node_modules/electron/' },
    },
    {
      name: 'electron-only-in-shell',
      comment: 'Only the Electron main process and preload may import electron; the browser-mode shell and shared app code never do.',
      severity: 'error',
      from: { path: '^electron/', pathNot: '^electron/(main|preload)/' },
      to: { path: '^node_modules/electron/' },
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
