/** How adopt writes values into the module (lib/adopt/adopt-module.ts): literals that read as the values files did. */
import * as ts from 'typescript';
import { adoptedModuleText, planAdoption, Values } from '../lib/internal';

/** Values with no registry and the host builder: the rest goes to chartValues. */
const HOST_ONLY = { config: { BinderHub: { use_registry: false } } };

/** Python as the guide's extraConfig has it: quotes of both kinds, a regular expression with backslashes, a blank line. */
const PYTHON = [
  'import re',
  'c.KubeSpawner.environment = {"GREETING": \'hello\'}',
  '',
  'PATTERN = re.compile(r"^\\d+\\.\\d+$")',
  '',
].join('\n');

/**
 * The chartValues a module gives its deployment: the module compiled (syntax errors fail the test) and run against a
 * stand-in of binderhub-cdk8s that hands back the props.
 */
function chartValuesOf(text: string): unknown {
  const { outputText, diagnostics } = ts.transpileModule(text, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 }, reportDiagnostics: true });
  expect(diagnostics?.map(d => ts.flattenDiagnosticMessageText(d.messageText, '\n'))).toEqual([]);
  const factories = new Proxy({}, { get: () => (props: unknown) => props });
  const stub = { BinderHub: class { constructor(_scope: unknown, _id: string, public readonly props: any) {} }, Builder: factories, Registry: factories, ServicePolicy: factories };
  const module = { exports: {} as any };
  new Function('require', 'module', 'exports', outputText)(() => stub, module, module.exports);
  return module.exports.defineDeployment({ secrets: () => ({ tokens: {}, credentials: {} }), credential: () => '' }).props.chartValues;
}

describe('chartValues in the module', () => {
  const moduleOf = (chartValues: Values) => adoptedModuleText(planAdoption('x', { ...HOST_ONLY, ...chartValues }), ['v.yaml'], 'deployments/x.ts');

  test('extraConfig\'s Python is written as a multi-line template literal, its lines as they are, and gives the same value', () => {
    const values = { jupyterhub: { hub: { extraConfig: { '10-env': PYTHON } } } };
    const text = moduleOf(values);
    expect(text).toContain([
      '          "10-env": `import re',
      'c.KubeSpawner.environment = {"GREETING": \'hello\'}',
      '',
      'PATTERN = re.compile(r"^\\\\d+\\\\.\\\\d+$")',
      '`',
    ].join('\n'));
    expect(chartValuesOf(text)).toEqual(values);
  });

  test.each([
    ['backquotes and ${', 'a = `x`\nb = "${HOME}"\nc = "$ {x} $$"'],
    ['a carriage return, which a template literal would read as a newline', 'a = 1\r\nb = 2\r\n'],
    ['a trailing backslash', 'line one \\\nline two \\'],
    ['control characters, line separators and a lone surrogate', 'a\u0000b\u001bc\u2028d\u2029e\ud800f\n\tindented'],
  ])('a multi-line string with %s gives the same value', (_, text) => {
    const values = { jupyterhub: { hub: { extraConfig: { tricky: text } } } };
    expect(chartValuesOf(moduleOf(values))).toEqual(values);
  });

  test('one-line strings, numbers, lists and empty maps are written as JSON', () => {
    const values = { replicas: 2, jupyterhub: { singleuser: { cmd: ['jupyterhub-singleuser', '--debug'], extraLabels: {}, image: { name: 'a "b"' } } } };
    const text = moduleOf(values);
    expect(text).toContain('    chartValues: {\n      "replicas": 2,\n      "jupyterhub": {\n        "singleuser": {\n          "cmd": [\n'
      + '            "jupyterhub-singleuser",\n            "--debug"\n          ],\n          "extraLabels": {},\n          "image": {\n            "name": "a \\"b\\""\n');
    expect(chartValuesOf(text)).toEqual(values);
  });
});
