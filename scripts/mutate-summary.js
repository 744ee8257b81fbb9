// `npm run mutate -- --summary`: the mutation score of lib/ from every run kept in reports/mutation/incremental/,
// full or focused. A run's results count for a file only while the file is as it was then (same source). A mutant is
// detected when any of those runs detected it: a focused run leaves out tests, so what it reports as survived may be
// killed by another run, and the merged score is still a lower bound of what the whole suite would give.
'use strict';
const fs = require('fs');
const path = require('path');

const DETECTED = new Set(['Killed', 'Timeout']);
const UNDETECTED = new Set(['Survived', 'NoCoverage']);

const mutantKey = m => `${m.mutatorName} ${m.location.start.line}:${m.location.start.column}-${m.location.end.line}:${m.location.end.column} ${m.replacement}`;

/** Per lib/ file whose current source some run saw: each mutant's best status over those runs, and the runs' dates. */
function mergeRuns(root, reportsDir) {
  const files = new Map();
  const sources = new Map();
  const currentSource = file => {
    if (!sources.has(file)) sources.set(file, fs.existsSync(path.join(root, file)) ? fs.readFileSync(path.join(root, file), 'utf8') : undefined);
    return sources.get(file);
  };
  const reports = fs.existsSync(reportsDir) ? fs.readdirSync(reportsDir).filter(f => f.endsWith('.json')) : [];
  for (const name of reports) {
    const report = JSON.parse(fs.readFileSync(path.join(reportsDir, name), 'utf8'));
    const date = fs.statSync(path.join(reportsDir, name)).mtime;
    for (const [file, result] of Object.entries(report.files)) {
      if (currentSource(file) !== result.source) continue;
      const merged = files.get(file) ?? { mutants: new Map(), newest: date };
      if (date > merged.newest) merged.newest = date;
      for (const mutant of result.mutants) {
        const key = mutantKey(mutant);
        const seen = merged.mutants.get(key);
        if (seen === undefined || (!DETECTED.has(seen) && DETECTED.has(mutant.status))) merged.mutants.set(key, mutant.status);
      }
      files.set(file, merged);
    }
  }
  return files;
}

/** Detected and undetected counts of a set of statuses (errors and ignored mutants do not count, as in Stryker). */
function score(statuses) {
  let detected = 0;
  let undetected = 0;
  for (const status of statuses) {
    if (DETECTED.has(status)) detected++;
    else if (UNDETECTED.has(status)) undetected++;
  }
  return { detected, undetected };
}

const percent = ({ detected, undetected }) => (detected + undetected === 0 ? 'n/a' : `${((100 * detected) / (detected + undetected)).toFixed(1)}%`);

/** The table `--summary` prints: each lib/ file mutated by the configuration, its merged score or "not measured". */
function summary(root, reportsDir, libFiles) {
  const merged = mergeRuns(root, reportsDir);
  const lines = [];
  const total = { detected: 0, undetected: 0 };
  const unmeasured = [];
  for (const file of libFiles) {
    const result = merged.get(file);
    if (result === undefined) {
      unmeasured.push(file);
      continue;
    }
    const counts = score(result.mutants.values());
    total.detected += counts.detected;
    total.undetected += counts.undetected;
    lines.push(`${percent(counts).padStart(7)}  ${String(counts.detected).padStart(4)} detected ${String(counts.undetected).padStart(4)} undetected  ${file}  (${result.newest.toISOString().slice(0, 10)})`);
  }
  lines.push(`${percent(total).padStart(7)}  ${String(total.detected).padStart(4)} detected ${String(total.undetected).padStart(4)} undetected  measured files of lib/ (${libFiles.length - unmeasured.length} of ${libFiles.length})`);
  if (unmeasured.length > 0) lines.push(`not measured as they are now: ${unmeasured.join(', ')}`);
  return lines.join('\n');
}

module.exports = { summary, mergeRuns };
