/**
 * The Model Registry link of SageMaker models (ModelPackageName) read from a CloudFormation
 * template and a Terraform plan gives sagemaker-model-registry-gate the same verdicts as a
 * snapshot of the deployed models. Infrastructure code holds no model package groups (approval is
 * given in the registry, not in code), so a packaged model is unknown there, as in a snapshot
 * taken without them; a model built from an image fails everywhere.
 */
import { describe, expect, it } from 'vitest';
import { importCloudFormation, importTerraformPlanData } from '../../src/importers/iac/index.js';
import { DEFAULT_CONFIG, ruleSettings } from '../../src/engine/config.js';
import { loadRules } from '../../src/engine/registry.js';
import { runScan } from '../../src/engine/scan.js';
import { parseInventory } from '../../src/inventory/load.js';
import type { Inventory, InventoryInput } from '../../src/inventory/schema.js';

const ACCOUNT = '111122223333';
const REGION = 'eu-west-1';
const PACKAGE = `arn:aws:sagemaker:${REGION}:${ACCOUNT}:model-package/fraud/3`;
const IMAGE = `${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com/scorer:1`;
const arn = (kind: string, name: string) => `arn:aws:sagemaker:${REGION}:${ACCOUNT}:${kind}/${name}`;

const TEMPLATE = `
Parameters:
  CandidatePackageArn:
    Type: String
Resources:
  PackagedModel:
    Type: AWS::SageMaker::Model
    Properties:
      ModelName: reg-packaged
      ExecutionRoleArn: arn:aws:iam::${ACCOUNT}:role/inference
      PrimaryContainer:
        ModelPackageName: ${PACKAGE}
  ImageModel:
    Type: AWS::SageMaker::Model
    Properties:
      ModelName: reg-image
      ExecutionRoleArn: arn:aws:iam::${ACCOUNT}:role/inference
      PrimaryContainer:
        Image: ${IMAGE}
        ModelDataUrl: s3://models/scorer.tar.gz
  PipelineModel:
    Type: AWS::SageMaker::Model
    Properties:
      ModelName: reg-pipeline
      ExecutionRoleArn: arn:aws:iam::${ACCOUNT}:role/inference
      Containers:
        - Image: ${IMAGE}
        - ModelPackageName: ${PACKAGE}
  CandidateModel:
    Type: AWS::SageMaker::Model
    Properties:
      ModelName: reg-candidate
      ExecutionRoleArn: arn:aws:iam::${ACCOUNT}:role/inference
      PrimaryContainer:
        ModelPackageName: !Ref CandidatePackageArn
${['packaged', 'image', 'pipeline', 'candidate']
  .map(
    (m) => `  ${m}Config:
    Type: AWS::SageMaker::EndpointConfig
    Properties:
      EndpointConfigName: reg-${m}
      ProductionVariants:
        - VariantName: AllTraffic
          ModelName: !GetAtt ${m.charAt(0).toUpperCase()}${m.slice(1)}Model.ModelName
          InstanceType: ml.m5.large
          InitialInstanceCount: 1`,
  )
  .join('\n')}
`;

const tf = (type: string, name: string, values: Record<string, unknown>) => ({ address: `${type}.${name}`, mode: 'managed', type, name, values });
const PLAN = {
  format_version: '1.2',
  planned_values: {
    root_module: {
      resources: [
        tf('aws_sagemaker_model', 'packaged', { name: 'reg-packaged', execution_role_arn: `arn:aws:iam::${ACCOUNT}:role/inference`, primary_container: [{ model_package_name: PACKAGE }] }),
        tf('aws_sagemaker_model', 'image', { name: 'reg-image', execution_role_arn: `arn:aws:iam::${ACCOUNT}:role/inference`, primary_container: [{ image: IMAGE, model_data_url: 's3://models/scorer.tar.gz' }] }),
        tf('aws_sagemaker_model', 'pipeline', { name: 'reg-pipeline', execution_role_arn: `arn:aws:iam::${ACCOUNT}:role/inference`, container: [{ image: IMAGE }, { model_package_name: PACKAGE }] }),
        tf('aws_sagemaker_model', 'candidate', { name: 'reg-candidate', execution_role_arn: `arn:aws:iam::${ACCOUNT}:role/inference`, primary_container: [{}] }),
        ...['packaged', 'image', 'pipeline', 'candidate'].map((m) =>
          tf('aws_sagemaker_endpoint_configuration', m, { name: `reg-${m}`, production_variants: [{ variant_name: 'AllTraffic', model_name: `reg-${m}`, instance_type: 'ml.m5.large' }] }),
        ),
      ],
    },
  },
  resource_changes: [
    {
      address: 'aws_sagemaker_model.candidate',
      mode: 'managed',
      type: 'aws_sagemaker_model',
      name: 'candidate',
      change: { actions: ['create'], before: null, after: { name: 'reg-candidate', primary_container: [{}] }, after_unknown: { arn: true, primary_container: [{ model_package_name: true }] } },
    },
  ],
};

