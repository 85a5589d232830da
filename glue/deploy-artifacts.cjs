'use strict';
/**
 * Serverless plugin: puts the Glue jobs' scripts and `glue_lib.zip` in the artifacts bucket on
 * `serverless deploy` (glue/jobs.yml points the jobs there). It builds them before the stack is
 * deployed, so a missing Python stops the deploy before anything changes, and uploads them after
 * (the bucket is the stack's), on every deploy: a change to the Python code alone changes no
 * template. `serverless package` and `deploy function` do neither. The work is in glue/artifacts.ts,
 * loaded through tsx's CommonJS loader.
 */
const { join } = require('node:path');

class GlueArtifactsPlugin {
  constructor(serverless, _options, { log } = {}) {
    this.serverless = serverless;
    this.log = log ?? { notice: (line) => console.log(line) };
    this.hooks = {
      'before:deploy:deploy': () => this.build(),
      'after:deploy:deploy': () => this.upload(),
    };
  }

  artifacts() {
    const { require: requireTs } = require('tsx/cjs/api');
    return requireTs('./artifacts.ts', __filename);
  }

  build() {
    const serviceDir = this.serverless.serviceDir ?? this.serverless.config.servicePath;
    const outDir = join(serviceDir, '.serverless', 'glue-artifacts');
    this.files = this.artifacts().buildGlueArtifacts(
      process.env.PYTHON || 'python3',
      serviceDir,
      outDir,
    );
  }

  async upload() {
    if (!this.files) this.build();
    const provider = this.serverless.getProvider('aws');
    // osls hands plugins its SDK v3 configuration (credentials, profile, region); otherwise the
    // SDK's default chain with the deploy's region.
    const config = provider.getAwsSdkV3Config
      ? await provider.getAwsSdkV3Config()
      : { region: provider.getRegion() };
    const { CloudFormationClient } = require('@aws-sdk/client-cloudformation');
    const { S3Client } = require('@aws-sdk/client-s3');
    const { glueArtifactsBucket, uploadGlueArtifacts } = this.artifacts();
    const bucket = await glueArtifactsBucket(
      new CloudFormationClient(config),
      provider.naming.getStackName(),
    );
    await uploadGlueArtifacts(new S3Client(config), bucket, this.files);
    this.log.notice(`Glue artifacts: ${this.files.length} files put in s3://${bucket}/glue/`);
  }
}

module.exports = GlueArtifactsPlugin;
