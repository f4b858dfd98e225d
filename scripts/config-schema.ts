/**
 * `npm run config:schema`: writes `build/config.schema.json`, the JSON Schema of IT's config file, generated from
 * the one zod schema (`core/config/schema.ts`) so the two can never disagree. `--check` exits 1 when the shipped
 * file is stale (a test checks the same).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { DeskConfigSchema } from '../core/config/schema';

export const SCHEMA_FILE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'build', 'config.schema.json');

export function generateConfigSchema(): string {
  // `input`: what IT writes — keys with defaults are optional.
  const schema = z.toJSONSchema(DeskConfigSchema, { io: 'input', target: 'draft-2020-12', unrepresentable: 'any' }) as Record<string, unknown>;
  const properties = (schema.properties ?? {}) as Record<string, unknown>;
  const out = {
    $schema: schema.$schema,
    $id: 'https://newborn-desk.invalid/config.schema.json',
    title: 'Newborn Desk — machine configuration (set by hospital IT)',
    description:
      'One file per desk PC: Windows %ProgramData%\\NewbornDesk\\config.json, Linux /etc/newborn-desk/config.json ' +
      '(or the path in NEWBORN_DESK_CONFIG / --config=<path>). Every key set here is locked for the desk user. ' +
      'Without cityApi the desk runs in TRAINING mode against its embedded simulator.',
    ...Object.fromEntries(Object.entries(schema).filter(([k]) => k !== '$schema')),
    // Editors put a `$schema` reference in the file; the desk ignores it.
    properties: { $schema: { type: 'string' }, ...properties },
  };
  return `${JSON.stringify(out, null, 2)}\n`;
}

const isMain = process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const fresh = generateConfigSchema();
  if (process.argv.includes('--check')) {
    let shipped = '';
    try {
      shipped = readFileSync(SCHEMA_FILE, 'utf8');
    } catch {
      /* missing */
    }
    if (shipped !== fresh) {
      console.error(`${path.relative(process.cwd(), SCHEMA_FILE)} is stale: run npm run config:schema`);
      process.exit(1);
    }
    console.log(`${path.relative(process.cwd(), SCHEMA_FILE)} is up to date`);
  } else {
    writeFileSync(SCHEMA_FILE, fresh);
    console.log(`wrote ${path.relative(process.cwd(), SCHEMA_FILE)}`);
  }
}
