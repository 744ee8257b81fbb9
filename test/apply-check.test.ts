/**
 * `unfinishedInputs`, what `npm run apply` refuses and `npm run check-dist` warns about: a credential that still holds
 * init-secrets' placeholder, and Secrets sealed for the example's stand-in certificate, recognised by its fingerprint.
 */
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { Testing } from 'cdk8s';
import { CREDENTIAL_PLACEHOLDER, DeploymentSecrets, SecretsMode, STAND_IN_CERTIFICATE_FINGERPRINT, unfinishedInputs } from '../lib/internal';
import { fakeTokens } from './helpers';
import { controllerKeys, sealingTestDeployment } from './sealing';

const STAND_IN = fs.readFileSync(path.join(__dirname, '..', 'sealed-secrets', 'prod.pem'), 'utf8');

const secrets = (placeholders: DeploymentSecrets['placeholders'] = []): DeploymentSecrets => ({
  tokens: fakeTokens('prod'),
  credentials: Object.fromEntries(placeholders.map(name => [name, CREDENTIAL_PLACEHOLDER])),
  chartValues: {},
  placeholders,
  file: 'secrets/prod.json',
});

const sealedFor = (certificate: string, certificateSource: string) =>
  sealingTestDeployment(Testing.app(), SecretsMode.sealed({ certificate, certificateSource }));

describe('unfinishedInputs', () => {
  test('the stand-in certificate, under any file name, is named with the file and how to fetch the real one', () => {
    expect(unfinishedInputs(sealedFor(STAND_IN, 'sealed-secrets/cluster-b.pem'), [secrets()])).toEqual([
      'deployment prod is sealed for sealed-secrets/cluster-b.pem, the example\'s stand-in certificate, whose private key is gone (no controller '
        + 'can unseal its Secrets): fetch your controller\'s with `kubeseal --fetch-cert > sealed-secrets/cluster-b.pem` and run `npm run synth`',
    ]);
  });

  test('the constant is the fingerprint of sealed-secrets/prod.pem as the example ships it', () => {
    expect(new crypto.X509Certificate(STAND_IN).fingerprint256).toBe(STAND_IN_CERTIFICATE_FINGERPRINT);
  });

  test('a controller\'s own certificate, and a mode that seals nothing, say nothing', () => {
    expect(unfinishedInputs(sealedFor(controllerKeys().certificate, 'sealed-secrets/prod.pem'), [secrets()])).toEqual([]);
    expect(unfinishedInputs(sealingTestDeployment(Testing.app(), SecretsMode.separate()), [secrets()])).toEqual([]);
  });

  test('each credential that still holds the placeholder is named with its file, before the certificate', () => {
    expect(unfinishedInputs(sealedFor(STAND_IN, 'sealed-secrets/prod.pem'), [secrets(['registryPassword', 'githubAccessToken'])]).slice(0, 2)).toEqual([
      'secrets/prod.json credentials.registryPassword is still the placeholder that npm run init-secrets wrote: put the real value there before you apply prod\'s manifests',
      'secrets/prod.json credentials.githubAccessToken is still the placeholder that npm run init-secrets wrote: put the real value there before you apply prod\'s manifests',
    ]);
  });
});
