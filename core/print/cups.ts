/**
 * The print port on CUPS (Linux, macOS): `lp` hands the PDF over and answers with the job id, `lpstat` tells the
 * printer's state and which jobs it still holds, `cancel` withdraws one. Every command runs through execFile (no
 * shell) in the C locale (CUPS translates its messages; the desk parses the English ones). No argument and no
 * log line carries personal data: the file is a 0600 temp file named `job.pdf`, the job title is fixed.
 */
import { execFile } from 'node:child_process';
import { PrintRefused, withTempPdf, type PrinterReport, type PrintPort, type SystemJobState } from './port';
import type { PrinterProblem } from './schema';

export interface ExecResult {
  code: number;
  stdout: string;
  stderr: string;
}
/** Runs a program with arguments (never a shell); resolves with its exit code and output, never rejects. */
export type Exec = (file: string, args: string[]) => Promise<ExecResult>;

/** The job title CUPS shows in its queue and logs: fixed, so no family's name reaches them. */
export const CUPS_JOB_TITLE = 'newborn-desk receipt';

export const nodeExec: Exec = (file, args) =>
  new Promise((resolve) => {
    execFile(file, args, { env: { ...process.env, LC_ALL: 'C', LANG: 'C' }, timeout: 15_000, encoding: 'utf8' }, (err, stdout, stderr) => {
      const e = err as (NodeJS.ErrnoException & { killed?: boolean }) | null;
      // 124: killed on the timeout (as timeout(1) says it); 127: the program could not be started.
      const code = !e ? 0 : e.killed ? 124 : typeof e.code === 'number' ? e.code : 127;
      resolve({ code, stdout: String(stdout), stderr: String(stderr || (e && code === 127 ? e.message : '')) });
    });
  });

/** `lp`'s arguments for one job: printer, copies, paper, fit to the page, the fixed title, then the file. */
export function lpArgs(file: string, printer: string | null, copies: number, paper: string): string[] {
  return [...(printer ? ['-d', printer] : []), '-n', String(copies), '-o', `media=${paper}`, '-o', 'fit-to-page', '-t', CUPS_JOB_TITLE, '--', file];
}

/** What CUPS's words mean for the clerk. */
export function cupsProblem(message: string): PrinterProblem | null {
  if (/does not exist|Invalid destination|Unknown destination|not found/i.test(message)) return 'missing';
  if (/not accepting/i.test(message)) return 'not_accepting';
  if (/no default destination/i.test(message)) return 'no_default';
  if (/Scheduler Not Responding|Unable to connect|Connection refused|No such file|ENOENT|Bad file descriptor/i.test(message)) return 'unreachable';
  return null;
}

const firstLine = (s: string): string => s.trim().split('\n')[0]!.slice(0, 200);
const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** `lpstat -p P -a P -o P`, read: the printer's problem and message, the jobs it holds, which one prints. */
export function parseLpstat(name: string, out: string): { problem: PrinterProblem | null; detail: string | null; active: string[]; printing: string | null } {
  const n = escape(name);
  const lines = out.split('\n');
  const reasonAfter = (re: RegExp): string | null => {
    const i = lines.findIndex((l) => re.test(l));
    const next = i >= 0 ? lines[i + 1] : undefined;
    return next && /^\s/.test(next) && next.trim() ? next.trim().slice(0, 200) : null;
  };
  const disabled = new RegExp(`^printer ${n} disabled`);
  const rejecting = new RegExp(`^${n} not accepting`);
  const problem: PrinterProblem | null = lines.some((l) => disabled.test(l)) ? 'disabled' : lines.some((l) => rejecting.test(l)) ? 'not_accepting' : null;
  const detail = problem === 'disabled' ? reasonAfter(disabled) : problem === 'not_accepting' ? reasonAfter(rejecting) : null;
  const job = new RegExp(`^(${n}-\\d+)\\s`);
  const active = lines.map((l) => job.exec(l)?.[1]).filter((id): id is string => !!id);
  const printing = new RegExp(`^printer ${n} now printing (${n}-\\d+)`).exec(out)?.[1] ?? null;
  return { problem, detail, active, printing };
}

export function cupsPort(exec: Exec = nodeExec): PrintPort {
  const lpstat = async (name: string) => {
    const r = await exec('lpstat', ['-p', name, '-a', name, '-o', name]);
    const problem = r.code === 0 ? null : (cupsProblem(r.stderr) ?? 'unreachable');
    return { r, problem, parsed: parseLpstat(name, r.stdout) };
  };
  const port: PrintPort = {
    via: 'cups',
    async resolve(name) {
      if (name) return name;
      const r = await exec('lpstat', ['-d']);
      return /system default destination: (\S+)/.exec(r.stdout)?.[1] ?? null;
    },
    async printer(configured): Promise<PrinterReport> {
      const name = await port.resolve(configured);
      if (!name) return { name: null, problem: 'no_default', detail: null, jobsWaiting: 0, via: 'cups' };
      const { r, problem, parsed } = await lpstat(name);
      if (problem) return { name, problem, detail: firstLine(r.stderr) || null, jobsWaiting: 0, via: 'cups' };
      return { name, problem: parsed.problem, detail: parsed.detail, jobsWaiting: parsed.active.length, via: 'cups' };
    },
    async submit(req) {
      const r = await withTempPdf(req.pdf, (file) => exec('lp', lpArgs(file, req.printer, req.copies, req.paper)));
      const id = /request id is (\S+)/.exec(r.stdout)?.[1];
      // Killed while talking to CUPS: it may hold the job already, so this is not a refusal (no retry).
      if (r.code === 124) throw new Error('lp did not answer in time');
      if (r.code !== 0 || !id) throw new PrintRefused(cupsProblem(r.stderr), firstLine(r.stderr) || `lp exited with ${r.code}`);
      return { systemJobId: id };
    },
    async jobs(name, ids) {
      const states = new Map<string, SystemJobState>();
      if (ids.length === 0) return states;
      const { problem, parsed } = await lpstat(name);
      if (problem) throw new Error(`lpstat: ${problem}`);
      const rest = ids.filter((id) => !parsed.active.includes(id));
      for (const id of ids) if (!rest.includes(id)) states.set(id, id === parsed.printing ? 'printing' : 'waiting');
      if (rest.length) {
        // CUPS keeps finished jobs in its history: completed, cancelled and aborted alike (lpstat does not tell them apart).
        const done = await exec('lpstat', ['-W', 'completed', '-o', name]);
        const finished = parseLpstat(name, done.stdout).active;
        for (const id of rest) states.set(id, finished.includes(id) ? 'done' : 'gone');
      }
      return states;
    },
    async cancel(id) {
      const r = await exec('cancel', [id]);
      if (r.code !== 0) throw new Error(`cancel: ${firstLine(r.stderr)}`);
    },
  };
  return port;
}
