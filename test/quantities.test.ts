import { containerResources, parseQuantity, sameQuantity } from '../lib';
import { thrownMessage } from './helpers';

test.each<[unknown, number | undefined]>([
  ['500m', 0.5], ['2', 2], [2, 2], ['0.5', 0.5], ['1Gi', 2 ** 30], ['1024Mi', 2 ** 30], ['4G', 4e9], ['1e3', 1000], ['128974848', 128974848],
  ['lots', undefined], ['1 Gi', undefined], [null, undefined], ['', undefined],
])('parseQuantity(%p)', (quantity, expected) => {
  expect(parseQuantity(quantity)).toBe(expected);
});

test('the same quantity written another way is the same; another is not', () => {
  expect(sameQuantity('1Gi', '1024Mi')).toBe(true);
  expect(sameQuantity(2, '2')).toBe(true);
  expect(sameQuantity('500m', '0.5')).toBe(true);
  expect(sameQuantity('4G', '4Gi')).toBe(false);
  expect(sameQuantity('lots', 'lots')).toBe(false);
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
