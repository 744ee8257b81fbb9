import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { DockerAuth } from './registry';

/** Props for `ImagePullSecret`. */
export interface ImagePullSecretProps {
  /** The Secret's name. */
  readonly name: string;
  /** The registry and the credentials to pull with. */
  readonly auth: DockerAuth;
}

/**
 * Defines a Secret of type kubernetes.io/dockerconfigjson that lets pods pull images from one private registry.
 * Its entry carries `auth` (base64 of `user:password`) beside username and password, as
 * `kubectl create secret docker-registry` writes it.
 */
export class ImagePullSecret extends Construct {
  /** The Secret's name, for `imagePullSecrets`. */
  public readonly name: string;

  constructor(scope: Construct, id: string, props: ImagePullSecretProps) {
    super(scope, id);
    const { server, username, password } = props.auth;
    new kplus.DockerConfigSecret(this, 'Resource', {
      metadata: { name: props.name },
      data: { auths: { [server]: { username, password, auth: Buffer.from(`${username}:${password}`).toString('base64') } } },
    });
    this.name = props.name;
  }
}
