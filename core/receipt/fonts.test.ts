/**
 * The receipt's font: parsed once, shaping memoized across documents. The memo must give exactly what
 * fontkit gives, and must not be changed by callers that scale the positions in place (pdfkit does).
 */
import { readFileSync } from 'node:fs';
import { create, type Font } from 'fontkit';
import { describe, expect, it } from 'vitest';
import { fontPaths, loadFonts } from './fonts';

const STRINGS = [
  '新生儿“出生一件事”联办回执',
  'Newborn "One Thing at Birth" joint application — receipt',
  'AVATAR Wa To fi fl', // kerning pairs and would-be ligatures
  '3303**********1289',
  '待签发',
  '原因 Reason：父亲户籍信息与户口簿不一致，请核对。',
  '0195a3c2-7b4e-7c1d-9f2a-3b4c5d6e7f80',
  '琛', // a rarer ideograph
];

const shapeOf = (f: Font, s: string) => {
  const run = f.layout(s);
  return { ids: run.glyphs.map((g) => g.id), pos: run.positions.map((p) => ({ ...p })), width: run.advanceWidth };
};

describe('loadFonts', () => {
  it('is loaded once and shapes exactly as fontkit does, call after call', () => {
    const a = loadFonts();
    expect(loadFonts()).toBe(a);
    const fresh = {
      regular: create(readFileSync(fontPaths().regular)) as Font,
      bold: create(readFileSync(fontPaths().bold)) as Font,
    };
    for (const w of ['regular', 'bold'] as const) {
      for (const s of STRINGS) {
        const want = shapeOf(fresh[w], s);
        expect(shapeOf(a[w], s), `${w}: ${s}`).toEqual(want); // first call: shaped
        expect(shapeOf(a[w], s), `${w}: ${s} (memo)`).toEqual(want); // second: from the memo
        expect(want.ids.every((id) => id > 0), `${w}: every glyph present for ${s}`).toBe(true);
      }
    }
  });

  it('hands out fresh positions: scaling one run in place (as pdfkit does) leaves the next one whole', () => {
    const f = loadFonts().regular;
    const s = '陈建国 Chen';
    const before = shapeOf(f, s);
    const run = f.layout(s);
    for (const p of run.positions) p.xAdvance *= 1000 / f.unitsPerEm;
    expect(run.advanceWidth).toBeCloseTo((before.width * 1000) / f.unitsPerEm, 6);
    expect(shapeOf(f, s)).toEqual(before);
  });
});
