/**
 * Fuzz: ≥ 100,000 random and mutated frames through the whole host-side pipeline (assembler → response →
 * status → read data → text block → Parent). Nothing may escape but the codec's typed IdCardError.
 * Deterministic (seeded) so a failure can be replayed: the seed is printed.
 */
import { describe, expect, it } from 'vitest';
import { FIXTURES } from '../sim/fixtures';
import { defaultPhoto } from '../sim/idreader';
import { IdCardError } from './errors';
import { FrameAssembler, SW_SUCCESS, decodeReadData, encodeFrame, encodeReadData, encodeResponse, expectStatus, parseResponse, xorChecksum, type RawFrame } from './frame';
import { cardToParent } from './parent';
import { decodeText, encodeText } from './text';

function xorshift(seed: number) {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 0x100000000;
  };
}

const meta = { readerId: 'fuzz', readAt: new Date(0), photoPresent: true };

function pipeline(frame: RawFrame): void {
  const resp = expectStatus(parseResponse(frame), 'read', SW_SUCCESS);
  const payload = decodeReadData(resp, resp.data.length > 1300);
  cardToParent(decodeText(payload.text), meta);
}

describe('fuzz', () => {
  it('100,000+ random and mutated frames: only typed errors', () => {
    const seed = Number(process.env.FUZZ_SEED ?? 0x5eed1234);
    console.log(`[fuzz] seed ${seed} (set FUZZ_SEED to replay)`);
    const rnd = xorshift(seed);
    const int = (n: number) => Math.floor(rnd() * n);
    const valid = Object.values(FIXTURES).map((c) => encodeResponse(SW_SUCCESS, encodeReadData({ text: encodeText(c), photo: defaultPhoto() })));
    const counts = { inputs: 0, frames: 0, decoded: 0, typed: {} as Record<string, number> };
    const a = new FrameAssembler({ minLen: 4, timeoutMs: 50 });
    const N = 110_000;
    for (let i = 0; i < N; i++) {
      let bytes: Uint8Array;
      const kind = i % 6;
      if (kind === 0) {
        // pure noise, sometimes with a preamble in front
        bytes = new Uint8Array(int(400));
        for (let j = 0; j < bytes.length; j++) bytes[j] = int(256);
        if (rnd() < 0.5 && bytes.length > 7) bytes.set([0xaa, 0xaa, 0xaa, 0x96, 0x69], 0);
      } else if (kind === 1) {
        // a random body in a well-formed frame (valid checksum): exercises every decoder behind the assembler
        const body = new Uint8Array(3 + int(1400));
        for (let j = 0; j < body.length; j++) body[j] = int(256);
        body[2] = rnd() < 0.7 ? SW_SUCCESS : int(256);
        if (rnd() < 0.5 && body.length > 7) body.set([0x01, 0x00, 0x04, 0x00], 3);
        bytes = encodeFrame(body);
      } else {
        // a real read response, mutated
        bytes = valid[int(valid.length)]!.slice();
        const flips = 1 + int(8);
        for (let f = 0; f < flips; f++) {
          const at = kind === 2 ? 5 + int(9) : kind === 3 ? 14 + int(256) : int(bytes.length);
          bytes[at] = rnd() < 0.5 ? bytes[at]! ^ (1 << int(8)) : int(256);
        }
        if (kind === 3 || rnd() < 0.3) bytes[bytes.length - 1] = xorChecksum(bytes, 5, bytes.length - 1); // let it past the checksum
        if (kind === 5) bytes = bytes.subarray(0, int(bytes.length));
      }
      counts.inputs++;
      // deliver in random chunks, time moving on so that incomplete frames expire
      for (let o = 0; o < bytes.length; ) {
        const n = 1 + int(128);
        for (const out of a.push(bytes.subarray(o, o + n), i * 100)) {
          if (out.error) {
            counts.typed[out.error.code] = (counts.typed[out.error.code] ?? 0) + 1;
            continue;
          }
          counts.frames++;
          try {
            pipeline(out.frame);
            counts.decoded++;
          } catch (e) {
            if (!(e instanceof IdCardError)) {
              throw new Error(`untyped ${(e as Error)?.name}: ${(e as Error)?.message} at input ${i} (seed ${seed})`, { cause: e });
            }
            counts.typed[e.code] = (counts.typed[e.code] ?? 0) + 1;
          }
        }
        o += n;
      }
      const expired = a.expire(i * 100 + 99);
      if (expired) counts.typed[expired.code] = (counts.typed[expired.code] ?? 0) + 1;
    }
    console.log(`[fuzz] ${JSON.stringify(counts)}`);
    expect(counts.inputs).toBeGreaterThanOrEqual(100_000);
    // the mix reaches every stage: frames decoded whole, and each kind of typed failure
    expect(counts.decoded).toBeGreaterThan(100);
    for (const code of ['bad_checksum', 'bad_length', 'bad_status', 'bad_text', 'timeout']) expect(counts.typed[code] ?? 0).toBeGreaterThan(0);
  });
});
