/**
 * The floors of ARCHITECTURE.md, enforced (`npm test` fails on a breach). Each floor imports only the floors
 * below it; a re-export does not launder an edge, because dependency-cruiser follows the import to the file that
 * defines the name and checks that edge too.
 *
 *   1 domain/                 nothing of ours, no Node built-in (it runs in the page too), zod only
 *   2 db/, hardware/          domain/
 *   3 core/                   domain/, db/, hardware/, the generated city wire types
 *   4 electron/               core/, domain/, the city simulator's public entry (training mode)
 *   4 renderer/               domain/, core/'s contract, client, result and method names
 *   - city-api/               its own code, domain/'s pure code tables and helpers, the generated wire types
 */
const OURS = '(domain|core|db|hardware|city-api|electron|renderer)';
/** A path of ours outside the given folders (each a regex fragment relative to the project root). */
const oursExcept = (allowed) => `^(?!(${allowed.join('|')})(/|$))${OURS}/`;
const FRAMEWORKS = '^node_modules/(electron|react|react-dom|react-i18next|react-hook-form|i18next)/';
const NPM = ['npm', 'npm-dev', 'npm-optional', 'npm-peer', 'npm-bundled', 'npm-no-pkg', 'npm-unknown'];
const NODE_BUILTIN = { dependencyTypes: ['core'] };

/** One forbidden edge: `from` is a path regex (or a dependency-cruiser `from` object), `to` a `to` object. */
const forbid = (name, comment, from, to) => ({
  name,
  comment,
  severity: 'error',
  from: typeof from === 'string' ? { path: from } : from,
  to,
});

module.exports = {
  forbidden: [
    forbid('domain-is-the-ground', 'domain/ imports nothing of ours: it is the floor everything else stands on.',
      '^domain/', { path: oursExcept(['domain']) }),
    forbid('domain-no-node-builtins', 'domain/ runs in the page too: no Node built-in module, with or without the node: prefix.',
      '^domain/', NODE_BUILTIN),
    forbid('domain-only-pure-libraries', 'domain/ may use zod and nothing else from npm (no I/O, no framework); its tests may use test libraries.',
      { path: '^domain/', pathNot: '\\.test\\.ts$' }, { dependencyTypes: NPM, pathNot: '^node_modules/zod/' }),
    forbid('db-only-domain', 'db/ stands on domain/ only.',
      '^db/', { path: oursExcept(['db', 'domain']) }),
    forbid('hardware-only-domain', 'hardware/ stands on domain/ only.',
      '^hardware/', { path: oursExcept(['hardware', 'domain']) }),
    forbid('core-below-the-shells', 'core/ is the application: domain/, db/, hardware/ and the generated wire types, never a shell, the UI or the simulator.',
      '^core/', { path: oursExcept(['core', 'domain', 'db', 'hardware', 'city-api/generated']) }),
    forbid('below-the-shells-no-frameworks', 'domain/, db/, hardware/, core/ and city-api/ run under plain Node and in tests: never Electron, never React.',
      '^(domain|db|hardware|core|city-api)/', { path: FRAMEWORKS }),
    forbid('shell-through-core', 'electron/ reaches the desk through core/ (and domain/ types); the city simulator only through its public entry.',
      '^electron/', { path: oursExcept(['electron', 'core', 'domain', 'city-api/index\\.ts']) }),
    forbid('electron-only-in-main-and-preload', 'Only the Electron main process and the preload may import electron; browser mode and shared shell code never do.',
      { path: '^electron/', pathNot: '^electron/(main|preload)/' }, { path: '^node_modules/electron/' }),
    forbid('preload-stays-small', 'The preload carries channel names and a typed bridge: no zod, no domain schemas, nothing of core/ but type imports and core/api/methods.ts (the zod-free list of names).',
      '^electron/preload/', { path: '^(node_modules/zod/|domain/|core/(?!api/methods\\.ts$)|db/|hardware/)', dependencyTypesNot: ['type-only'] }),
    forbid('renderer-only-the-contract', 'The renderer talks only to KioskApi: domain/ and core/api contract, client, result and method names; never db/, hardware/, a shell.',
      '^renderer/', { path: `${oursExcept(['renderer', 'domain', 'core/api/(contract|client|result|methods)\\.ts'])}|^node_modules/electron/` }),
    forbid('renderer-no-node-builtins', 'The renderer runs in the page.',
      '^renderer/', NODE_BUILTIN),
    forbid('city-api-self-contained', "city-api/ is the city's side: its own code, domain/'s pure code tables, ID-number check, dates, canonical JSON and PRNG (one copy of each) and nothing of the desk.",
      '^city-api/', { path: oursExcept(['city-api', 'domain/(codes|idnumber|dates|canonical|prng)\\.ts']) }),
    forbid('no-re-export-across-floors', 'A re-export across folders would launder an edge (a shell reaching db/ through a core/ file that only re-exports it): import from the floor that defines the name.',
      `^${OURS}/`, { path: `^${OURS}/`, pathNot: '^$1/', dependencyTypes: ['export'] }),
    forbid('no-circular', 'An import cycle hides which floor a file is on.', {}, { circular: true }),
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '(^|/)(dist|out|release)/' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
