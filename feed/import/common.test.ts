import { describe, expect, it } from 'vitest';
import { checkTextControls } from '../validate';
import { plainText, Tally, takeUrls } from './common';

describe('takeUrls', () => {
  const text = (input: string) => takeUrls(input).text;

  it('moves URLs out of the text, keeping a ")" that belongs to one and dropping sentence punctuation', () => {
    expect(
      takeUrls('See https://en.wikipedia.org/wiki/Mercury_(planet), then https://example.org/a.'),
    ).toEqual({
      text: 'then.',
      urls: ['https://en.wikipedia.org/wiki/Mercury_(planet)', 'https://example.org/a'],
    });
  });

  it('leaves no colon dangling where a URL was: a full stop at the end of a sentence, nothing mid-sentence', () => {
    // Real notes of the 2021 sample (../shared/realdata/community_notes), as X's download has them.
    expect(text('Actual Wikipedia page: https://en.wikipedia.org/wiki/Three_Wolf_Moon')).toBe(
      'Actual Wikipedia page.',
    );
    expect(
      text(
        'The plan to vaccinate detainees at Guantanamo Bay has been paused.    Link here: https://thehill.com/policy/defense/536626          ',
      ),
    ).toBe('The plan to vaccinate detainees at Guantanamo Bay has been paused. Link here.');
    expect(text('Testing birdwatch UI. Looks good!  Source: https://blog.twitter.com/en_us/x.html')).toBe(
      'Testing birdwatch UI. Looks good! Source.',
    );
    expect(text('The original is at:  https://www.instagram.com/p/B0tBv0PHehM/')).toBe('The original is at.');
    expect(text('It was first published by Reuters: https://r.example/x and the caption says so.')).toBe(
      'It was first published by Reuters and the caption says so.',
    );
    expect(text('Vaccinations: https://a.example/v    Hospitalizations: https://a.example/h')).toBe(
      'Vaccinations. Hospitalizations.',
    );
    expect(
      text('Congress Certifies Biden Victory;  https://www.npr.org/a  https://en.wikipedia.org/b  '),
    ).toBe('Congress Certifies Biden Victory.');
  });

  it('drops the words and brackets that only pointed at a link', () => {
    expect(text('developed and tested rapidly and safely, see https://www.statnews.com/a')).toBe(
      'developed and tested rapidly and safely.',
    );
    expect(text('Sources: https://a.example, https://b.example and https://c.example')).toBe('Sources.');
    expect(text('It was paused (https://a.example) last week [https://b.example].')).toBe(
      'It was paused last week.',
    );
    expect(text('https://www.snopes.com/fact-check/andrew-yang-old-york/')).toBe('');
  });

  it('leaves the rest of the text as written', () => {
    // The sample turned non-ASCII quotes into "?": a "?" is not sentence punctuation to tidy.
    expect(text('a French food blog called ?Simon Says?: https://www.simonsays.fr/x')).toBe(
      'a French food blog called ?Simon Says?',
    );
    expect(text('At 2:30 in the video.\nSecond line: still here.')).toBe(
      'At 2:30 in the video.\nSecond line: still here.',
    );
  });
});

describe('plainText', () => {
  it('removes exactly the characters the feed validator refuses, and counts them', () => {
    const notices = new Tally();
    expect(plainText('a\u202Eb\u0007c\td\ne\u2066f\u2069', notices)).toBe('abc\td\nef');
    expect(Object.fromEntries(notices.counts)).toEqual({
      'control or bidi characters removed from texts (the feed format refuses them)': 4,
    });
    expect(plainText('plain', notices)).toBe('plain');
    expect(notices.total).toBe(4);
  });

  it('agrees with checkTextControls over every BMP character', () => {
    const notices = new Tally();
    for (let code = 0; code <= 0xffff; code++) {
      if (code >= 0xd800 && code <= 0xdfff) continue;
      const char = String.fromCharCode(code);
      const refused = checkTextControls(char) !== null;
      expect(plainText(char, notices), `U+${code.toString(16)}`).toBe(refused ? '' : char);
    }
  });
});
