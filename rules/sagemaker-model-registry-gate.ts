import { defineRule, type RuleContext, type Verdict } from '../src/engine/types.js';
import { missingReason, resourceRef, sectionUnknown } from '../src/engine/rule-kit.js';
import { describeErrors } from '../src/engine/inventory-index.js';
import type { SageMakerModel, SageMakerModelPackageGroup } from '../src/inventory/schema.js';

type Package = NonNullable<SageMakerModelPackageGroup['packages']>[number];

/** What one production variant's model says about the gate. */
interface VariantVerdict {
  verdict: Exclude<Verdict, 'not_applicable'>;
  /** A phrase: `variant AllTraffic deploys model m from package p version 3, which is Approved`. */
  text: string;
  evidence: Record<string, unknown>;
}

/**
 * The endpoint configuration is the resource: it is what puts models into service (a model no
 * configuration deploys is not behind any gate yet), its ProductionVariants are where a template
 * or plan points to fix it, and one finding per configuration names every model it deploys.
 */
export default defineRule({
  meta: {
    id: 'sagemaker-model-registry-gate',
    title: 'SageMaker endpoints deploy only Model Registry versions that are approved',
    severity: 'medium',
    service: 'sagemaker',
    resourceTypes: ['AWS::SageMaker::EndpointConfig'],
    description:
      'For each SageMaker endpoint configuration, every model its production variants deploy must have been created from a Model Registry model package (the container\'s ModelPackageName), and that package version must have the approval status Approved. The verdict is given on the endpoint configuration, naming each variant\'s model and package. A model created from an image and model data with no package fails (deployed outside the registry), as does one whose package is Rejected or PendingManualApproval. The verdict is unknown when the link cannot be made: the model is not in the inventory, its package was not read, the model package groups were not collected (infrastructure code does not hold them) or do not include the package (for example a package in a central registry account or from AWS Marketplace). The approval status is the current one: whether it was given before the deployment is not shown by the API. When the account\'s endpoints were collected (a live scan or snapshot, not infrastructure code), the gate is judged on what is deployed: a configuration that no endpoint runs is not applicable, and every configuration an endpoint runs is judged.',
    rationale:
      'The Model Registry approval is the governance gate between a trained model and production: a reviewer signs off a version after evaluation, bias and security review, and only that version may serve. A model deployed from an image and an S3 artifact, or from a version still pending or rejected, bypasses the sign-off, so there is no record of who approved what runs. Auditors ask for exactly this evidence of change approval (SOC 2 CC8.1, NIST CM-3), of evaluation before an operational change (HIPAA 164.308(a)(8)) and of accountability for what processes personal data (GDPR Art. 5(2)).',
    remediation: {
      console: [
        'Register the model: in SageMaker Studio, Models, Registered models, create a model group (model package group) and register the version (or register it from the training pipeline).',
        'Review the version and set its status to Approved (Update status), with a comment on the evidence.',
        'Create the deployable model from the version (Deploy, or create-model with the package ARN), create a new endpoint configuration that uses it, and update the endpoint.',
      ],
      cli: [
        'aws sagemaker update-model-package --model-package-arn <PACKAGE_VERSION_ARN> --model-approval-status Approved --approval-description "<REVIEW EVIDENCE>"',
        'aws sagemaker create-model --model-name <MODEL> --execution-role-arn <ROLE_ARN> --primary-container ModelPackageName=<PACKAGE_VERSION_ARN>',
        'aws sagemaker create-endpoint-config --endpoint-config-name <CONFIG> --production-variants VariantName=AllTraffic,ModelName=<MODEL>,InstanceType=ml.m5.large,InitialInstanceCount=1',
        'aws sagemaker update-endpoint --endpoint-name <ENDPOINT> --endpoint-config-name <CONFIG>',
      ].join('\n'),
      cloudformation: [
        'ApprovedModel:',
        '  Type: AWS::SageMaker::Model',
        '  Properties:',
        '    ExecutionRoleArn: !GetAtt InferenceRole.Arn',
        '    PrimaryContainer:',
        '      ModelPackageName: !Ref ApprovedPackageVersionArn   # an Approved version of the model package group',
        'InferenceEndpointConfig:',
        '  Type: AWS::SageMaker::EndpointConfig',
        '  Properties:',
        '    ProductionVariants:',
        '      - VariantName: AllTraffic',
        '        ModelName: !GetAtt ApprovedModel.ModelName',
        '        InstanceType: ml.m5.large',
        '        InitialInstanceCount: 1',
        '        InitialVariantWeight: 1',
      ].join('\n'),
      terraform: [
        'resource "aws_sagemaker_model" "approved" {',
        '  execution_role_arn = aws_iam_role.inference.arn',
        '  primary_container {',
        '    model_package_name = var.approved_package_version_arn # an Approved version of the model package group',
        '  }',
        '}',
        '',
        'resource "aws_sagemaker_endpoint_configuration" "inference" {',
        '  production_variants {',
        '    variant_name           = "AllTraffic"',
        '    model_name             = aws_sagemaker_model.approved.name',
        '    instance_type          = "ml.m5.large"',
        '    initial_instance_count = 1',
        '  }',
        '}',
      ].join('\n'),
    },
    references: [
      'https://docs.aws.amazon.com/sagemaker/latest/dg/model-registry.html',
      'https://docs.aws.amazon.com/sagemaker/latest/dg/model-registry-approve.html',
      'https://docs.aws.amazon.com/sagemaker/latest/dg/model-registry-deploy.html',
    ],
  },

  *evaluate(context) {
    const sagemaker = context.inventory.sagemaker;
    if (!sagemaker) {
      yield sectionUnknown(context, 'sagemaker', 'The SageMaker inventory');
      return;
    }
    const registry = new Registry(sagemaker.modelPackageGroups, context.index.accountId);
    const models = new Map<string, SageMakerModel>();
    for (const model of sagemaker.models) {
      // Model names are unique per Region regardless of case (the ARN carries them in lower case).
      const key = `${model.region}/${model.name.toLowerCase()}`;
      if (!models.has(key)) models.set(key, model);
    }
    const deployed = deployedConfigs(context);
    for (const config of sagemaker.endpointConfigs) {
      const resource = resourceRef(config.arn, 'AWS::SageMaker::EndpointConfig', config.region, config.name, config.source);
      const runBy = deployed?.get(config.region);
      if (runBy !== undefined && !runBy.has(config.name.toLowerCase())) {
        yield { verdict: 'not_applicable', resource, message: `Endpoint configuration ${config.name} is not run by any endpoint in ${config.region}: it serves no model.` };
        continue;
      }
      const variants = config.productionVariants;
      if (variants === undefined) {
        yield {
          verdict: 'unknown',
          resource,
          message: `Cannot tell which models endpoint configuration ${config.name} deploys: ${missingReason(context, 'sagemaker', { resource: config.arn, operations: ['DescribeEndpointConfig'] }, 'its production variant list')}.`,
        };
        continue;
      }
      if (variants.length === 0) {
        yield { verdict: 'not_applicable', resource, message: `Endpoint configuration ${config.name} deploys no model.` };
        continue;
      }
      const results = variants.map((variant) => judgeVariant(context, registry, models, config.region, variant));
      const verdict: Verdict = results.some((r) => r.verdict === 'fail') ? 'fail' : results.some((r) => r.verdict === 'unknown') ? 'unknown' : 'pass';
      const shown = verdict === 'pass' ? results : results.filter((r) => r.verdict === verdict);
      const lead =
        verdict === 'pass'
          ? `Endpoint configuration ${config.name} deploys only approved Model Registry versions`
          : verdict === 'fail'
            ? `Endpoint configuration ${config.name} deploys a model that has not passed the Model Registry approval`
            : `Cannot tell whether endpoint configuration ${config.name} deploys only approved Model Registry versions`;
      yield {
        verdict,
        resource,
        message: `${lead}: ${shown.map((r) => r.text).join('; ')}.`,
        evidence: { variants: results.map((r) => ({ verdict: r.verdict, ...r.evidence })) },
        ...(verdict === 'pass' ? {} : { property: 'ProductionVariants' }),
      };
    }
  },
});

