import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { splitAt } from '../transport/testing';
import { IdCardError } from './errors';
import {
  FrameAssembler,
  decodeReadData,
  decodeSamId,
  encodeCommand,
  encodeFrame,
  encodeReadData,
  encodeResponse,
  encodeSamId,
  expectStatus,
  parseCommand,
  parseFrame,
  parseResponse,
  type CommandName,
} from './frame';

const h = (s: string) => Uint8Array.from(s.trim().split(/\s+/), (x) => parseInt(x, 16));

describe('golden frames from the reference (GA/T 467)', () => {
  const commands: Array<[CommandName, string]> = [
    ['resetSam', 'AA AA AA 96 69 00 03 10 FF EC'],
    ['samStatus', 'AA AA AA 96 69 00 03 11 FF ED'],
    ['readSamId', 'AA AA AA 96 69 00 03 12 FF EE'],
    ['findCard', 'AA AA AA 96 69 00 03 20 01 22'],
    ['selectCard', 'AA AA AA 96 69 00 03 20 02 21'],
    ['readTextPhoto', 'AA AA AA 96 69 00 03 30 01 32'],
    ['readNewestAddress', 'AA AA AA 96 69 00 03 30 03 30'],
    ['readTextPhotoFingerprint', 'AA AA AA 96 69 00 03 30 10 23'],
  ];
  it.each(commands)('encodes %s byte for byte and parses it back', (name, hex) => {
    expect(Array.from(encodeCommand(name))).toEqual(Array.from(h(hex)));
    expect(parseCommand(h(hex)).name).toBe(name);
  });

  it('parses the sample responses', () => {
    const ok = parseResponse(h('AA AA AA 96 69 00 04 00 00 90 94'));
    expect([ok.sw1, ok.sw2, ok.sw3, ok.data.length]).toEqual([0, 0, 0x90, 0]);
    const noCard = parseResponse(h('AA AA AA 96 69 00 04 00 00 80 84'));
    expect(noCard.sw3).toBe(0x80);
    expect(() => expectStatus(noCard, 'find card', 0x9f)).toThrow(expect.objectContaining({ code: 'no_card', status: 0x80 }));
    const find = parseResponse(h('AA AA AA 96 69 00 08 00 00 9F 00 00 00 00 97'));
    expect(find.sw3).toBe(0x9f);
    expect(Array.from(find.data)).toEqual([0, 0, 0, 0]);
    const select = parseResponse(h('AA AA AA 96 69 00 0C 00 00 90 00 00 00 00 00 00 00 00 9C'));
    expect(select.sw3).toBe(0x90);
    expect(select.data.length).toBe(8);
    const failed = parseResponse(h('AA AA AA 96 69 00 04 00 00 41 45'));
    expect(() => expectStatus(failed, 'read card', 0x90)).toThrow(expect.objectContaining({ code: 'bad_status', message: 'read card: reader answered 0x41 read failed' }));
  });

  it('builds the sample responses', () => {
    expect(Array.from(encodeResponse(0x90))).toEqual(Array.from(h('AA AA AA 96 69 00 04 00 00 90 94')));
    expect(Array.from(encodeResponse(0x9f, [0, 0, 0, 0]))).toEqual(Array.from(h('AA AA AA 96 69 00 08 00 00 9F 00 00 00 00 97')));
  });

  it('lays out the 1295-byte read response as the reference says', () => {
    const text = new Uint8Array(256).fill(0x11);
    const photo = new Uint8Array(1024).fill(0x22);
    const frame = encodeResponse(0x90, encodeReadData({ text, photo }));
    expect(frame.length).toBe(1295);
    expect(Array.from(frame.subarray(0, 10))).toEqual(Array.from(h('AA AA AA 96 69 05 08 00 00 90')));
    expect(Array.from(frame.subarray(10, 14))).toEqual([0x01, 0x00, 0x04, 0x00]);
    expect(frame[14]).toBe(0x11);
    expect(frame[269]).toBe(0x11);
    expect(frame[270]).toBe(0x22);
    expect(frame[1293]).toBe(0x22);
    const d = decodeReadData(parseResponse(frame));
    expect(d.text).toEqual(text);
    expect(d.photo).toEqual(photo);
  });

  it('lays out the 2321-byte read response with fingerprint', () => {
    const text = new Uint8Array(256).fill(1);
    const photo = new Uint8Array(1024).fill(2);
    const fingerprint = new Uint8Array(1024).fill(3);
    const frame = encodeResponse(0x90, encodeReadData({ text, photo, fingerprint }, true));
    expect(frame.length).toBe(2321);
    expect(Array.from(frame.subarray(10, 16))).toEqual([0x01, 0x00, 0x04, 0x00, 0x04, 0x00]);
    expect([frame[16], frame[271], frame[272], frame[1295], frame[1296], frame[2319]]).toEqual([1, 1, 2, 2, 3, 3]);
    expect(decodeReadData(parseResponse(frame), true).fingerprint).toEqual(fingerprint);
  });

  it('decodes a SAM id', () => {
    expect(decodeSamId(encodeSamId([5, 1, 20101010, 12345678, 1234567890]))).toBe('05.01-20101010-0012345678-1234567890');
  });
});

