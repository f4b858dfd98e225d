/**
 * The contract cannot drift: (1) every zod schema of contract.ts has the same properties, required lists, enums
 * and bounds as its same-named component schema in openapi.yaml; (2) real simulator answers (every status code
 * the tests can provoke) are valid against the schema the YAML documents for that path, method, status and
 * media type (ajv, JSON Schema 2020-12), and parse with the zod schemas.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import SwaggerParser from '@apidevtools/swagger-parser';
import { Ajv2020 } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import {
  AdminRequestsResponseSchema,
  BatchResponseSchema,
  CONTRACT_SCHEMAS,
  FaultsSchema,
  ProblemSchema,
  StatusUpdatesResponseSchema,
  TokenResponseSchema,
} from './contract';
import { basePayload, call, item, MOTHER_ID, startTestSim, wrongCheck, type RawOptions, type RawResponse, type TestSim } from './testkit';

type Json = Record<string, unknown>;
const here = path.dirname(fileURLToPath(import.meta.url));
const doc = parseYaml(readFileSync(path.join(here, 'openapi.yaml'), 'utf8')) as Json & {
  paths: Record<string, Record<string, Json>>;
  components: { schemas: Record<string, Json>; responses: Record<string, Json>; headers: Record<string, Json> };
};

function resolveRef(ref: string): Json {
  if (!ref.startsWith('#/')) throw new Error(`external $ref not allowed: ${ref}`);
  let node: unknown = doc;
  for (const part of ref.slice(2).split('/')) node = (node as Json | undefined)?.[part];
  if (!node) throw new Error(`dangling $ref ${ref}`);
  return node as Json;
}
const deref = (node: Json): Json => (typeof node.$ref === 'string' ? deref(resolveRef(node.$ref)) : node);

/** The comparable part of a JSON schema: types, properties, required, enums, consts, formats and bounds. */
function shape(input: Json): Json {
  const s = deref(input);
  const out: Json = {};
  for (const k of ['type', 'const', 'format', 'minLength', 'maxLength', 'minItems', 'maxItems'] as const) {
    if (s[k] !== undefined) out[k] = s[k];
  }
  // zod adds its own RFC 3339 pattern to date-times; the format says the same.
  if (s.pattern !== undefined && s.format !== 'date-time') out.pattern = s.pattern;
  for (const k of ['minimum', 'maximum'] as const) {
    const v = s[k];
    if (typeof v === 'number' && Math.abs(v) !== Number.MAX_SAFE_INTEGER) out[k] = v;
  }
  if (Array.isArray(s.enum)) out.enum = [...(s.enum as unknown[])].map(String).sort();
  if (s.properties) {
    out.properties = Object.fromEntries(
      Object.entries(s.properties as Record<string, Json>)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, v]) => [k, shape(v)]),
    );
    out.required = [...((s.required as string[] | undefined) ?? [])].sort();
  }
  if (s.items) out.items = shape(s.items as Json);
  return out;
}

describe('zod schemas ⇔ openapi.yaml components', () => {
  it('is a valid OpenAPI 3.1 document', async () => {
    const fresh = parseYaml(readFileSync(path.join(here, 'openapi.yaml'), 'utf8')) as Parameters<typeof SwaggerParser.validate>[0];
    const api = await SwaggerParser.validate(fresh);
    expect((api as { openapi?: string }).openapi).toBe('3.1.0');
  });

  it('has a component for every zod schema and every $ref resolves', () => {
    for (const name of Object.keys(CONTRACT_SCHEMAS)) expect(doc.components.schemas, name).toHaveProperty(name);
    const walk = (node: unknown): void => {
      if (Array.isArray(node)) node.forEach(walk);
      else if (node && typeof node === 'object') {
        for (const [k, v] of Object.entries(node)) {
          if (k === '$ref') resolveRef(v as string);
          else walk(v);
        }
      }
    };
    walk(doc);
  });

  for (const [name, schema] of Object.entries(CONTRACT_SCHEMAS)) {
    it(`${name}: same properties, required, enums and bounds`, () => {
      const fromZod = shape(z.toJSONSchema(schema as z.ZodType) as Json);
      const fromYaml = shape(doc.components.schemas[name]!);
      expect(fromYaml).toEqual(fromZod);
    });
  }

  it('documents the bounds and every problem status the server uses', () => {
    const batch = doc.paths['/v1/requests:batch']!.post!;
    expect(Object.keys(batch.responses as Json).sort()).toEqual(['200', '400', '401', '413', '415', '426', '429', '500', '503']);
    expect(String(doc.info && (doc.info as Json).description)).toContain('1 MiB (1 048 576 bytes)');
    expect(deref(doc.components.schemas.BatchRequest!.properties as Json).items).toMatchObject({ maxItems: 100 });
  });
});

