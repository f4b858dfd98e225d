/**
 * data area (issue 13): arguments nested deeper than any KioskApi shape needs are refused as `bad_request`
 * (a deeply nested draft used to overflow the stack further down and come back as a 500). Iterative, so the
 * check itself cannot overflow.
 */
export const MAX_ARG_DEPTH = 32;

/** The path (dotted) of the first value nested deeper than `max`, or null. */
export function tooDeep(value: unknown, max = MAX_ARG_DEPTH): string | null {
  const stack: Array<{ v: unknown; depth: number; path: string }> = [{ v: value, depth: 0, path: '' }];
  while (stack.length > 0) {
    const { v, depth, path } = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth >= max) return path || '(root)';
    for (const [k, child] of Object.entries(v as Record<string, unknown>)) {
      if (child !== null && typeof child === 'object') stack.push({ v: child, depth: depth + 1, path: path ? `${path}.${k}` : k });
    }
  }
  return null;
}
