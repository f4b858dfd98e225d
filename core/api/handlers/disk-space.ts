/** data area (issue 13): the free space of the disk holding a file, for the "disk full" message. */
import { statfsSync } from 'node:fs';
import path from 'node:path';

/** Free megabytes (one decimal under 10 MB) available to this user on the disk holding `file`, or null if unknown. */
export function freeMegabytes(file: string): number | null {
  try {
    const st = statfsSync(path.dirname(file));
    const mb = (Number(st.bavail) * Number(st.bsize)) / (1024 * 1024);
    return mb < 10 ? Math.floor(mb * 10) / 10 : Math.floor(mb);
  } catch {
    return null;
  }
}
