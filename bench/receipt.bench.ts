/**
 * Receipt speed and size: render the five-service receipt (pdfkit, Noto Sans SC subset, QR) ~30 times after a
 * warm-up and report p50/p95 wall time, plus the start-up warm-up, the first real render after it, and the size.
 * Families vary between renders so that each receipt subsets its own glyphs. Run: `npx tsx bench/receipt.bench.ts`.
 * Goals: receipt_ms (p95) ≤ 150, receipt_kb ≤ 150.
 */
import { availableParallelism, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { fixtureReceiptInput, midFlight, receiptRegistration } from '../core/receipt/fixture';
import { renderReceipt, warmUpReceipts, type ReceiptInput } from '../core/receipt';
import { percentile, recordResults } from './results';

const N = Number(process.env.BENCH_N ?? 30);
const WARMUP = 5;

const FAMILIES: Array<[string, string, string | undefined]> = [
  ['王丽华', '陈建国', '陈思远'],
  ['赵雅琴', '周振宇', '周沐阳'],
  ['郑晓萍', '黄志强', undefined],
  ['吴美玲', '徐家豪', '徐若曦'],
  ['叶婉清', '潘国栋', '潘一诺'],
];

function input(i: number, training = false): ReceiptInput {
  const [mother, father, child] = FAMILIES[i % FAMILIES.length]!;
  const registration = receiptRegistration({ mother: { name: mother }, father: { name: father }, child: { name: child } });
  return fixtureReceiptInput({ registration, requests: midFlight, training, tracked: true });
}

// What start-up pays (off the critical path), then the first receipt after it.
const t0 = performance.now();
await warmUpReceipts();
const preload = performance.now() - t0;
const t1 = performance.now();
const first = await renderReceipt(input(0));
const firstMs = performance.now() - t1;

for (let i = 0; i < WARMUP; i++) await renderReceipt(input(i));
const times: number[] = [];
const cpu: number[] = [];
const sizes: number[] = [];
for (let i = 0; i < N; i++) {
  const c = process.cpuUsage();
  const t = performance.now();
  const pdf = await renderReceipt(input(i));
  times.push(performance.now() - t);
  const d = process.cpuUsage(c);
  cpu.push((d.user + d.system) / 1000);
  sizes.push(pdf.length);
}
const training = await renderReceipt(input(0, true));

const p50 = percentile(times, 50);
const p95 = percentile(times, 95);
const cpuP50 = percentile(cpu, 50);
const kb = Math.max(...sizes, first.length) / 1024;
console.log(`warm-up at start-up (fonts + one receipt) ${preload.toFixed(1).padStart(7)} ms`);
console.log(`first receipt after it                    ${firstMs.toFixed(1).padStart(7)} ms`);
console.log(`receipt render                            p50 ${p50.toFixed(1).padStart(6)} ms   p95 ${p95.toFixed(1).padStart(6)} ms   (n=${N}, after ${WARMUP} warm-up)`);
// CPU time (all threads of the process, GC included) tells a loaded machine from a slow renderer.
console.log(`receipt CPU time                          p50 ${cpuP50.toFixed(1).padStart(6)} ms   (load average ${loadavg()[0]!.toFixed(1)} on ${availableParallelism()} cores)`);
console.log(`receipt size (largest of the run)         ${kb.toFixed(1).padStart(7)} KB   training ${(training.length / 1024).toFixed(1)} KB`);
console.log(`goals: p95 ≤ 150 ms ${p95 <= 150 ? 'met' : 'NOT met'}; size ≤ 150 KB ${kb <= 150 ? 'met' : 'NOT met'}`);

recordResults({
  receipt_ms: p95,
  receipt_p50_ms: p50,
  receipt_cpu_p50_ms: cpuP50,
  receipt_warmup_ms: preload,
  receipt_first_ms: firstMs,
  receipt_kb: kb,
  receipt_training_kb: training.length / 1024,
});
