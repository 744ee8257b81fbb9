/** `checkProxyAddress`, which `npm run patch-hub-url` runs on --address and on what the cluster reports. */
import { checkProxyAddress, ConfigError } from '../lib/internal';
import { thrownMessage } from './helpers';

describe('checkProxyAddress', () => {
  test.each([
    ['an IPv4 address', '203.0.113.7'],
    ['an IPv6 address', '2001:db8::7'],
    ['a bracketed IPv6 address', '[2001:db8::7]'],
    ['a host name', 'a1b2-123.eu-west-1.elb.amazonaws.com'],
    ['a host name in capitals', 'Hub.Example.ORG'],
    ['a host name whose last label ends in a digit', 'hub.site-2'],
  ])('accepts %s: %s', (_, address) => {
    expect(() => checkProxyAddress(address)).not.toThrow();
  });

  const NOT_AN_ADDRESS = 'is neither an IP address nor a host name; give an IP address or a DNS name, such as 203.0.113.7 or hub.example.org';
  test.each([
    ['an IPv4 address with a missing part, which the URL parser reads as 1.2.0.3', '1.2.3', `--address "1.2.3" ${NOT_AN_ADDRESS}`],
    ['a number, which the URL parser reads as 127.0.0.1', '2130706433', `--address "2130706433" ${NOT_AN_ADDRESS}`],
    ['a host name whose last label is a number', 'hub.example.123', `--address "hub.example.123" ${NOT_AN_ADDRESS}`],
    ['brackets around a host name', '[hub.example.org]', `--address "[hub.example.org]" ${NOT_AN_ADDRESS}`],
    ['text before a bracketed address', '1[::1]', `--address "1[::1]" ${NOT_AN_ADDRESS}`],
    ['text after a bracketed address', '[::]1', `--address "[::]1" ${NOT_AN_ADDRESS}`],
    ['credentials, which are never quoted', 'bot:AddrPw-91@hub.example.org', `--address "***@hub.example.org" ${NOT_AN_ADDRESS}`],
    ['a scheme', 'HTTPS://hub.example.org', '--address "HTTPS://hub.example.org" is neither an IP address nor a host name; '
      + 'give the address without a scheme (the scheme is --scheme), such as 203.0.113.7 or hub.example.org'],
    ['a scheme after other text, which is no scheme of the address', 'hub.example.org/https://x', `--address "hub.example.org/https://x" ${NOT_AN_ADDRESS}`],
  ])('refuses %s', (_, address, message) => {
    expect(thrownMessage(() => checkProxyAddress(address))).toBe(message);
  });

  test('names the setting it checks, and throws a ConfigError (one line, no stack)', () => {
    const refuse = () => checkProxyAddress('1.2.3', 'the address of Service proxy-public');
    expect(thrownMessage(refuse)).toBe(`the address of Service proxy-public "1.2.3" ${NOT_AN_ADDRESS}`);
    expect(refuse).toThrow(ConfigError);
  });
});
