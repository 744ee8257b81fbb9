import * as cdk8s from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import * as constructs from 'constructs';
import { BinderHubApp } from './binderhub-app';
import { APP_FILE, loadApp } from './load-app';
import * as library from '../index';

/**
 * The project's app: main.ts (or `file`) in the working folder, compiled (or its cached compile while no file it was
 * made from changed), run against this very library and the construct libraries it is built on.
 */
export function loadProjectApp(file: string = APP_FILE): BinderHubApp {
  return loadApp({ 'binderhub-cdk8s': library, 'cdk8s': cdk8s, 'constructs': constructs, 'cdk8s-plus-27': kplus }, file);
}
