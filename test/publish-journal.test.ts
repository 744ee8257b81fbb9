/**
 * The publish journal is no command channel: only steps a publish writes run, and only in the commands that publish
 * or act on the folders; the review commands change no file.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { completeInterruptedPublish, journalFile, legacyJournalFile, PublishTargets, publishedFolderProblems, publishManifests } from '../lib/internal';
import { configErrorMessage, exampleWorkspace, runCommand } from './helpers';

// The real renameSync unless a test watches it.
jest.mock('fs', () => {
  const actual = jest.requireActual('fs');
  return { ...actual, renameSync: jest.fn(actual.renameSync) };
});

/** A project-like folder: dist/, dist-secrets/, a secrets file and a file outside the two published folders. */
function workspace() {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'journal-'));
  const targets: PublishTargets = { manifests: path.join(root, 'dist'), secrets: path.join(root, 'dist-secrets') };
  fs.mkdirSync(targets.manifests);
  fs.mkdirSync(targets.secrets, { mode: 0o700 });
  fs.mkdirSync(path.join(root, 'secrets'));
  const secretsFile = path.join(root, 'secrets', 'prod.json');
  fs.writeFileSync(secretsFile, '{"tokens":{"proxySecretToken":"journal-test-token"}}\n', { mode: 0o600 });
  const outside = path.join(root, 'outside.txt');
  fs.writeFileSync(outside, 'keep me\n');
  fs.writeFileSync(path.join(targets.manifests, 'prod.k8s.yaml'), 'kind: ConfigMap\n');
  /** Every file under root with its content, to show that nothing changed. */
  const snapshot = () => Object.fromEntries(fs.readdirSync(root, { recursive: true, encoding: 'utf8' }).sort()
    .filter(name => fs.lstatSync(path.join(root, name)).isFile()).map(name => [name, fs.readFileSync(path.join(root, name), 'utf8')]));
  const writeJournal = (content: unknown) => fs.writeFileSync(journalFile(targets), typeof content === 'string' ? content : JSON.stringify(content));
  return { root, targets, secretsFile, outside, snapshot, writeJournal };
}

const FORMAT = 'binderhub-cdk8s publish journal 1';

