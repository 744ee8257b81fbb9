/** The shared syntax checks accept what Kubernetes, Go and the registries accept; bad-inputs.test.ts has the refusals. */
import { isGoDuration, SecretsMode } from '../lib';
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
