import { decode, encode } from '../callback-data';
import { searchWord } from './search';

describe('a typed word as a search', () => {
  it('collapses spaces and takes the callback separator out, so its page buttons decode', () => {
    const word = searchWord('  canva |  pro ')!;
    expect(word).toBe('canva pro');
    expect(decode(encode({ kind: 'search', word, page: 2 }))).toEqual({ kind: 'search', word, page: 2 });
  });

  it('is no search when too long for the rule or for a page button', () => {
    expect(searchWord('x'.repeat(40))).toBe('x'.repeat(40));
    expect(searchWord('x'.repeat(41))).toBeUndefined();
    // 15 four-byte emoji are 60 bytes: the page button could not carry them.
    expect(searchWord('😀'.repeat(15))).toBeUndefined();
    expect(searchWord(' | ')).toBeUndefined();
    expect(searchWord('net\u0000flix')).toBeUndefined();
  });
});
