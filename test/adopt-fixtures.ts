import * as path from 'path';

/** The adopt fixtures: the guide's files in the 2019 layout and today's, and layers of values. */
export const ADOPT_FIXTURES = path.join(__dirname, 'fixtures', 'adopt');
export const fixture = (name: string) => path.join(ADOPT_FIXTURES, name);

/** Every fake secret value of the fixtures: none may appear in any output, error or module. */
export const FIXTURE_SECRETS = [
  ...['01', '02'].map(n => `ad0b7e${n}`.repeat(8)),
  ...['01', '02', '03', '04', '05'].map(n => `7da700${n}bd`.repeat(6) + '7da700'.slice(0, 4)),
  'adopt-fake-dockerhub-pw-7351', 'ghp_ADOPTFAKEgithubtoken0123456789', 'glpat-ADOPTFAKEgitlab98765', 'adopt-fake-harbor-pw-9142',
];

/** Fails if `text` holds any fixture secret, plain or base64. */
export function expectNoFixtureSecret(text: string): void {
  for (const secret of FIXTURE_SECRETS) {
    expect(text).not.toContain(secret);
    expect(text).not.toContain(Buffer.from(secret).toString('base64'));
  }
}

/** The guide's two files, 2019 layout (Docker Hub, dind, GitHub, hand-set hub URL). */
export const LEGACY = [fixture('guide-2019/secret.yaml'), fixture('guide-2019/config.yaml')];
/** Today's layout (OVH Harbor, pink, ingress, GitLab, every token). */
export const TODAY = [fixture('today/secret.yaml'), fixture('today/config.yaml')];
