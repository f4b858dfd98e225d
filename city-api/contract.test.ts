/**
 * The contract cannot drift: (1) the zod schemas and types are generated from openapi.yaml (`npm run gen:wire`)
 * and the check `npm test` runs catches a YAML edited without regenerating; its enums are domain/codes.ts;
 * (2) real simulator answers (every status code
 * the tests can provoke) are valid against the schema the YAML documents for that path, method, status and
 * media type (ajv, JSON Schema 2020-12), and parse with the zod schemas.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import SwaggerParser from '@apidevtools/swagger-parser';
import { Ajv2020 } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { DISTRICT_CODES, SERVICES } from '../domain/codes';
import {
  AdminRequestsResponseSchema,
  BatchResponseSchema,
  CURRENT_PROTOCOL,
  DEFAULT_FEED_LIMIT,
  FaultsSchema,
  MAX_BATCH_BYTES,
  MAX_BATCH_ITEMS,
  MAX_FEED_LIMIT,
  SERVER_STATUS_RANK,
  ProblemSchema,
  StatusUpdatesResponseSchema,
  TokenResponseSchema,
} from './contract';
import * as wire from './generated/zod.gen';
import { basePayload, call, item, MOTHER_ID, startTestSim, wrongCheck, type RawOptions, type RawResponse, type TestSim } from './testkit';

type Json = Record<string, unknown>;
const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.join(here, '..');
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

describe('openapi.yaml, the one source of the wire format', () => {
  it('is a valid OpenAPI 3.1 document and every $ref resolves', async () => {
    const fresh = parseYaml(readFileSync(path.join(here, 'openapi.yaml'), 'utf8')) as Parameters<typeof SwaggerParser.validate>[0];
    const api = await SwaggerParser.validate(fresh);
    expect((api as { openapi?: string }).openapi).toBe('3.1.0');
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

  it("its enums are domain/codes.ts's code tables (one copy of the codes)", () => {
    const yamlEnum = (name: string) => [...(doc.components.schemas[name]!.enum as string[])].sort();
    expect(yamlEnum('Service')).toEqual([...SERVICES].sort());
    expect(yamlEnum('District')).toEqual([...DISTRICT_CODES].sort());
    expect(wire.zService.options).toEqual([...SERVICES]);
    expect(wire.zDistrict.options).toEqual([...DISTRICT_CODES]);
    expect(Object.keys(SERVER_STATUS_RANK).sort()).toEqual(yamlEnum('ServerStatus'));
  });

  it('documents the bounds and every problem status the server uses; the constants are read from it', () => {
    const batch = doc.paths['/v1/requests:batch']!.post!;
    expect(Object.keys(batch.responses as Json).sort()).toEqual(['200', '400', '401', '413', '415', '426', '429', '500', '503']);
    expect(String(doc.info && (doc.info as Json).description)).toContain(`1 MiB (1 048 576 bytes)`);
    expect(MAX_BATCH_BYTES).toBe(1_048_576);
    expect(deref(doc.components.schemas.BatchRequest!.properties as Json).items).toMatchObject({ maxItems: MAX_BATCH_ITEMS });
    expect([MAX_BATCH_ITEMS, DEFAULT_FEED_LIMIT, MAX_FEED_LIMIT]).toEqual([100, 100, 500]);
    expect(String((doc.info as Json).version)).toBe(String(CURRENT_PROTOCOL));
  });

  it('the generated types are current, and a changed YAML is caught by the check `npm test` runs', () => {
    const tmp = mkdtempSync(path.join(tmpdir(), 'wire-yaml-'));
    try {
      const run = (yaml: string) =>
        spawnSync(path.join(root, 'node_modules/.bin/tsx'), [path.join(here, 'gen-wire.ts'), '--check', '--input', yaml], { cwd: root, encoding: 'utf8' });
      const same = path.join(tmp, 'same.yaml');
      copyFileSync(path.join(here, 'openapi.yaml'), same);
      const ok = run(same);
      expect(ok.status, ok.stderr).toBe(0);
      const text = readFileSync(same, 'utf8');
      /** The YAML with one edit must fail the check, naming the generated file that is now stale. */
      const staleAfter = (name: string, from: string, to: string, staleFile: string) => {
        const edited = text.replace(from, to);
        expect(edited).not.toBe(text);
        writeFileSync(path.join(tmp, name), edited);
        const stale = run(path.join(tmp, name));
        expect(stale.status).toBe(1);
        expect(stale.stderr).toContain('city-api/openapi.yaml changed: run npm run gen:wire');
        expect(stale.stderr).toContain(staleFile);
      };
      // A component's field changed: its zod schema differs.
      staleAfter('changed.yaml', '          description: Why (rejected, needs_info).', '          maxLength: 4000\n          description: Why (rejected, needs_info).', 'zod.gen.ts');
      // An operation (not a component) changed: no generated schema differs, the recorded source digest does.
      staleAfter('operation.yaml', '      name: X-Client-Protocol\n', '      name: X-Client-Protocol\n      deprecated: false\n', 'source.ts');
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  }, 60_000);
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
