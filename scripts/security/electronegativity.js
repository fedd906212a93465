#!/usr/bin/env node
/**
 * Runs Doyensec's Electronegativity (the static checker of Electron's
 * security checklist) over the Electron main process, the preload and the
 * renderer's HTML (where the Content-Security-Policy lives), and fails on any
 * finding. Exceptions are justified in the code they concern, as
 * `eng-disable` comments. The check that fetches Electron's release list is
 * skipped: it needs the internet, and the pinned version is checked by hand.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

// The app to check: this repository, or another root with the same layout (the checker's own test passes one).
const root = process.argv[2] ?? join(import.meta.dirname, '../..');

/**
 * Google's CSP evaluator (which the CSP check runs) flags script-src 'self'
 * because a site that also hosts JSONP endpoints or uploads could be made to
 * run them. The app's origin is its own file:// bundle (or the local server
 * that serves only the renderer build), which holds neither; so that one
 * finding is accepted, and any other finding of the CSP check still fails.
 */
const ACCEPTED_CSP = [{ directive: 'script-src', value: "'self'" }];

function acceptedCspFinding(result) {
  const file = result.locations?.[0]?.physicalLocation?.artifactLocation?.uri;
  // A page without any CSP is reported with no file: never accepted.
  if (result.ruleId !== 'CSP_GLOBAL_CHECK' || !file || !existsSync(join(root, file))) return false;
  const html = readFileSync(join(root, file), 'utf8');
  const policy = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1];
  if (!policy) return false;
  const evaluator = require('@doyensec/csp-evaluator');
  const issues = new evaluator.CspEvaluator(new evaluator.CspParser(policy).csp).evaluate();
  return issues.every((i) => ACCEPTED_CSP.some((a) => a.directive === i.directive && a.value === i.value));
}
const require = createRequire(import.meta.url);
const work = mkdtempSync(join(tmpdir(), 'aes-eneg-'));
try {
  for (const part of ['src-main/electron', 'src-main/preload', 'src-renderer/index.html'].filter((p) => existsSync(join(root, p)))) cpSync(join(root, part), join(work, 'app', part), { recursive: true, filter: (src) => !src.endsWith('.test.ts') });
  const electronVersion = JSON.parse(readFileSync(join(import.meta.dirname, '../../package.json'), 'utf8')).devDependencies.electron;
  const bin = join(dirname(require.resolve('@doyensec/electronegativity/package.json')), 'dist/index.js');
  // SARIF, not CSV: the checker writes its CSV header and rows with two racing writes, which can lose the start of a row.
  const out = join(work, 'findings.sarif');
  execFileSync(process.execPath, [bin, '-i', join(work, 'app'), '-r', '-e', electronVersion, '-x', 'AvailableSecurityFixesGlobalCheck', '-o', out], { stdio: ['ignore', 'ignore', 'inherit'] });
  const results = JSON.parse(readFileSync(out, 'utf8')).runs.flatMap((run) => run.results);
  const findings = results
    .filter((r) => !acceptedCspFinding(r))
    .map((r) => `${r.ruleId} (${r.level}) ${r.locations?.[0]?.physicalLocation?.artifactLocation?.uri ?? ''}:${r.locations?.[0]?.physicalLocation?.region?.startLine ?? ''}: ${r.message?.text ?? ''}`);
  if (findings.length > 0) {
    console.error(`Electronegativity found ${findings.length} problem(s):\n${findings.join('\n')}\nFix them, or justify an exception with an eng-disable comment on the line.`);
    process.exitCode = 1;
  } else {
    console.log(`Electronegativity: no findings (Electron ${electronVersion}; main, preload, renderer HTML).`);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