describe('a journal may only name renames and removals a publish itself prepares', () => {
  const fix = 'so none of it was run; remove the file, then run `npm run synth` to publish anew';

  test.each([
    ['moves the secrets file into dist/', { folder: 'manifests', prepared: '../secrets/prod.json', target: 'leak.k8s.yaml' }, 'renames a file that no publish prepares'],
    ['renames onto a path outside dist/', { folder: 'manifests', prepared: '.x.k8s.yaml.1.tmp', target: '../main.ts' }, 'renames onto a file that is no manifest of the folder'],
    ['removes a file outside the folders', { folder: 'manifests', remove: '../outside.txt' }, 'removes a file that is no manifest of the folder'],
    ['removes a file of dist/ that is no manifest', { folder: 'manifests', remove: 'README.md' }, 'removes a file that is no manifest of the folder'],
    ['removes a manifest above dist/', { folder: 'manifests', remove: '../prod.k8s.yaml' }, 'removes a file that is no manifest of the folder'],
    ['removes a manifest in a folder below dist/', { folder: 'manifests', remove: 'sub/prod.k8s.yaml' }, 'removes a file that is no manifest of the folder'],
    ['removes a hidden file named like a manifest', { folder: 'manifests', remove: '.prod.k8s.yaml' }, 'removes a file that is no manifest of the folder'],
    ['removes a manifest of dist/ from the secrets folder', { folder: 'secrets', remove: 'prod.k8s.yaml' }, 'removes a file that is no manifest of the folder'],
    ['names a folder of its own', { folder: '..', remove: 'prod.k8s.yaml' }, 'names no folder of the publish'],
    ['renames a prepared file of another target', { folder: 'manifests', prepared: '.staging.k8s.yaml.7.tmp', target: 'prod.k8s.yaml' }, 'renames a file that no publish prepares'],
    ['mixes a rename and a removal', { folder: 'manifests', prepared: '.prod.k8s.yaml.7.tmp', target: 'prod.k8s.yaml', remove: 'prod.k8s.yaml' }, 'is neither a rename nor a removal'],
    ['is no object', 'dist/prod.k8s.yaml', 'is no step'],
  ])('a step that %s is refused before any step runs; nothing changes', (_, step, problem) => {
    const { targets, snapshot, writeJournal } = workspace();
    fs.writeFileSync(path.join(targets.manifests, '.x.k8s.yaml.1.tmp'), 'prepared\n');
    // A valid step first: it must not run either, since the journal as a whole is refused.
    writeJournal({ format: FORMAT, steps: [{ folder: 'manifests', prepared: '.x.k8s.yaml.1.tmp', target: 'x.k8s.yaml' }, step] });
    const before = snapshot();
    expect(configErrorMessage(() => completeInterruptedPublish(targets))).toBe(`${journalFile(targets)}: step 2 ${problem}, ${fix}`);
    expect(configErrorMessage(() => publishedFolderProblems(targets))).toBe(`${journalFile(targets)}: step 2 ${problem}, ${fix}`);
    expect(snapshot()).toEqual(before);
  });

  test('a prepared file that is a link (to the secrets file) is not renamed into dist/', () => {
    const { targets, secretsFile, snapshot, writeJournal } = workspace();
    fs.symlinkSync(secretsFile, path.join(targets.manifests, '.leak.k8s.yaml.1.tmp'));
    writeJournal({ format: FORMAT, steps: [{ folder: 'manifests', prepared: '.leak.k8s.yaml.1.tmp', target: 'leak.k8s.yaml' }] });
    const before = snapshot();
    expect(configErrorMessage(() => completeInterruptedPublish(targets))).toBe(`${journalFile(targets)}: step 1 renames something that is not a regular file, ${fix}`);
    expect(snapshot()).toEqual(before);
    expect(fs.existsSync(path.join(targets.manifests, 'leak.k8s.yaml'))).toBe(false);
  });

  test.each([
    ['no JSON', '{"format": "binderhub-cdk8s publish journal 1", "steps": [', 'no JSON'],
    ['a list (the format before this one)', [{ from: 'secrets/prod.json', to: 'dist/leak.k8s.yaml' }], 'not a publish journal (an object of this format with a list of steps)'],
    ['null', null, 'not a publish journal (an object of this format with a list of steps)'],
    ['an object whose steps are no list', { format: FORMAT, steps: { remove: 'prod.k8s.yaml' } }, 'not a publish journal (an object of this format with a list of steps)'],
    ['another JSON file', { tokens: { proxySecretToken: 'journal-test-token' } }, 'not a publish journal (an object of this format with a list of steps)'],
    ['a list of steps in another format', { format: 'some tool 1', steps: [{ folder: 'manifests', remove: 'prod.k8s.yaml' }] },
      'not a publish journal (an object of this format with a list of steps)'],
  ])('a journal that is %s: one line naming the file and the fix, no stack trace, no content quoted', (_, content, problem) => {
    const { targets, snapshot, writeJournal } = workspace();
    writeJournal(content);
    const before = snapshot();
    const message = configErrorMessage(() => completeInterruptedPublish(targets));
    expect(message).toBe(`${journalFile(targets)}: ${problem}, ${fix}`);
    expect(message).not.toContain('journal-test-token');
    expect(snapshot()).toEqual(before);
  });

  test('a journal that is a link (to a secrets file) is refused without reading it', () => {
    const { targets, secretsFile, snapshot } = workspace();
    fs.symlinkSync(secretsFile, journalFile(targets));
    const before = snapshot();
    expect(configErrorMessage(() => completeInterruptedPublish(targets))).toBe(`${journalFile(targets)}: a link, not a journal a publish wrote, ${fix}`);
    expect(snapshot()).toEqual(before);
  });

  test('a journal larger than 1 MiB is refused, naming the limit', () => {
    const { targets, writeJournal } = workspace();
    writeJournal(' '.repeat(1024 * 1024 + 1));
    expect(configErrorMessage(() => completeInterruptedPublish(targets))).toBe(`${journalFile(targets)}: is larger than 1 MiB, the most this file may hold, ${fix}`);
  });
});

