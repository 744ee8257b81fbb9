import { isIPv4, isIPv6 } from 'net';
import { ConfigError } from '../core/errors';
import { isHostName } from '../core/names';
import { redactUrl } from '../core/redact';

/**
 * Fails unless `address` is what a LoadBalancer Service reports, or an operator would type for one: an IPv4 address
 * in dotted-quad form, an IPv6 address (bracketed or not), or a host name whose last label is not a number. The
 * URL parser would otherwise read `1.2.3` as 1.2.0.3 and `2130706433` as 127.0.0.1.
 */
export function checkProxyAddress(address: string, setting = '--address'): void {
  const bare = address.replace(/^\[(.*)\]$/, '$1');
  if (isIPv4(bare) || isIPv6(bare)) return;
  if (isHostName(address.toLowerCase()) && /[a-z]/i.test(address.split('.').pop()!)) return;
  const hint = /^[a-z][a-z0-9+.-]*:\/\//i.test(address) ? 'give the address without a scheme (the scheme is --scheme)' : 'give an IP address or a DNS name';
  throw new ConfigError(`${setting} "${redactUrl(address)}" is neither an IP address nor a host name; ${hint}, such as 203.0.113.7 or hub.example.org`);
}