describe('typed errors', () => {
  it('bad checksum, bad length, short body', () => {
    expect(() => parseFrame(h('AA AA AA 96 69 00 04 00 00 90 95'))).toThrow(expect.objectContaining({ code: 'bad_checksum' }));
    expect(() => parseFrame(h('AA AA AA 96 69 00 05 00 00 90 94'))).toThrow(expect.objectContaining({ code: 'bad_length' }));
    expect(() => parseFrame(h('AA AA AA 96 69 00 02 00 02'))).toThrow(expect.objectContaining({ code: 'bad_length' }));
    expect(() => parseResponse(h('AA AA AA 96 69 00 03 20 01 22'))).toThrow(expect.objectContaining({ code: 'bad_length' }));
    expect(() => decodeReadData(parseResponse(encodeResponse(0x90, [1, 0, 4, 0, 9])))).toThrow(expect.objectContaining({ code: 'bad_length' }));
  });

  it('keeps the bytes for diagnostics but out of messages, JSON and enumeration', () => {
    const text = new Uint8Array(256).fill(0x41);
    const frame = encodeResponse(0x90, encodeReadData({ text, photo: new Uint8Array(1024) }));
    frame[frame.length - 1] = frame[frame.length - 1]! ^ 1;
    let err: IdCardError | undefined;
    try {
      parseFrame(frame);
    } catch (e) {
      err = e as IdCardError;
    }
    expect(err).toBeInstanceOf(IdCardError);
    expect(err!.bytes).toEqual(frame);
    expect(Object.keys(err!)).not.toContain('bytes');
    expect(err!.diagnosticHex()).toBe('aa aa aa 96 69 05 08 00 00 90 …(+1285 bytes withheld)');
    expect(JSON.stringify(err)).not.toMatch(/41 00 41|"65"/);
    expect(err!.message).not.toMatch(/41/);
  });
});

describe('FrameAssembler', () => {
  it('reassembles frames split at any boundary, skipping junk before a preamble', () => {
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ minLength: 1, maxLength: 300 }), { minLength: 1, maxLength: 4 }),
        fc.uint8Array({ maxLength: 20 }),
        fc.array(fc.nat(3000), { maxLength: 30 }),
        (bodies, junk, cuts) => {
          const frames = bodies.map((b) => encodeFrame(b.length >= 3 ? b : Uint8Array.of(0, 0, 0x90)));
          const junkNoAa = junk.map((b) => (b === 0xaa ? 0x55 : b));
          const stream = new Uint8Array([...junkNoAa, ...frames.flatMap((f) => Array.from(f))]);
          const a = new FrameAssembler({ minLen: 4 });
          const out = splitAt(stream, cuts.map((c) => c % (stream.length + 1))).flatMap((c) => a.push(c));
          expect(out.every((o) => o.frame)).toBe(true);
          expect(out.map((o) => Array.from(o.frame!.bytes))).toEqual(frames.map((f) => Array.from(f)));
          expect(a.buffered).toBe(0);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('reports a corrupted frame and resynchronises on the next one', () => {
    const good = encodeResponse(0x90, [1, 2, 3]);
    const bad = encodeResponse(0x9f, [0, 0, 0, 0]);
    bad[bad.length - 1] = bad[bad.length - 1]! ^ 0xff;
    const a = new FrameAssembler({ minLen: 4 });
    const out = a.push(new Uint8Array([...bad, 0x00, 0x13, ...good]));
    expect(out.map((o) => o.error?.code ?? 'frame')).toEqual(['bad_checksum', 'frame']);
    expect(Array.from(out[1]!.frame!.bytes)).toEqual(Array.from(good));
  });

  it('reports an impossible length and resynchronises', () => {
    const good = encodeResponse(0x90);
    const a = new FrameAssembler({ minLen: 4, maxLen: 2400 });
    const out = a.push(new Uint8Array([0xaa, 0xaa, 0xaa, 0x96, 0x69, 0xff, 0xff, ...good]));
    expect(out.map((o) => o.error?.code ?? 'frame')).toEqual(['bad_length', 'frame']);
  });

  it('times out a frame that never completes, keeping its bytes', () => {
    const frame = encodeResponse(0x90, new Uint8Array(100));
    const a = new FrameAssembler({ minLen: 4, timeoutMs: 500 });
    expect(a.push(frame.subarray(0, 50), 1000)).toEqual([]);
    expect(a.expire(1400)).toBeNull();
    const err = a.expire(1500);
    expect(err?.code).toBe('timeout');
    expect(err?.bytes).toEqual(frame.subarray(0, 50));
    expect(a.buffered).toBe(0);
    // a late tail alone is not a frame
    expect(a.push(frame.subarray(50), 1600)).toEqual([]);
  });

  it('keeps a preamble split across chunks', () => {
    const frame = encodeResponse(0x90);
    const a = new FrameAssembler({ minLen: 4 });
    expect(a.push(Uint8Array.of(0x01, 0xaa, 0xaa))).toEqual([]);
    expect(a.buffered).toBe(2);
    expect(a.push(frame.subarray(2)).map((o) => o.frame && Array.from(o.frame.bytes))).toEqual([Array.from(frame)]);
  });
});