describe('where the journal lives', () => {
  test('a journal in dist/, where git carries it (one file in a pull request), is never run, and is named', () => {
    const { targets, snapshot } = workspace();
    fs.writeFileSync(legacyJournalFile(targets), JSON.stringify([{ from: 'secrets/prod.json', to: path.join(targets.manifests, 'leak.k8s.yaml') }, { remove: 'outside.txt' }]));
    const before = snapshot();
    completeInterruptedPublish(targets);
    expect(snapshot()).toEqual(before);
    expect(publishedFolderProblems(targets)).toEqual([
      `${legacyJournalFile(targets)}: a publish journal where git carries it, which no command runs; remove it (and find out who added it)`,
    ]);
  });

  test('a publish\'s own journal goes into the git-ignored secrets folder, owner-only, and is gone when the publish is done', () => {
    const { targets } = workspace();
    const renames: string[] = [];
    const journalSeen: Array<{ mode: number; steps: unknown }> = [];
    const rename = jest.requireActual('fs').renameSync;
    (fs.renameSync as jest.Mock).mockImplementation((from: string, to: string) => {
      if (String(to) === journalFile(targets)) {
        journalSeen.push({ mode: fs.statSync(from).mode & 0o777, steps: JSON.parse(fs.readFileSync(from, 'utf8')).steps });
      } else {
        renames.push(path.basename(String(to)));
      }
      rename(from, to);
    });
    try {
      publishManifests(new Map([['prod.k8s.yaml', 'kind: Service\n'], ['prod-secrets.k8s.yaml', 'kind: Secret\n']]), targets);
    } finally {
      (fs.renameSync as jest.Mock).mockImplementation(rename);
    }
    // By file name, so the Secrets are in place before the manifest that uses them.
    expect(journalSeen).toEqual([{ mode: 0o600, steps: [
      { folder: 'secrets', prepared: `.prod-secrets.k8s.yaml.${process.pid}.tmp`, target: 'prod-secrets.k8s.yaml' },
      { folder: 'manifests', prepared: `.prod.k8s.yaml.${process.pid}.tmp`, target: 'prod.k8s.yaml' },
    ] }]);
    expect(renames).toEqual(['prod-secrets.k8s.yaml', 'prod.k8s.yaml']);
    expect(fs.existsSync(journalFile(targets))).toBe(false);
    expect(fs.existsSync(legacyJournalFile(targets))).toBe(false);
  });

  test('a pending journal is named by the review check and completed only by completeInterruptedPublish', () => {
    const { targets, writeJournal } = workspace();
    fs.writeFileSync(path.join(targets.manifests, '.prod.k8s.yaml.31.tmp'), 'kind: Service\n');
    fs.writeFileSync(path.join(targets.manifests, 'gone.k8s.yaml'), 'kind: Service\n');
    writeJournal({ format: FORMAT, steps: [
      { folder: 'manifests', prepared: '.prod.k8s.yaml.31.tmp', target: 'prod.k8s.yaml' }, { folder: 'manifests', remove: 'gone.k8s.yaml' },
    ] });
    const listing = () => fs.readdirSync(targets.manifests).sort();
    expect(publishedFolderProblems(targets)).toEqual([
      `${journalFile(targets)}: a publish was interrupted half-way; run \`npm run synth\` to complete it`,
      `${path.join(targets.manifests, '.prod.k8s.yaml.31.tmp')}: left by a publish that was killed before it renamed it; run \`npm run synth\` (it removes it)`,
    ]);
    expect(listing()).toEqual(['.prod.k8s.yaml.31.tmp', 'gone.k8s.yaml', 'prod.k8s.yaml']);
    completeInterruptedPublish(targets);
    expect(listing()).toEqual(['prod.k8s.yaml']);
    expect(fs.readFileSync(path.join(targets.manifests, 'prod.k8s.yaml'), 'utf8')).toBe('kind: Service\n');
    expect(fs.existsSync(journalFile(targets))).toBe(false);
    expect(publishedFolderProblems(targets)).toEqual([]);
  });

  test('a step is a step whatever the order of its keys', () => {
    const { targets, writeJournal } = workspace();
    fs.writeFileSync(path.join(targets.manifests, '.prod.k8s.yaml.8.tmp'), 'kind: Service\n');
    writeJournal({ steps: [{ target: 'prod.k8s.yaml', prepared: '.prod.k8s.yaml.8.tmp', folder: 'manifests' }], format: FORMAT });
    completeInterruptedPublish(targets);
    expect(fs.readFileSync(path.join(targets.manifests, 'prod.k8s.yaml'), 'utf8')).toBe('kind: Service\n');
  });

  test('leftover prepared files are named in order, folder by folder', () => {
    const { targets } = workspace();
    for (const name of ['.zeta.k8s.yaml.2.tmp', '.alpha.k8s.yaml.9.tmp', '.mid.k8s.yaml.5.tmp']) fs.writeFileSync(path.join(targets.manifests, name), 'x\n');
    fs.writeFileSync(path.join(targets.secrets, '.a-secrets.k8s.yaml.1.tmp'), 'x\n');
    expect(publishedFolderProblems(targets).map(problem => problem.slice(0, problem.indexOf(':')))).toEqual([
      ...['.alpha.k8s.yaml.9.tmp', '.mid.k8s.yaml.5.tmp', '.zeta.k8s.yaml.2.tmp'].map(name => path.join(targets.manifests, name)),
      path.join(targets.secrets, '.a-secrets.k8s.yaml.1.tmp'),
    ]);
  });
});

