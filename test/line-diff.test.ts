/** `lineDiff`: the line diff that `npm run diff` shows for long and multi-line strings, on hand-made texts. */
import { DiffLine, lineDiff } from '../lib/internal';

const kept = (text: string): DiffLine => ({ op: ' ', text });
const removed = (text: string): DiffLine => ({ op: '-', text });
const added = (text: string): DiffLine => ({ op: '+', text });
const gap: DiffLine = { op: '…', text: '' };

describe('lineDiff', () => {
  test('removed lines before added ones within a change, one … per run of kept lines left out', () => {
    expect(lineDiff('a\nb\nc\nd\ne\nf\ng\nh', 'a\nB\nc\nd\ne\nf\nG\nh', 1)).toEqual([
      kept('a'), removed('b'), added('B'), kept('c'), gap,
      kept('f'), removed('g'), added('G'), kept('h'),
    ]);
    expect(lineDiff('same', 'same')).toEqual([gap]);
  });

  test.each([
    ['a line inserted at the start', 'b\nc', 'a\nb\nc', [added('a'), kept('b'), kept('c')]],
    ['a line inserted at the end', 'a\nb', 'a\nb\nc', [kept('a'), kept('b'), added('c')]],
    ['a line deleted at the start', 'a\nb\nc', 'b\nc', [removed('a'), kept('b'), kept('c')]],
    ['a line deleted at the end', 'a\nb\nc', 'a\nb', [kept('a'), kept('b'), removed('c')]],
    ['a line deleted at the start and one inserted at the end', 'x\nb', 'b\ny', [removed('x'), kept('b'), added('y')]],
    ['a line changed in the middle', 'a\nb\nc', 'a\nX\nc', [kept('a'), removed('b'), added('X'), kept('c')]],
    ['a line changed into a copy of the next one', 'a\nb', 'b\nb', [removed('a'), added('b'), kept('b')]],
    ['deletions and insertions around the kept lines', 'a\nb\nc\nd\ne', 'a\nc\nX\ne\nf',
      [kept('a'), removed('b'), kept('c'), removed('d'), added('X'), kept('e'), added('f')]],
    ['two empty texts (one empty line each)', '', '', [gap]],
    ['an empty text before', '', 'a', [removed(''), added('a')]],
    ['an empty text after', 'a\nb', '', [removed('a'), removed('b'), added('')]],
  ])('%s', (_, before, after, expected) => {
    expect(lineDiff(before, after)).toEqual(expected);
  });

  test('two lines that swap places: the first line of before is kept, the other shows as moved', () => {
    expect(lineDiff('x\nc', 'c\nx')).toEqual([added('c'), kept('x'), removed('c')]);
    expect(lineDiff('a\nb\nc', 'c\nb\na')).toEqual([added('c'), added('b'), kept('a'), removed('b'), removed('c')]);
    expect(lineDiff('a\nb', 'b\nc\na')).toEqual([added('b'), added('c'), kept('a'), removed('b')]);
  });

  test('context: unchanged lines beyond it at the start and the end are one … each', () => {
    expect(lineDiff('a\nb\nc\nd', 'A\nb\nc\nd', 1)).toEqual([removed('a'), added('A'), kept('b'), gap]);
    expect(lineDiff('a\nb\nc\nd', 'a\nb\nc\nD', 0)).toEqual([gap, removed('d'), added('D')]);
  });

  test('texts of up to 2000 lines are diffed line by line; a longer one on either side is shown removed whole and added whole', () => {
    const numbered = (count: number) => Array.from({ length: count }, (_, n) => `line ${n}`);
    const changed = (lines: string[]) => lines.map(line => line === 'line 1000' ? 'line one thousand' : line);
    const long = numbered(2000);
    expect(lineDiff(long.join('\n'), changed(long).join('\n'), 0)).toEqual([gap, removed('line 1000'), added('line one thousand'), gap]);
    const longer = numbered(2001);
    expect(lineDiff(longer.join('\n'), changed(long).join('\n'), 0)).toEqual([...longer.map(removed), ...changed(long).map(added)]);
    expect(lineDiff(long.join('\n'), changed(longer).join('\n'), 0)).toEqual([...long.map(removed), ...changed(longer).map(added)]);
  });
});