/**
 * Per Region, the (lower-case) names of the endpoint configurations the endpoints run, where that
 * is fully known: endpoints collected from the account (not infrastructure code, which shows only
 * its own endpoints), listed without error in the Region, each with its configuration read.
 * undefined, or a Region missing from the map: every configuration is judged.
 */
function deployedConfigs(context: RuleContext): Map<string, Set<string>> | undefined {
  const endpoints = context.inventory.sagemaker?.endpoints;
  if (endpoints === undefined || context.inventory.partial) return undefined;
  const regions = new Map<string, Set<string>>();
  const incomplete = new Set<string>();
  for (const region of context.inventory.regions) regions.set(region, new Set());
  for (const endpoint of endpoints) {
    if (!regions.has(endpoint.region)) regions.set(endpoint.region, new Set());
    if (endpoint.endpointConfigName === undefined) incomplete.add(endpoint.region);
    else regions.get(endpoint.region)!.add(endpoint.endpointConfigName.toLowerCase());
  }
  for (const region of [...regions.keys()]) {
    if (incomplete.has(region) || context.index.errorsFor('sagemaker', { region, operations: ['ListEndpoints', 'DescribeEndpoint'] }).length) regions.delete(region);
  }
  return regions;
}

function judgeVariant(
  context: RuleContext,
  registry: Registry,
  models: ReadonlyMap<string, SageMakerModel>,
  region: string,
  variant: { variantName: string; modelName: string },
): VariantVerdict {
  const subject = `variant ${variant.variantName}`;
  if (!variant.modelName) {
    return { verdict: 'unknown', text: `the model of ${subject} is not known (not resolved before deploy)`, evidence: { variant: variant.variantName, model: null } };
  }
  const model = models.get(`${region}/${variant.modelName.toLowerCase()}`);
  const evidence: Record<string, unknown> = { variant: variant.variantName, model: variant.modelName };
  if (!model) {
    const errors = context.index.errorsFor('sagemaker', { region, operations: ['ListModels'] });
    return {
      verdict: 'unknown',
      text: `${subject} deploys model ${variant.modelName}, which is not in the inventory${errors.length ? ` (models could not be listed: ${describeErrors(errors)})` : ''}, so the link to a model package cannot be made`,
      evidence,
    };
  }
  const deploys = `${subject} deploys model ${model.name}`;
  const packageName = model.modelPackageName;
  if (packageName === undefined) {
    return {
      verdict: 'unknown',
      text: `${deploys}, whose model package is not known: ${missingReason(context, 'sagemaker', { resource: model.arn, operations: ['DescribeModel'] }, 'its container\'s ModelPackageName')}`,
      evidence,
    };
  }
  if (packageName === null) {
    return {
      verdict: 'fail',
      text: `${deploys}, created from ${model.primaryContainerImage ? `image ${model.primaryContainerImage}` : 'a container image'} and model data with no model package: it was deployed outside the Model Registry`,
      evidence: { ...evidence, modelPackageName: null, image: model.primaryContainerImage ?? null },
    };
  }
  evidence.modelPackageName = packageName;
  const found = registry.find(packageName, region);
  if (found.kind === 'not-collected') {
    const errors = context.index.errorsFor('sagemaker', { region, operations: ['ListModelPackageGroups'] });
    return {
      verdict: 'unknown',
      text: `${deploys} from package ${packageName}, but the model package groups ${errors.length ? `could not be listed (${describeErrors(errors)})` : 'are not in the inventory (not collected; infrastructure code does not hold them)'}, so its approval cannot be read`,
      evidence,
    };
  }
  if (found.kind === 'packages-not-listed') {
    return {
      verdict: 'unknown',
      text: `${deploys} from package ${packageName}, but ${missingReason(context, 'sagemaker', { resource: found.group.arn, operations: ['ListModelPackages'] }, `the version list of model package group ${found.group.name}`)}, so its approval cannot be read`,
      evidence: { ...evidence, modelPackageGroup: found.group.arn },
    };
  }
  if (found.kind === 'missing') {
    const errors = context.index.errorsFor('sagemaker', { region, operations: ['ListModelPackageGroups'] });
    const where = found.foreignAccount
      ? found.foreignAccount === 'aws-marketplace'
        ? ' (an AWS Marketplace package, outside the account\'s registry)'
        : ` (a package of account ${found.foreignAccount}, whose registry was not scanned)`
      : errors.length
        ? ` (model package groups could not be listed in ${region}: ${describeErrors(errors)})`
        : '';
    return {
      verdict: 'unknown',
      text: `${deploys} from package ${packageName}, which is not in the collected model package groups${where}, so the link to an approved version cannot be made`,
      evidence,
    };
  }
  const { group, pkg } = found;
  const version = `${group.name}${pkg.version !== undefined ? ` version ${pkg.version}` : ''}`;
  const withPackage = { ...evidence, modelPackageGroup: group.arn, modelPackageArn: pkg.arn, approvalStatus: pkg.approvalStatus ?? null };
  if (pkg.approvalStatus === 'Approved') {
    return { verdict: 'pass', text: `${deploys} from ${version}, which is Approved`, evidence: withPackage };
  }
  if (pkg.approvalStatus === undefined) {
    return { verdict: 'unknown', text: `${deploys} from ${version}, whose approval status was not collected`, evidence: withPackage };
  }
  return {
    verdict: 'fail',
    text: `${deploys} from ${version}, whose approval status is ${pkg.approvalStatus}${pkg.approvalStatus === 'Rejected' ? ': a rejected version is serving' : ': it was deployed before sign-off'}`,
    evidence: withPackage,
  };
}