describe('files of Secrets that others may read', () => {
  test('are named by the review check, and the next publish writes them again owner-only', () => {
    const { targets } = workspace();
    const files = new Map([['prod-secrets.k8s.yaml', 'kind: Secret\n']]);
    publishManifests(files, targets);
    const secretsFile = path.join(targets.secrets, 'prod-secrets.k8s.yaml');
    fs.chmodSync(secretsFile, 0o644);
    expect(publishedFolderProblems(targets)).toEqual([
      `${secretsFile} has mode 0644, so group or others may read its Secrets; run \`chmod 600 ${secretsFile}\` (the next synth mends it too)`,
    ]);
    expect(publishManifests(files, targets).written).toEqual([secretsFile]);
    expect(fs.statSync(secretsFile).mode & 0o777).toBe(0o600);
    expect(publishedFolderProblems(targets)).toEqual([]);
    expect(publishManifests(files, targets).unchanged).toEqual([secretsFile]);
  });
});

describe('the commands', () => {
  // The attack of the second campaign: one file in a pull request, dist/.publish-journal.json, moved the secrets file
  // into dist/ under check-dist, deleted a file outside the project under diff, and replaced main.ts under synth.
  test('a journal planted in dist/ makes no command move, remove or replace a file; check-dist names it', () => {
    const dir = exampleWorkspace('journal-commands-');
    expect(runCommand('init-secrets', dir).status).toBe(0);
    expect(runCommand('synth', dir).status).toBe(0);
    const outside = `${dir}-outside.txt`;
    fs.writeFileSync(outside, 'keep me\n');
    const main = `${fs.readFileSync(path.join(dir, 'main.ts'), 'utf8')}// the operator's own\n`;
    fs.writeFileSync(path.join(dir, 'main.ts'), main);
    fs.writeFileSync(path.join(dir, 'dist', '.forged.k8s.yaml.1.tmp'), '// replaced\n');
    const targets = { manifests: path.join(dir, 'dist'), secrets: path.join(dir, 'dist-secrets') };
    fs.writeFileSync(legacyJournalFile(targets), JSON.stringify([
      { from: path.join(dir, 'secrets', 'prod.json'), to: path.join(dir, 'dist', 'leak.k8s.yaml') },
      { remove: outside },
      { from: path.join(dir, 'dist', '.forged.k8s.yaml.1.tmp'), to: path.join(dir, 'main.ts') },
    ]));
    const secrets = fs.readFileSync(path.join(dir, 'secrets', 'prod.json'), 'utf8');
    const untouched = () => {
      expect(fs.readFileSync(path.join(dir, 'secrets', 'prod.json'), 'utf8')).toBe(secrets);
      expect(fs.existsSync(path.join(dir, 'dist', 'leak.k8s.yaml'))).toBe(false);
      expect(fs.readFileSync(outside, 'utf8')).toBe('keep me\n');
      expect(fs.readFileSync(path.join(dir, 'main.ts'), 'utf8')).toBe(main);
    };
    const named = `${path.join('dist', '.publish-journal.json')}: a publish journal where git carries it, which no command runs`;
    const check = runCommand('check-dist', dir);
    expect(check.status).toBe(1);
    expect(check.stderr).toContain(`problem: ${named}`);
    untouched();
    const diff = runCommand('diff', dir);
    expect(diff.status).toBe(0);
    expect(diff.stderr).toContain(`warning: ${named}`);
    untouched();
    const synth = runCommand('synth', dir);
    expect(synth.status).toBe(0);
    expect(synth.stderr).toContain(`warning: ${named}`);
    untouched();
    for (const args of [['staging'], ['prod']]) expect(runCommand('prune-command', dir, {}, args).status).toBe(0);
    untouched();
  });

  test('check-dist and diff change no file while a publish is pending: they name it; prune-command completes it', () => {
    const dir = exampleWorkspace('journal-pending-');
    expect(runCommand('init-secrets', dir).status).toBe(0);
    expect(runCommand('synth', dir).status).toBe(0);
    const manifest = path.join(dir, 'dist', 'staging.k8s.yaml');
    const whole = fs.readFileSync(manifest, 'utf8');
    // What a publish killed between its renames leaves: the journal, and the prepared file not yet renamed.
    fs.renameSync(manifest, path.join(dir, 'dist', '.staging.k8s.yaml.99.tmp'));
    fs.writeFileSync(manifest, 'kind: ConfigMap\n');
    fs.writeFileSync(path.join(dir, 'dist-secrets', '.publish-journal.json'), JSON.stringify({
      format: FORMAT, steps: [{ folder: 'manifests', prepared: '.staging.k8s.yaml.99.tmp', target: 'staging.k8s.yaml' }],
    }));
    const listing = () => fs.readdirSync(path.join(dir, 'dist')).sort();
    const before = listing();
    const check = runCommand('check-dist', dir);
    expect(check.status).toBe(1);
    expect(check.stderr).toContain(`problem: ${path.join('dist-secrets', '.publish-journal.json')}: a publish was interrupted half-way; run \`npm run synth\` to complete it`);
    expect(runCommand('diff', dir).stderr).toContain('a publish was interrupted half-way');
    expect(listing()).toEqual(before);
    expect(fs.readFileSync(manifest, 'utf8')).toBe('kind: ConfigMap\n');
    expect(runCommand('prune-command', dir, {}, ['staging']).status).toBe(0);
    expect(fs.readFileSync(manifest, 'utf8')).toBe(whole);
    expect(listing()).not.toContain('.staging.k8s.yaml.99.tmp');
    expect(fs.existsSync(path.join(dir, 'dist-secrets', '.publish-journal.json'))).toBe(false);
  });
});
