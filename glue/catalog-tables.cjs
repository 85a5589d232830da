'use strict';
/**
 * The Glue tables of the lake, generated at package time from the dataset declarations
 * (shared/datasets) by shared/catalog/table-resources.ts, so that the catalog, the Parquet writer
 * and record validation share one definition. serverless.yml includes:
 *   resources:   ${file(./glue/catalog-tables.cjs):resources}     a table per dataset and zone
 *   (crawler)    ${file(./glue/catalog-tables.cjs):rawTableRefs}  Refs to the raw tables
 * The TypeScript sources are loaded through tsx's CommonJS loader; nothing is compiled to disk.
 */
const { require: requireTs } = require('tsx/cjs/api');

function load() {
  const { datasets } = requireTs('../shared/datasets/index.ts', __filename);
  const { validateRegistry } = requireTs('../shared/datasets/validate.ts', __filename);
  const generator = requireTs('../shared/catalog/table-resources.ts', __filename);
  validateRegistry(datasets);
  return { datasets, generator };
}

module.exports = {
  /** `{ Resources }`: one AWS::Glue::Table per dataset for the raw and the curated zone. */
  async resources({ resolveVariable }) {
    const projectionStart = String(await resolveVariable('param:catalogProjectionStart'));
    const { datasets, generator } = load();
    return { Resources: generator.glueTableResources(datasets, { projectionStart }) };
  },
  /** `[{ Ref: 'GlueTableRaw…' }, …]`: the crawler's catalog targets. */
  rawTableRefs() {
    const { datasets, generator } = load();
    return generator.rawTableRefs(datasets);
  },
};
