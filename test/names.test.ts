/** The shared syntax checks accept what Kubernetes, Go and the registries accept; bad-inputs.test.ts has the refusals. */
import { Builder, isGoDuration, isImageReference, SecretsMode } from '../lib';
import { synthBinderHub } from './helpers';

describe('isGoDuration', () => {
  test.each(['0', '1h', '30m', '1h30m', '90s', '1.5h', '.5s', '250ms', '10us', '10\u00b5s', '2h45m30.5s'])('accepts %s', value => {
    expect(isGoDuration(value)).toBe(true);
  });

  test.each(['banana', '', '1d', '-5m', '+1h', '1.5', '1h 30m', 'h', '10M', '00:30'])('refuses "%s"', value => {
    expect(isGoDuration(value)).toBe(false);
  });

  test('an ExternalSecret carries the given interval', () => {
    const objects = synthBinderHub({ secrets: SecretsMode.external({ storeName: 'vault', refreshInterval: '1h30m' }) });
    expect(objects.filter(o => o.kind === 'ExternalSecret').map(o => o.spec.refreshInterval)).toContain('1h30m');
  });
});

describe('isImageReference', () => {
  test.each([
    'docker.io/library/docker:28.3.3-dind', 'docker:28.3.3-dind', 'localhost:5000/binder/dind:1', '[::1]:5000/dind', 'quay.io/a__b/c-d.e_f:tag',
    `docker:dind@sha256:${'0'.repeat(64)}`, `registry.example.org/dind@sha256:${'ab'.repeat(32)}`,
  ])('accepts %s', image => {
    expect(isImageReference(image)).toBe(true);
  });

  test.each(['Docker:28', 'docker:', 'docker;rm', 'a b', '', 'x//y', '/x', 'docker.io/', 'docker:28:dind', 'a'.repeat(256)])('refuses "%s"', image => {
    expect(isImageReference(image)).toBe(false);
  });
});

describe('node selectors', () => {
  test('prefixed keys, upper case, dots and underscores, and empty values pass', () => {
    const nodeSelector = { 'hub.jupyter.org/node-purpose': 'user', 'kubernetes.io/os': 'linux', Disk_Type: 'ssd.fast', 'pool': '' };
    const objects = synthBinderHub({ builder: Builder.dind({ nodeSelector }) });
    const dind = objects.find(o => o.kind === 'DaemonSet' && o.metadata.name === 'test-dind');
    const terms = dind.spec.template.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms;
    expect(terms[0].matchExpressions.map((e: any) => e.key)).toEqual(Object.keys(nodeSelector));
  });
});
