/**
 * What this desk remembers between families (in the browser's local storage, never personal data of a
 * family): the last delivery attendant typed and the desk's current vaccine batch (manufacturer, site,
 * nurse), so a scanned batch fills the whole dose.
 */
import type { DoseForm } from '../form/model';

const KEY = 'newborn-desk.memory';
type DoseDefaults = Pick<DoseForm, 'manufacturer' | 'site' | 'nurse'>;
interface Memory {
  attendant?: string;
  doses?: Partial<Record<DoseForm['vaccine'], DoseDefaults>>;
}

const TRAINING_DOSES: Record<DoseForm['vaccine'], DoseDefaults> = {
  hepb_1: { manufacturer: '华北制药金坦生物技术股份有限公司', site: '右上臂三角肌', nurse: '王丽' },
  bcg: { manufacturer: '上海生物制品研究所', site: '左上臂三角肌', nurse: '王丽' },
};

function read(): Memory {
  try {
    return JSON.parse(localStorage.getItem(KEY) ?? '{}') as Memory;
  } catch {
    return {};
  }
}
function write(m: Memory): void {
  try {
    localStorage.setItem(KEY, JSON.stringify(m));
  } catch {
    /* storage full or disabled: memory is a convenience only */
  }
}

export const memory = {
  attendant: (): string => read().attendant ?? '',
  setAttendant(a: string) {
    if (a.trim()) write({ ...read(), attendant: a.trim() });
  },
  dose(vaccine: DoseForm['vaccine'], training: boolean): DoseDefaults {
    return read().doses?.[vaccine] ?? (training ? TRAINING_DOSES[vaccine] : { manufacturer: '', site: '', nurse: '' });
  },
  setDose(vaccine: DoseForm['vaccine'], d: DoseDefaults) {
    const m = read();
    write({ ...m, doses: { ...m.doses, [vaccine]: d } });
  },
};
