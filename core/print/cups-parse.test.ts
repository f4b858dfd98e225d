/** What the CUPS port reads from lpstat and lp (C locale), on the very lines CUPS 2.4 prints. */
import { describe, expect, it } from 'vitest';
import { PrintRefused } from './port';
import { cupsPort, cupsProblem, lpArgs, parseLpstat, type Exec } from './cups';

const DISABLED = 'printer front disabled since Wed Dec  2 04:13:16 2026 -\n\tpaper jam\nfront accepting requests since Wed Dec  2 04:13:16 2026\nfront-6                 root              1024   Wed Dec  2 04:13:16 2026\n';
const PRINTING = 'printer front now printing front-7.  enabled since Wed Dec  2 04:13:17 2026\nfront accepting requests since Wed Dec  2 04:13:17 2026\nfront-7   root   1024   Wed\nfront-8   root   1024   Wed\n';

describe('cups port parsing', () => {
  it('reads a disabled queue, its reason and the jobs it holds', () => {
    expect(parseLpstat('front', DISABLED)).toEqual({ problem: 'disabled', detail: 'paper jam', active: ['front-6'], printing: null });
    expect(parseLpstat('front', PRINTING)).toEqual({ problem: null, detail: null, active: ['front-7', 'front-8'], printing: 'front-7' });
    const rejecting = 'printer front is idle.  enabled since X\nfront not accepting requests since X -\n\tclosed\n';
    expect(parseLpstat('front', rejecting)).toMatchObject({ problem: 'not_accepting', detail: 'closed' });
  });

  it("maps lp's refusals to plain problems", () => {
    expect(cupsProblem('lp: Error - The printer or class does not exist.')).toBe('missing');
    expect(cupsProblem('lp: Destination "front" is not accepting jobs.')).toBe('not_accepting');
    expect(cupsProblem('lp: Error - no default destination available.')).toBe('no_default');
    expect(cupsProblem('lp: Error - Scheduler Not Responding.')).toBe('unreachable');
  });

  it('builds lp arguments with the fixed title and the file after --', () => {
    expect(lpArgs('/tmp/x/job.pdf', 'front', 2, 'A5')).toEqual(['-d', 'front', '-n', '2', '-o', 'media=A5', '-o', 'fit-to-page', '-t', 'newborn-desk receipt', '--', '/tmp/x/job.pdf']);
    expect(lpArgs('/tmp/x/job.pdf', null, 1, 'A4').slice(0, 2)).toEqual(['-n', '1']);
  });

  it('an lp killed on its timeout is not a refusal (the job may be in CUPS already: never retried)', async () => {
    const exec: Exec = async () => ({ code: 124, stdout: '', stderr: '' });
    const error = await cupsPort(exec).submit({ pdf: Buffer.from('%PDF'), printer: 'front', paper: 'A4', copies: 1 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(PrintRefused);
    expect((error as Error).message).toBe('lp did not answer in time');
  });
});
