/** The clerk walk: a desk with no printer and no system default is told so once, with what to do, and never "可重试". */
import { describe, expect, it } from 'vitest';
import { JOB_WORDS, NO_PRINTER, printerWords } from './words';

describe('the words for a desk with no printer at all', () => {
  it('the printer state says it once, with what the clerk can do instead', () => {
    const w = printerWords(null, 'no_default');
    expect(w).toEqual(NO_PRINTER);
    expect(w.zh).toBe('本机未设置打印机：可保存回执 PDF，或请信息科设置打印机');
    expect(w.zh).not.toContain('未就绪');
    expect(w.en).toMatch(/^No printer is set up on this desk: save the receipt PDF, or ask IT/);
  });
  it('a job refused for want of a printer does not offer a retry that cannot help', () => {
    const w = JOB_WORDS.notAccepted('no_default', null);
    expect(w.zh).toBe(`未能送到打印机。${NO_PRINTER.zh}`);
    expect(w.zh).not.toContain('可重试');
    expect(w.en).not.toMatch(/retry/i);
  });
  it('a printer that is there but refusing still says a retry can help', () => {
    expect(JOB_WORDS.notAccepted('not_accepting', 'Desk-A4').zh).toContain('可重试');
  });
});
