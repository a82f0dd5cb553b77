import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  base64Decode,
  base64DecodeStrict,
  base64Encode,
  sha256Hex,
  utf8Decode,
  utf8Encode,
} from './encoding';

describe('base64', () => {
  it('encodes the RFC 4648 test vectors', () => {
    const vectors: [string, string][] = [
      ['', ''],
      ['f', 'Zg=='],
      ['fo', 'Zm8='],
      ['foo', 'Zm9v'],
      ['foob', 'Zm9vYg=='],
      ['fooba', 'Zm9vYmE='],
      ['foobar', 'Zm9vYmFy'],
    ];
    for (const [plain, encoded] of vectors) {
      expect(base64Encode(utf8Encode(plain))).toBe(encoded);
      expect(utf8Decode(base64Decode(encoded) as Uint8Array)).toBe(plain);
    }
  });

  it('round-trips any bytes, in the standard and the URL-safe alphabet, padded or not', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const standard = base64Encode(bytes);
        expect(base64Decode(standard)).toEqual(bytes);
        const urlSafe = standard.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
        expect(base64Decode(urlSafe)).toEqual(bytes);
      }),
    );
  });

  it('refuses text that is not base64', () => {
    expect(base64Decode('Zm9v YmFy')).toBeNull();
    expect(base64Decode('Zm9v!')).toBeNull();
    expect(base64Decode('Z')).toBeNull();
    expect(base64Decode('Zh==')).toBeNull(); // non-zero trailing bits
    expect(base64Decode('Zm9vé')).toBeNull();
  });

  it('never throws on arbitrary strings', () => {
    fc.assert(fc.property(fc.string(), (s) => void base64Decode(s)));
  });
});

describe('sha256Hex', () => {
  it('hashes like SHA-256', () => {
    expect(sha256Hex(utf8Encode('abc'))).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
  });
});

describe('utf8Decode', () => {
  it('refuses invalid UTF-8 instead of inventing replacement characters', () => {
    expect(utf8Decode(new Uint8Array([0x7b, 0xff, 0x7d]))).toBeNull();
    expect(utf8Decode(utf8Encode('Grüße'))).toBe('Grüße');
  });
});

describe('base64DecodeStrict', () => {
  it('accepts only the one canonical text of each byte string', () => {
    expect(base64DecodeStrict('Zm8=')).toEqual(utf8Encode('fo'));
    expect(base64DecodeStrict('Zm8')).toBeNull();
    expect(base64DecodeStrict('-_8=')).toBeNull();
    expect(base64DecodeStrict('Zm9=')).toBeNull();
  });
  it('changing any one character of a canonical text changes the bytes or is refused', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 1, maxLength: 40 }),
        fc.nat(),
        fc.integer({ min: 1, max: 127 }),
        (bytes, at, flip) => {
          const text = base64Encode(bytes);
          const i = at % text.length;
          const changed =
            text.slice(0, i) + String.fromCharCode(text.charCodeAt(i) ^ flip) + text.slice(i + 1);
          const decoded = base64DecodeStrict(changed);
          if (decoded) expect(decoded).not.toEqual(bytes);
        },
      ),
    );
  });
});
