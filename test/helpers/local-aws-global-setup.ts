import type { TestProject } from 'vitest/node';
import { startMoto } from '../../local/aws/moto-server';
import { readTemplate } from '../../local/aws/template';

declare module 'vitest' {
  export interface ProvidedContext {
    awsEndpoint: string;
  }
}

/** One moto server for the integration run, on a free port; stopped when the run ends. */
export default async function setup(project: TestProject) {
  readTemplate(); // fail at once, with the command to run, when the local stage is not packaged
  const moto = await startMoto();
  project.provide('awsEndpoint', moto.endpoint);
  return async () => moto.stop();
}
