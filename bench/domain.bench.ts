/**
 * Domain speed: how long validating the whole form takes (the UI validates on every change, in draft mode, and
 * once more on submit), and deriving the bundle's requests. Run: `npx tsx bench/domain.bench.ts`.
 * Prints per-call percentiles in microseconds and merges them into bench/results.json.
 */
import { performance } from 'node:perf_hooks';
import { deriveRequests, explainServices } from '../domain/bundle';
import { SAMPLE_NOW, sampleRegistration, sampleRegistrationInput } from '../domain/fixtures';
import { validateRegistration } from '../domain/validate';
import { percentile, recordResults } from './results';

const N = Number(process.env.BENCH_N ?? 20_000);

function measure(name: string, fn: (i: number) => unknown): { p50: number; p99: number } {
  for (let i = 0; i < 2_000; i++) fn(i); // warm-up (JIT)
  const times: number[] = [];
  for (let i = 0; i < N; i++) {
    const t0 = performance.now();
    fn(i);
    times.push((performance.now() - t0) * 1000);
  }
  const r = { p50: percentile(times, 50), p99: percentile(times, 99) };
  console.log(`${name.padEnd(34)} p50 ${r.p50.toFixed(1).padStart(7)} µs   p99 ${r.p99.toFixed(1).padStart(7)} µs   (n=${N})`);
  return r;
}

const input = sampleRegistrationInput();
const halfTyped = { mother: { ...input.mother, birthDate: '' }, child: { ...input.child, weightG: 9000 }, services: input.services };
const reg = sampleRegistration();
let k = 0;
const ctx = { hospitalDistrict: '330302' as const, newId: () => `id-${++k}` };

const submit = measure('validateRegistration(submit)', () => validateRegistration(input, { now: SAMPLE_NOW, mode: 'submit' }));
const draft = measure('validateRegistration(draft, half)', () => validateRegistration(halfTyped, { now: SAMPLE_NOW, mode: 'draft' }));
const explain = measure('explainServices', () => explainServices(halfTyped, ctx));
const derive = measure('deriveRequests (5 services)', () => deriveRequests(reg, ctx));

recordResults({
  domain_validate_submit_p50_us: submit.p50,
  domain_validate_submit_p99_us: submit.p99,
  domain_validate_draft_p99_us: draft.p99,
  domain_explain_services_p99_us: explain.p99,
  domain_derive_requests_p99_us: derive.p99,
});
