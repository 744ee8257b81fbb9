import { redactUrl } from '../lib';

describe('redactUrl', () => {
  test.each([
    ['https://bot:s3cret@registry.example.org/v2/', 'https://***@registry.example.org/v2/'],
    ['http://token@203.0.113.7', 'http://***@203.0.113.7'],
    ['https://bot:p@ss@host', 'https://***@host'],
    ['bot:s3cret@host', '***@host'],
    ['https://hub.example.org/', 'https://hub.example.org/'],
    ['hub', 'hub'],
  ])('%s reads %s', (url, shown) => {
    expect(redactUrl(url)).toBe(shown);
  });
});
