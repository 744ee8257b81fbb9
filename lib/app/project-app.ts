import { BinderHubApp } from './binderhub-app';
import { APP_FILE, loadApp } from './load-app';
import * as library from '../index';

/** The project's app: main.ts (or `file`) in the working folder, compiled anew, run against this very library. */
export function loadProjectApp(file: string = APP_FILE): BinderHubApp {
  return loadApp(library, file);
}
