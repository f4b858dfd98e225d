/**
 * The layout rules fail on a breach: each forbidden edge is planted in a scratch tree (a copy of the project's
 * `.dependency-cruiser.cjs` with a minimal tsconfig) and dependency-cruiser must name the rule it breaks; the
 * allowed edges of the same tree pass.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..');
const scratch = mkdtempSync(path.join(os.tmpdir(), 'layout-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function cruise(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(scratch, 't-'));
  copyFileSync(path.join(root, '.dependency-cruiser.cjs'), path.join(dir, '.dependency-cruiser.cjs'));
  writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { module: 'ESNext', moduleResolution: 'Bundler', allowJs: true } }));
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), text);
  }
  const folders = [...new Set(Object.keys(files).map((f) => f.split('/')[0]!))];
  const r = spawnSync(path.join(root, 'node_modules', '.bin', 'depcruise'), ['--config', '.dependency-cruiser.cjs', '--output-type', 'err', ...folders], { cwd: dir, encoding: 'utf8' });
  return `${r.stdout}${r.stderr}`;
}

const LEAF = 'export const x = 1;\n';

describe('dependency-cruiser layout rules', () => {
  it.each([
    ['domain-is-the-ground', { 'domain/a.ts': "import { x } from '../db/b';\nexport const y = x;\n", 'db/b.ts': LEAF }],
    ['domain-no-node-builtins', { 'domain/a.ts': "import { readFileSync } from 'node:fs';\nexport const y = readFileSync;\n" }],
    ['db-only-domain', { 'db/a.ts': "import { x } from '../core/b';\nexport const y = x;\n", 'core/b.ts': LEAF }],
    ['hardware-only-domain', { 'hardware/a.ts': "import { x } from '../db/b';\nexport const y = x;\n", 'db/b.ts': LEAF }],
    ['core-below-the-shells', { 'core/a.ts': "import { x } from '../city-api/server';\nexport const y = x;\n", 'city-api/server.ts': LEAF }],
    ['shell-through-core', { 'electron/a.ts': "import { x } from '../db/b';\nexport const y = x;\n", 'db/b.ts': LEAF }],
    ['renderer-only-the-contract', { 'renderer/a.ts': "import { x } from '../core/api/service';\nexport const y = x;\n", 'core/api/service.ts': LEAF }],
    // A re-export does not launder the edge: core/ may import db/, but a contract file re-exporting it is caught.
    ['no-re-export-across-floors', { 'renderer/a.ts': "import { x } from '../core/api/contract';\nexport const y = x;\n", 'core/api/contract.ts': "export { x } from '../../db/b';\n", 'db/b.ts': LEAF }],
    // Nor does a re-export that stays within the rules on each edge: core/ re-exporting db/ for the shells.
    ['no-re-export-across-floors', { 'core/keys.ts': "export { x } from '../db/b';\n", 'db/b.ts': LEAF, 'electron/a.ts': "import { x } from '../core/keys';\nexport const y = x;\n" }],
    ['city-api-self-contained', { 'city-api/a.ts': "import { x } from '../core/b';\nexport const y = x;\n", 'core/b.ts': LEAF }],
  ])('a breach of %s fails', (rule, files) => {
    const out = cruise(files);
    expect(out).toContain(`error ${rule}:`);
  });

  it('the allowed edges pass', () => {
    const out = cruise({
      'domain/codes.ts': LEAF,
      'db/a.ts': "import { x } from '../domain/codes';\nexport const y = x;\n",
      'core/a.ts': "import { y } from '../db/a';\nexport const z = y;\n",
      'renderer/a.ts': "import { x } from '../domain/codes';\nexport const y = x;\n",
      'city-api/a.ts': "import { x } from '../domain/codes';\nexport const y = x;\n",
    });
    expect(out).toContain('no dependency violations found');
  });
});
