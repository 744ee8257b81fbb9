/** Helpers for the tests of sealing: a controller's keys, its unsealing, and a deployment with known credentials. */
import { execFileSync } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Construct } from 'constructs';
import { BinderHub, ChartSource, Registry, SecretsMode } from '../lib/internal';
import { fakeTokens, FIXTURE_CHART } from './helpers';

/** A throw-away RSA key pair and self-signed certificate, as a sealed-secrets controller has. */
export function controllerKeys(days = 30, bits = 2048): { certificate: string; privateKey: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'controller-'));
  execFileSync('openssl', ['req', '-x509', '-newkey', `rsa:${bits}`, '-nodes', '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem'),
    '-days', String(days), '-subj', '/CN=sealed-secret'], { stdio: 'ignore' });
  return { certificate: fs.readFileSync(path.join(dir, 'cert.pem'), 'utf8'), privateKey: fs.readFileSync(path.join(dir, 'key.pem'), 'utf8') };
}

/**
 * A throw-away controller certificate valid from `notBefore` to `notAfter` (openssl's `YYYYMMDDHHMMSSZ`), self-signed
 * through `openssl ca`, the openssl command that takes both dates.
 */
export function certificateValidBetween(notBefore: string, notAfter: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'controller-'));
  const file = (name: string) => path.join(dir, name);
  execFileSync('openssl', ['req', '-new', '-newkey', 'rsa:2048', '-nodes', '-keyout', file('key.pem'), '-out', file('csr.pem'), '-subj', '/CN=sealed-secret'],
    { stdio: 'ignore' });
  fs.writeFileSync(file('index.txt'), '');
  fs.writeFileSync(file('serial'), '01\n');
  fs.writeFileSync(file('ca.cnf'), [
    '[ca]', 'default_ca = controller', '[controller]', `database = ${file('index.txt')}`, `new_certs_dir = ${dir}`, `serial = ${file('serial')}`,
    'default_md = sha256', 'policy = any', '[any]', 'commonName = supplied', '',
  ].join('\n'));
  execFileSync('openssl', ['ca', '-batch', '-config', file('ca.cnf'), '-selfsign', '-keyfile', file('key.pem'), '-in', file('csr.pem'), '-out', file('cert.pem'),
    '-startdate', notBefore, '-enddate', notAfter, '-notext'], { stdio: 'ignore' });
  return fs.readFileSync(file('cert.pem'), 'utf8');
}

/** Opens a sealed value as the controller does. */
export function unseal(privateKey: string, sealed: string, label: Buffer): Buffer {
  const blob = Buffer.from(sealed, 'base64');
  const keyLength = blob.readUInt16BE(0);
  const sessionKey = crypto.privateDecrypt(
    { key: privateKey, padding: crypto.constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256', oaepLabel: label },
    blob.subarray(2, 2 + keyLength),
  );
  const body = blob.subarray(2 + keyLength);
  const decipher = crypto.createDecipheriv('aes-256-gcm', sessionKey, Buffer.alloc(12));
  decipher.setAuthTag(body.subarray(body.length - 16));
  return Buffer.concat([decipher.update(body.subarray(0, body.length - 16)), decipher.final()]);
}

export const REGISTRY_PASSWORD = 'fake-registry-password-77';
export const GITHUB_TOKEN = 'ghp_fakeGithubTokenForTests1234';
const registry = Registry.dockerHub({ username: 'bot', password: REGISTRY_PASSWORD, imagePrefix: 'org/binder-' });

/** Deployment `prod` in namespace `binder`, with a registry and a GitHub token, so that it has four Secrets. */
export function sealingTestDeployment(app: Construct, secrets: SecretsMode | undefined, githubAccessToken = GITHUB_TOKEN): BinderHub {
  return new BinderHub(app, 'prod', { chart: ChartSource.local(FIXTURE_CHART), tokens: fakeTokens('prod'), namespace: 'binder', registry, githubAccessToken, secrets });
}
