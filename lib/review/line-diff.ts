/** One line of a line diff: kept (` `), removed (`-`) or added (`+`); `…` stands for kept lines left out. */
export interface DiffLine {
  readonly op: ' ' | '-' | '+' | '…';
  readonly text: string;
}

/** Texts longer than this many lines on either side are shown as removed whole and added whole (no LCS table). */
const MAX_LINES = 2000;

/**
 * The lines that differ between `before` and `after`, with up to `context` unchanged lines around each change and
 * one `…` line for each run of unchanged lines left out. Based on a longest common subsequence of lines.
 */
export function lineDiff(before: string, after: string, context = 2): DiffLine[] {
  const a = before.split('\n');
  const b = after.split('\n');
  const ops = a.length > MAX_LINES || b.length > MAX_LINES ? wholeReplacement(a, b) : lcsDiff(a, b);
  const near = (i: number) => ops.slice(Math.max(0, i - context), i + context + 1).some(line => line.op !== ' ');
  const shown: DiffLine[] = [];
  ops.forEach((line, i) => {
    // A changed line is near itself.
    if (near(i)) shown.push(line);
    else if (shown[shown.length - 1]?.op !== '…') shown.push({ op: '…', text: '' });
  });
  return shown;
}

function wholeReplacement(a: string[], b: string[]): DiffLine[] {
  return [...a.map(text => ({ op: '-' as const, text })), ...b.map(text => ({ op: '+' as const, text }))];
}

function lcsDiff(a: string[], b: string[]): DiffLine[] {
  // lengths[i][j]: the length of the longest common subsequence of a[i..] and b[j..].
  const lengths = Array.from({ length: a.length + 1 }, () => new Uint32Array(b.length + 1));
  for (let i = a.length - 1; i >= 0; i--) {
    // Stryker disable next-line ArithmeticOperator: starting past the end writes outside the typed array (dropped), then 0 into the last column, which holds 0
    for (let j = b.length - 1; j >= 0; j--) {
      lengths[i][j] = a[i] === b[j] ? lengths[i + 1][j + 1] + 1 : Math.max(lengths[i + 1][j], lengths[i][j + 1]);
    }
  }
  const ops: DiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    // Past the end of one side, its index gives undefined, which equals no line of the other.
    if (a[i] === b[j]) {
      ops.push({ op: ' ', text: a[i++] });
      j++;
    } else if (i < a.length && (j === b.length || lengths[i + 1][j] > lengths[i][j + 1])) {
      ops.push({ op: '-', text: a[i++] });
    } else {
      // On a tie, add first: of two equally long matchings, the one that keeps the earlier lines of `before`.
      ops.push({ op: '+', text: b[j++] });
    }
  }
  // Within each changed run, removed lines first, then added ones, as unified diffs show them.
  return regroup(ops);
}

function regroup(ops: DiffLine[]): DiffLine[] {
  const result: DiffLine[] = [];
  let removed: DiffLine[] = [];
  let added: DiffLine[] = [];
  const flush = () => {
    result.push(...removed, ...added);
    removed = [];
    added = [];
  };
  for (const line of ops) {
    if (line.op === '-') removed.push(line);
    else if (line.op === '+') added.push(line);
    else {
      flush();
      result.push(line);
    }
  }
  flush();
  return result;
}
