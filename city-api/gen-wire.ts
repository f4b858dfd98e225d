/**
 * The wire format from one source: generates the TypeScript types and zod (v4) schemas of `openapi.yaml`'s
 * components into `city-api/generated/` (committed), with @hey-api/openapi-ts. The operations (`paths`) are
 * left out of the generator's input: the simulator routes and the desk's sync client use the component schemas
 * only, and per operation the generator would add Data/Errors/Responses maps that nothing imports and that
 * repeat one another (the same problem responses under every operation).
 *
 *   npm run gen:wire                       regenerate city-api/generated/ from city-api/openapi.yaml
 *   tsx city-api/gen-wire.ts --check       fail when city-api/generated/ is not what the YAML generates
 *   tsx city-api/gen-wire.ts --check --input <yaml> --generated <dir>    the same for other paths (tests)
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createClient } from '@hey-api/openapi-ts';
import { parse } from 'yaml';

const HERE = path.dirname(new URL(import.meta.url).pathname);
export const DEFAULT_INPUT = path.join(HERE, 'openapi.yaml');
export const DEFAULT_GENERATED = path.join(HERE, 'generated');

/** Generate the types and zod schemas of `input`'s components into `output` (replacing what is there). */
export async function generateWire(input: string, output: string): Promise<void> {
  const spec = parse(readFileSync(path.resolve(input), 'utf8')) as Record<string, unknown>;
  await createClient({
    input: { ...spec, paths: {} },
    output: { path: path.resolve(output), clean: true },
    plugins: ['@hey-api/typescript', { name: 'zod', compatibilityVersion: 4 }],
    logs: { level: 'silent' },
  });
}

function files(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  let names: string[] = [];
  try {
    names = readdirSync(dir).sort();
  } catch {
    // A missing folder is an empty one: every generated file then counts as changed.
  }
  for (const name of names) out.set(name, readFileSync(path.join(dir, name), 'utf8'));
  return out;
}

/** The file names that differ between what `input` generates and `generated` (empty = current). */
export async function staleFiles(input: string, generated: string): Promise<string[]> {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'gen-wire-'));
  try {
    await generateWire(input, tmp);
    const fresh = files(tmp);
    const committed = files(generated);
    const names = [...new Set([...fresh.keys(), ...committed.keys()])].sort();
    return names.filter((n) => fresh.get(n) !== committed.get(n));
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) {
  const input = arg('--input') ?? DEFAULT_INPUT;
  const generated = arg('--generated') ?? DEFAULT_GENERATED;
  if (process.argv.includes('--check')) {
    const stale = await staleFiles(input, generated);
    if (stale.length > 0) {
      console.error(`city-api/openapi.yaml changed: run npm run gen:wire (stale: ${stale.join(', ')})`);
      process.exit(1);
    }
    console.log('city-api/generated/ is current with city-api/openapi.yaml');
  } else {
    await generateWire(input, generated);
    console.log(`generated ${path.relative(process.cwd(), generated)}/ from ${path.relative(process.cwd(), input)}`);
  }
}
