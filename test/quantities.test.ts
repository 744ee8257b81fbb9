import { containerResources, parseQuantity, sameQuantity } from '../lib/internal';
import { thrownMessage } from './helpers';

test.each<[unknown, number | undefined]>([
  ['500m', 0.5], ['2', 2], [2, 2], ['0.5', 0.5], ['1Gi', 2 ** 30], ['1024Mi', 2 ** 30], ['4G', 4e9], ['1e3', 1000], ['128974848', 128974848],
  ['12.5', 12.5], ['.25', 0.25], ['-1', -1], ['+2', 2], ['1e-3', 0.001], ['1E+2', 100], ['2e10', 2e10], [' 2Gi ', 2 ** 31],
  ['lots', undefined], ['1 Gi', undefined], ['x5', undefined], ['5x', undefined], [null, undefined], ['', undefined],
])('parseQuantity(%p)', (quantity, expected) => {
  expect(parseQuantity(quantity)).toBe(expected);
});

test('the same quantity written another way is the same; another is not', () => {
  expect(sameQuantity('1Gi', '1024Mi')).toBe(true);
  expect(sameQuantity(2, '2')).toBe(true);
  expect(sameQuantity('500m', '0.5')).toBe(true);
  expect(sameQuantity('4G', '4Gi')).toBe(false);
  expect(sameQuantity('lots', 'lots')).toBe(false);
  expect(sameQuantity('0', 0)).toBe(true);
});

test('quantities that differ only by float rounding are the same', () => {
  // 4.1 * 1e9 and 4100 * 1e6 differ in the last bits of a double.
  expect(sameQuantity('4.1G', '4100M')).toBe(true);
  expect(sameQuantity('8.3T', '8300G')).toBe(true);
});

test('the tolerance is one part in a billion of the larger quantity', () => {
  expect(sameQuantity('999999999', '1000000000')).toBe(true);
  expect(sameQuantity('1000000000', '999999999')).toBe(true);
  expect(sameQuantity('999999998', '1000000000')).toBe(false);
});

test('containerResources: CPU as given, memory in whole mebibytes', () => {
  const resources = containerResources({ cpu: { request: '500m', limit: 2 }, memory: { request: '1Gi', limit: '4096Mi' } });
  expect(resources.cpu?.request?.amount).toBe('500m');
  expect(resources.cpu?.limit?.amount).toBe('2');
  expect(resources.memory?.request?.toMebibytes()).toBe(1024);
  expect(resources.memory?.limit?.toMebibytes()).toBe(4096);
  expect(thrownMessage(() => containerResources({ memory: { limit: '4G' } }, 'dind.resources')))
    .toBe('dind.resources.memory.limit "4G" is not a whole number of mebibytes, which the container\'s memory takes; write it in Mi or Gi, such as 4Gi');
  expect(thrownMessage(() => containerResources({ cpu: { request: '1.5m' } }))).toBe('resources.cpu.request "1.5m" is no CPU quantity; give cores (2, 0.5) or millicores (500m)');
});

test('containerResources: a request without a limit leaves the limit unset', () => {
  const resources = containerResources({ cpu: { request: '250m' }, memory: { limit: '512Mi' } });
  expect(resources.cpu?.request?.amount).toBe('250m');
  expect(resources.cpu?.limit).toBeUndefined();
  expect(resources.memory?.request).toBeUndefined();
  expect(resources.memory?.limit?.toMebibytes()).toBe(512);
});

test.each<[string | number, string]>([[' 500m ', '500m'], [12, '12'], ['0.25', '0.25'], ['1.5', '1.5']])(
  'containerResources takes the CPU quantity %p',
  (cpu, amount) => {
    expect(containerResources({ cpu: { limit: cpu } }).cpu?.limit?.amount).toBe(amount);
  },
);

test.each(['500mi', 'x2', '2x', '-1'])('containerResources refuses the CPU quantity %p, naming the setting', cpu => {
  expect(thrownMessage(() => containerResources({ cpu: { limit: cpu } }, 'dind.resources')))
    .toBe(`dind.resources.cpu.limit "${cpu}" is no CPU quantity; give cores (2, 0.5) or millicores (500m)`);
});

test.each(['0', '0Mi', '-1Gi'])('containerResources refuses the memory %p: a container needs some memory', memory => {
  expect(thrownMessage(() => containerResources({ memory: { request: memory } })))
    .toBe(`resources.memory.request "${memory}" is not a whole number of mebibytes, which the container's memory takes; write it in Mi or Gi, such as 4Gi`);
});