describe('simulator answers ⇔ openapi.yaml', () => {
  let t: TestSim;
  const exchanges: Array<{ method: string; path: string; res: RawResponse }> = [];

  const ajv = new Ajv2020({ strict: true, allErrors: true });
  addFormats(ajv);
  // The YAML's components, self-contained, as one JSON Schema document.
  const rootId = 'https://city-api.newborn-desk.example/openapi-components.json';
  const schemas = JSON.parse(JSON.stringify(doc.components.schemas).replaceAll('"#/components/schemas/', '"#/$defs/'));
  ajv.addSchema({ $id: rootId, $defs: schemas });
  const validatorFor = (node: Json) => {
    const ref = node.$ref as string | undefined;
    if (!ref?.startsWith('#/components/schemas/')) throw new Error('response schemas must be named components');
    return ajv.getSchema(`${rootId}#/$defs/${ref.slice('#/components/schemas/'.length)}`)!;
  };

  async function record(p: string, opts: RawOptions = {}): Promise<RawResponse> {
    const res = await call(`${t.sim.url}${p}`, opts);
    exchanges.push({ method: (opts.method ?? 'GET').toLowerCase(), path: p.split('?')[0]!, res });
    return res;
  }

  beforeAll(async () => {
    t = await startTestSim({ reviewClock: { receivedToReviewMs: 1000, reviewToDecisionMs: 1000 } });
    const proto = { 'X-Client-Protocol': '1' };
    const tokenRes = await record('/v1/oauth/token', {
      method: 'POST',
      headers: { ...proto, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials&client_id=H001:desk-1&client_secret=x',
    });
    const auth = { ...proto, Authorization: `Bearer ${tokenRes.json.access_token}` };
    const json = { ...auth, 'Content-Type': 'application/json' };
    const batch = (items: unknown[]) => record('/v1/requests:batch', { method: 'POST', headers: json, body: JSON.stringify({ items }) });

    const cert = item('birth_certificate');
    const p = basePayload();
    const sample = [cert, item('vaccination'), item('vaccination', { ...p, mother: { ...(p.mother as object), docNumber: wrongCheck(MOTHER_ID) } })];
    await batch(sample);
    await batch([cert, { ...cert, payload: {} }]); // duplicate, conflict
    t.sim.admin.advance(5000);
    const issued = t.sim.admin.listRequests({ idempotencyKey: cert.idempotencyKey })[0]!.documentNumber!;
    await batch([
      item('household_registration', { ...p, birthCertificateNumber: issued, householdAddress: 'a' }),
      item('household_registration', { ...p, birthCertificateNumber: issued }),
      item('maternity_insurance', { ...p, birthCertificateNumber: issued, mother: { ...(p.mother as object), insured: false } }),
    ]);
    t.sim.admin.advance(5000);
    await record('/v1/status-updates?limit=3', { headers: auth });
    await record('/v1/status-updates?limit=500', { headers: auth });

    // Problems.
    await record('/v1/status-updates', {}); // 400 missing protocol
    await record('/v1/status-updates', { headers: { 'X-Client-Protocol': '2' } }); // 426
    await record('/v1/status-updates', { headers: proto }); // 401
    await record('/v1/status-updates?limit=900', { headers: auth }); // 400
    await record('/v1/oauth/token', { method: 'POST', headers: { ...proto, 'Content-Type': 'application/json' }, body: '{"grant_type":"client_credentials","client_id":"H1:D1"}' });
    await record('/v1/oauth/token', { method: 'POST', headers: { ...proto, 'Content-Type': 'text/plain' }, body: 'x' }); // 415
    await record('/v1/requests:batch', { method: 'POST', headers: json, body: '{"items": [' }); // 400
    await record('/v1/requests:batch', { method: 'POST', headers: json, body: JSON.stringify({ items: Array.from({ length: 101 }, () => item('vaccination')) }) }); // 413
    await record('/v1/requests:batch', { method: 'POST', headers: { ...auth, 'Content-Type': 'text/plain' }, body: '{}' }); // 415
    t.sim.admin.setFaults({ rateLimitRate: 1 });
    await record('/v1/status-updates', { headers: auth }); // 429
    await record('/v1/requests:batch', { method: 'POST', headers: json, body: JSON.stringify({ items: [item('vaccination')] }) }); // 429
    t.sim.admin.setFaults({ rateLimitRate: 0, errorRate: 1, seed: 3 });
    for (let i = 0; i < 6; i++) await record('/v1/requests:batch', { method: 'POST', headers: json, body: JSON.stringify({ items: [item('vaccination')] }) }); // 500 / 503
    t.sim.admin.setFaults({ errorRate: 0 });

    // Admin.
    const admin = { Authorization: 'Bearer test-admin-token' };
    await record('/admin/faults', { headers: admin });
    await record('/admin/faults', { method: 'POST', headers: { ...admin, 'Content-Type': 'application/json' }, body: '{"latencyMs":0}' });
    await record('/admin/faults', { method: 'POST', headers: { ...admin, 'Content-Type': 'application/json' }, body: '{"latencyMs":-1}' });
    await record('/admin/requests', { headers: admin });
    await record('/admin/advance', { method: 'POST', headers: { ...admin, 'Content-Type': 'application/json' }, body: '{"ms":1000}' });
  });
  afterAll(() => t.stop());

  it('provoked every documented /v1 outcome', () => {
    const seen = new Set(exchanges.map((e) => `${e.method} ${e.path} ${e.res.status}`));
    for (const s of ['200', '400', '413', '415', '429', '500', '503']) expect(seen).toContain(`post /v1/requests:batch ${s}`);
    for (const s of ['200', '400', '401', '426', '429']) expect(seen).toContain(`get /v1/status-updates ${s}`);
    const outcomes = new Set(exchanges.flatMap((e) => (e.path === '/v1/requests:batch' && e.res.status === 200 ? e.res.json.results.map((r: { outcome: string }) => r.outcome) : [])));
    expect([...outcomes].sort()).toEqual(['accepted', 'conflict', 'duplicate', 'rejected']);
    const statuses = new Set(exchanges.flatMap((e) => (e.path === '/v1/status-updates' && e.res.status === 200 ? e.res.json.updates.map((u: { status: string }) => u.status) : [])));
    expect([...statuses].sort()).toEqual(['approved', 'in_review', 'issued', 'needs_info', 'received', 'rejected']);
  });

  it('every answer is documented for its path, method and status, and valid against the YAML schema', () => {
    for (const { method, path: p, res } of exchanges) {
      const op = doc.paths[p]?.[method];
      expect(op, `${method} ${p} is documented`).toBeTruthy();
      const documented = (op!.responses as Record<string, Json>)[String(res.status)];
      expect(documented, `${method} ${p} ${res.status} is documented`).toBeTruthy();
      const response = deref(documented!);
      const ct = String(res.headers['content-type']);
      const media = (response.content as Record<string, Json>)[ct];
      expect(media, `${method} ${p} ${res.status} documents ${ct}`).toBeTruthy();
      const validate = validatorFor(media!.schema as Json);
      const ok = validate(res.json);
      expect(ok, `${method} ${p} ${res.status}: ${JSON.stringify(validate.errors)} for ${res.text.slice(0, 300)}`).toBe(true);
      for (const name of Object.keys((response.headers as Json | undefined) ?? {})) {
        expect(res.headers[name.toLowerCase()], `${method} ${p} ${res.status} carries ${name}`).toBeTruthy();
      }
    }
  });

  it('the same answers parse with the zod schemas of contract.ts', () => {
    for (const { path: p, res } of exchanges) {
      if (res.status >= 400) ProblemSchema.parse(res.json);
      else if (p === '/v1/oauth/token') TokenResponseSchema.parse(res.json);
      else if (p === '/v1/requests:batch') BatchResponseSchema.parse(res.json);
      else if (p === '/v1/status-updates') StatusUpdatesResponseSchema.parse(res.json);
      else if (p === '/admin/faults') FaultsSchema.parse(res.json);
      else if (p === '/admin/requests') AdminRequestsResponseSchema.parse(res.json);
    }
  });

  it('the requests the tests send are valid against the YAML request schemas', () => {
    const validate = ajv.getSchema(`${rootId}#/$defs/BatchRequest`)!;
    expect(validate({ items: [item('vaccination'), item('household_registration')] })).toBe(true);
    expect(validate({ items: [{ ...item('vaccination'), service: 'nope' }] })).toBe(false);
    expect(validate({ items: [] })).toBe(false);
  });
});