type Lookup =
  | { kind: 'found'; group: SageMakerModelPackageGroup; pkg: Package }
  | { kind: 'not-collected' }
  | { kind: 'packages-not-listed'; group: SageMakerModelPackageGroup }
  | { kind: 'missing'; foreignAccount?: string };

/** The collected package versions, found by ARN or by the `<group>/<version>` (or unversioned name) the ARN ends with. */
class Registry {
  private readonly byKey = new Map<string, { group: SageMakerModelPackageGroup; pkg: Package }>();
  private readonly groups = new Map<string, SageMakerModelPackageGroup>();

  constructor(
    private readonly list: readonly SageMakerModelPackageGroup[] | undefined,
    private readonly accountId: string,
  ) {
    for (const group of list ?? []) {
      this.groups.set(`${group.region}/${group.name.toLowerCase()}`, group);
      for (const pkg of group.packages ?? []) {
        const entry = { group, pkg };
        this.byKey.set(pkg.arn.toLowerCase(), entry);
        const tail = packageTail(pkg.arn);
        if (tail !== undefined) this.byKey.set(`${group.region}/${tail.toLowerCase()}`, entry);
      }
    }
  }

  find(reference: string, region: string): Lookup {
    if (this.list === undefined) return { kind: 'not-collected' };
    const isArn = reference.startsWith('arn:');
    const hit = this.byKey.get(isArn ? reference.toLowerCase() : `${region}/${reference.toLowerCase()}`);
    if (hit) return { kind: 'found', ...hit };
    // ARN: arn:<partition>:sagemaker:<region>:<account>:model-package/<group>/<version>
    const fields = isArn ? reference.split(':', 6) : [];
    const packageRegion = isArn ? (fields[3] ?? region) : region;
    const account = isArn ? fields[4] : undefined;
    const tail = isArn ? packageTail(reference) : reference;
    const groupName = tail?.includes('/') ? tail.slice(0, tail.indexOf('/')) : undefined;
    const group = groupName !== undefined ? this.groups.get(`${packageRegion}/${groupName.toLowerCase()}`) : undefined;
    if (group && group.packages === undefined) return { kind: 'packages-not-listed', group };
    return account && account !== this.accountId ? { kind: 'missing', foreignAccount: account } : { kind: 'missing' };
  }
}

function packageTail(arn: string): string | undefined {
  const marker = ':model-package/';
  const at = arn.indexOf(marker);
  return at < 0 ? undefined : arn.slice(at + marker.length);
}
