// drafts area (clerk walk): Alt+N on the open form keeps it mounted; another draft or a fresh form remounts.
import { describe, expect, it } from 'vitest';
import { nextFormKey, type FormKey } from './form-key';

const A = '0195a3c2-7b4e-7c1d-9f2a-3b4c5d6e7f80';
const B = '0195a3c2-7b4e-7c1d-9f2a-3b4c5d6e7f81';

describe('form key', () => {
  it('keeps the open form when the route names its own draft', () => {
    const open: FormKey = nextFormKey({ route: null, key: 'new' }, { name: 'new' }, null);
    expect(open.key).toBe('new');
    expect(nextFormKey(open, { name: 'new', draftId: A }, A).key).toBe('new'); // Alt+N on form A
  });

  it('mounts another form for another draft, and a resumed draft keeps its key', () => {
    const home: FormKey = { route: { name: 'home' }, key: 'new' };
    const resumed = nextFormKey(home, { name: 'new', draftId: B }, A);
    expect(resumed.key).toBe(B);
    expect(nextFormKey(resumed, { name: 'new', draftId: B }, B).key).toBe(B);
    expect(nextFormKey(resumed, { name: 'new', draftId: A }, B).key).toBe(A);
  });
});
