import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { generateConfigSchema, SCHEMA_FILE } from './config-schema';

describe('build/config.schema.json (for hospital IT)', () => {
  it('equals a fresh generation from the zod schema (run `npm run config:schema` when this fails)', () => {
    expect(readFileSync(SCHEMA_FILE, 'utf8')).toBe(generateConfigSchema());
  });

  it('accepts the shipped example and rejects a broken file', () => {
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    (addFormats as unknown as (a: Ajv2020) => void)(ajv);
    const validate = ajv.compile(JSON.parse(readFileSync(SCHEMA_FILE, 'utf8')));
    const example = JSON.parse(readFileSync('build/config.example.json', 'utf8'));
    expect(validate(example), JSON.stringify(validate.errors)).toBe(true);
    expect(validate({ ...example, hospitalCode: 'X', kiosk: 'yes', extra: 1 })).toBe(false);
    const where = (validate.errors ?? []).map((e) => `${e.instancePath}|${e.keyword}`);
    expect(where).toEqual(expect.arrayContaining(['/hospitalCode|pattern', '/kiosk|type', '|additionalProperties']));
  });
});
