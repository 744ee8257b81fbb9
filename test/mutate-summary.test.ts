import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { summary } = require('../scripts/mutate-summary') as { summary: (root: string, reports: string, files: string[]) => string };

/** A Stryker mutant of line `line` with `status`. */
const mutant = (line: number, status: string, replacement = '""') => ({
  id: `${line}-${status}`, mutatorName: 'StringLiteral', replacement, status,
  location: { start: { line, column: 1 }, end: { line, column: 5 } },
});

/** A line of the summary with the date of its newest run replaced: the reports are written by the test itself. */
const withoutDate = (line: string) => line.replace(/\(\d{4}-\d\d-\d\d\)$/, '(date)');

describe('npm run mutate -- --summary', () => {
  let root: string;
  let reports: string;
  const report = (name: string, files: Record<string, { source: string; mutants: unknown[] }>) =>
    fs.writeFileSync(path.join(reports, name), JSON.stringify({ files }));

  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'mutate-summary-'));
    reports = path.join(root, 'reports');
    fs.mkdirSync(reports);
    fs.mkdirSync(path.join(root, 'lib'));
    fs.writeFileSync(path.join(root, 'lib', 'a.ts'), 'const a = 1;\n');
    fs.writeFileSync(path.join(root, 'lib', 'b.ts'), 'const b = 2;\n');
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  test('a mutant one focused run killed counts as detected even where another run saw it survive', () => {
    report('first.json', { 'lib/a.ts': { source: 'const a = 1;\n', mutants: [mutant(1, 'Survived'), mutant(2, 'Survived'), mutant(3, 'CompileError')] } });
    report('second.json', { 'lib/a.ts': { source: 'const a = 1;\n', mutants: [mutant(1, 'Killed'), mutant(2, 'NoCoverage'), mutant(4, 'Timeout')] } });
    const lines = summary(root, reports, ['lib/a.ts']).split('\n');
    expect(withoutDate(lines[0])).toBe('  66.7%     2 detected    1 undetected  lib/a.ts  (date)');
    expect(lines[1]).toBe('  66.7%     2 detected    1 undetected  measured files of lib/ (1 of 1)');
    expect(lines).toHaveLength(2);
  });

  test('results of a file that changed since its run do not count: the file is listed as not measured', () => {
    report('old.json', {
      'lib/a.ts': { source: 'const a = 0;\n', mutants: [mutant(1, 'Killed')] },
      'lib/b.ts': { source: 'const b = 2;\n', mutants: [mutant(1, 'Killed'), mutant(2, 'Killed'), mutant(3, 'Killed'), mutant(4, 'Survived')] },
    });
    const lines = summary(root, reports, ['lib/a.ts', 'lib/b.ts']).split('\n');
    expect(withoutDate(lines[0])).toBe('  75.0%     3 detected    1 undetected  lib/b.ts  (date)');
    expect(lines[1]).toBe('  75.0%     3 detected    1 undetected  measured files of lib/ (1 of 2)');
    expect(lines[2]).toBe('not measured as they are now: lib/a.ts');
  });

  test('no runs kept: nothing is measured', () => {
    fs.rmSync(reports, { recursive: true });
    expect(summary(root, reports, ['lib/a.ts']).split('\n')).toEqual([
      '    n/a     0 detected    0 undetected  measured files of lib/ (0 of 1)',
      'not measured as they are now: lib/a.ts',
    ]);
  });
});
