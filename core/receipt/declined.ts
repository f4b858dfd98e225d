/** The receipt's "not filed" list (issue 12): each service the family asked for that the clerk declined, with the reason. */
import { SERVICE_LABELS } from '../../domain/codes';
import type { Registration } from '../../domain/types';
import { M, R, W, WARN, measure, para, sectionHeading } from './draw';
import type { Cursor } from './sections';

export function declinedLines(reg: Registration): string[] {
  return (reg.declined ?? []).map((d) => `${SERVICE_LABELS[d.service].zh} ${SERVICE_LABELS[d.service].en} — 不办理此项 Not filed：${d.reason}`);
}

export function drawDeclined(c: Cursor, reg: Registration): void {
  const lines = declinedLines(reg);
  if (lines.length === 0) return;
  const { doc } = c;
  c.ensure(40);
  c.y = sectionHeading(doc, { zh: `未办理事项（${lines.length} 项）`, en: `Services not filed (${lines.length})` }, c.y);
  for (const s of lines) {
    c.ensure(measure(doc, R, 9, s, W) + 4);
    c.y += para(doc, R, 9, WARN, s, M, c.y, W) + 4;
  }
  c.y += 8;
}