/** The same models as deployed: what `aigis collect` records (without the registry, then with it). */
function snapshot(withRegistry: boolean): InventoryInput {
  const model = (name: string, fields: Record<string, unknown>) => ({ arn: arn('model', name), region: REGION, name, executionRoleArn: `arn:aws:iam::${ACCOUNT}:role/inference`, ...fields });
  return {
    schemaVersion: '1.0',
    account: { id: ACCOUNT },
    regions: [REGION],
    sagemaker: {
      models: [
        model('reg-packaged', { modelPackageName: PACKAGE }),
        model('reg-image', { primaryContainerImage: IMAGE, modelPackageName: null }),
        model('reg-pipeline', { primaryContainerImage: IMAGE, modelPackageName: null }),
        // The candidate's package is a deploy-time parameter: a snapshot that could not describe it.
        model('reg-candidate', {}),
      ],
      endpointConfigs: ['packaged', 'image', 'pipeline', 'candidate'].map((m) => ({
        arn: arn('endpoint-config', `reg-${m}`),
        region: REGION,
        name: `reg-${m}`,
        productionVariants: [{ variantName: 'AllTraffic', modelName: `reg-${m}`, instanceType: 'ml.m5.large' }],
      })),
      ...(withRegistry
        ? {
            modelPackageGroups: [
              { arn: arn('model-package-group', 'fraud'), region: REGION, name: 'fraud', packages: [{ arn: PACKAGE, version: 3, approvalStatus: 'Approved' as const }] },
            ],
          }
        : {}),
    },
  };
}

const inventories: Record<string, Inventory> = {
  cloudformation: parseInventory(importCloudFormation(TEMPLATE, 'registry.yaml', { accountId: ACCOUNT, region: REGION }), 'registry.yaml'),
  terraform: parseInventory(importTerraformPlanData(PLAN, 'plan.json', { accountId: ACCOUNT, region: REGION }), 'plan.json'),
  snapshot: parseInventory(snapshot(false), 'snapshot.json'),
};

const rules = (await loadRules()).filter((r) => r.meta.id === 'sagemaker-model-registry-gate');

async function verdicts(inventory: Inventory): Promise<string[]> {
  const result = await runScan({ inventory, rules, frameworks: [], settings: ruleSettings(DEFAULT_CONFIG) }, { name: 'aigis', version: 'test', informationUri: 'https://example.invalid' });
  return result.findings.map((f) => `${f.resource.name} ${f.verdict}`).sort();
}

describe('sagemaker-model-registry-gate from templates, plans and snapshots', () => {
  it('the importers record each model\'s package link as the collector does', () => {
    for (const [kind, inventory] of Object.entries(inventories)) {
      const packages = Object.fromEntries(inventory.sagemaker!.models.map((m) => [m.name, m.modelPackageName]));
      expect(packages, kind).toEqual({ 'reg-packaged': PACKAGE, 'reg-image': null, 'reg-pipeline': null, 'reg-candidate': undefined });
    }
    const candidate = inventories.cloudformation!.sagemaker!.models.find((m) => m.name === 'reg-candidate')!;
    expect(candidate.unresolved).toEqual(['PrimaryContainer.ModelPackageName']);
    expect(inventories.terraform!.sagemaker!.models.find((m) => m.name === 'reg-candidate')!.unresolved).toEqual(['PrimaryContainer.ModelPackageName']);
  });

  it('gives the same verdicts from the template, the plan and the snapshot', async () => {
    const expected = await verdicts(inventories.snapshot!);
    expect(expected).toEqual(['reg-candidate unknown', 'reg-image fail', 'reg-packaged unknown', 'reg-pipeline fail']);
    expect(await verdicts(inventories.cloudformation!)).toEqual(expected);
    expect(await verdicts(inventories.terraform!)).toEqual(expected);
  });

  it('passes the packaged model once the registry shows its version approved', async () => {
    expect(await verdicts(parseInventory(snapshot(true), 'snapshot.json'))).toEqual(['reg-candidate unknown', 'reg-image fail', 'reg-packaged pass', 'reg-pipeline fail']);
  });
});
