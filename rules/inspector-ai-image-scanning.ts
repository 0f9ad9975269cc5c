import { defineRule } from '../src/engine/types.js';
import { missingReason, partialScopeReason, pushTo, resourceRef } from '../src/engine/rule-kit.js';

/**
 * The registry host of a private ECR image: `<account>.dkr.ecr[-fips].<region>.amazonaws.com[.cn]`.
 * Applied to the host part only (at most 253 characters), no nested quantifiers.
 */
const ECR_HOST = /^(\d{12})\.dkr\.ecr(?:-fips)?\.([a-z0-9-]{1,32})\.amazonaws\.com(?:\.cn)?$/;

/** The account and Region of an ECR image URI, or undefined for an image of another registry. */
export function ecrImageLocation(image: string): { accountId: string; region: string } | undefined {
  const host = image.slice(0, 300).split('/', 1)[0]!;
  if (host.length > 253) return undefined;
  const match = ECR_HOST.exec(host.toLowerCase());
  return match ? { accountId: match[1]!, region: match[2]! } : undefined;
}

interface Workload {
  arn: string;
  label: string;
  /** The images it runs; undefined when they were not read. */
  images: readonly string[] | undefined;
  region: string;
}

const DESCRIBE = ['DescribeTrainingJob', 'DescribeProcessingJob', 'DescribeModel'];

const list = (names: string[]) => (names.length > 3 ? `${names.slice(0, 3).join(', ')} and ${names.length - 3} more` : names.join(', '));

export default defineRule({
  meta: {
    id: 'inspector-ai-image-scanning',
    title: 'Amazon Inspector scans the ECR images SageMaker runs',
    severity: 'medium',
    service: 'inspector2',
    resourceTypes: ['AWS::::Account'],
    aiControl: true,
    description:
      "In every Region whose ECR registry of this account holds an image that a SageMaker training job, processing job or model runs (an image URI <this account>.dkr.ecr.<region>.amazonaws.com/...), Amazon Inspector must scan ECR (BatchGetAccountStatus resourceState.ecr.status ENABLED). The verdict is given per Region of the registry, on the synthetic resource arn:<partition>:inspector2:<region>:<account>:ecr-scanning. Images from other registries or accounts (the SageMaker built-in and Deep Learning Containers AWS owns, Marketplace algorithms) are not this account's to scan: a Region whose workloads run only those is not_applicable. A Region whose Inspector status was not read, or (from infrastructure code) where no aws_inspector2_enabler with ECR is declared, is unknown; ENABLING is unknown until it settles. Notebook instances are not judged: they run on instances SageMaker manages, which Inspector's EC2 scanning does not see, and their kernels' images are AWS's unless a Studio custom image is configured (not collected). Hyperparameter tuning jobs run the training images of the training jobs they launch.",
    rationale:
      'Custom training and inference containers carry their own operating system packages and ML libraries (PyTorch, transformers, pickle-based loaders) whose CVEs give code execution on the instances that hold training data and model weights. Amazon Inspector scans ECR images on push and continuously as new CVEs are published, which is the vulnerability-scanning evidence of NIST RA-5 and SI-2, SOC 2 CC7.1 and the HIPAA risk analysis; without it a vulnerable image keeps being deployed to endpoints and jobs.',
    remediation: {
      console: [
        'Open the Amazon Inspector console in the Region of the ECR registry and choose Get started, Activate Inspector (or, if active, Account management, then activate Amazon ECR scanning).',
        'In the ECR console, Private registry, Scanning, check that the registry uses Enhanced scanning with continuous scanning for the repositories SageMaker pulls from.',
        'For an organization, enable ECR scanning for member accounts from the delegated administrator.',
      ],
      cli: [
        'aws inspector2 enable --region <REGION> --resource-types ECR --account-ids <ACCOUNT_ID>',
        'aws inspector2 batch-get-account-status --region <REGION> --account-ids <ACCOUNT_ID> --query "accounts[].resourceState.ecr.status"',
      ].join('\n'),
      cloudformation: [
        '# CloudFormation has no resource that activates Amazon Inspector: enable it with the CLI,',
        '# the console, or a delegated administrator for the organization.',
      ].join('\n'),
      terraform: [
        'data "aws_caller_identity" "current" {}',
        '',
        'resource "aws_inspector2_enabler" "ecr" {',
        '  account_ids    = [data.aws_caller_identity.current.account_id]',
        '  resource_types = ["ECR"]',
        '}',
      ].join('\n'),
    },
    references: [
      'https://docs.aws.amazon.com/inspector/latest/user/scanning-ecr.html',
      'https://docs.aws.amazon.com/inspector/v2/APIReference/API_BatchGetAccountStatus.html',
      'https://docs.aws.amazon.com/sagemaker/latest/dg/docker-containers.html',
    ],
  },

  *evaluate(context) {
    const sm = context.inventory.sagemaker;
    if (!sm) return;
    const accountId = context.index.accountId;
    const workloads: Workload[] = [
      ...sm.trainingJobs.map((j) => ({
        arn: j.arn,
        label: `training job ${j.name}`,
        images: j.trainingImage === undefined ? undefined : j.trainingImage === null ? [] : [j.trainingImage],
        region: j.region,
      })),
      ...sm.processingJobs.map((j) => ({ arn: j.arn, label: `processing job ${j.name}`, images: j.imageUri === undefined ? undefined : [j.imageUri], region: j.region })),
      ...sm.models.map((m) => ({
        arn: m.arn,
        label: `model ${m.name}`,
        images: m.containerImages ?? (m.primaryContainerImage !== undefined ? [m.primaryContainerImage] : undefined),
        region: m.region,
      })),
    ];
    /** Registry Region -> the workloads running this account's images from it. */
    const own = new Map<string, Set<string>>();
    /** Workload Region -> workloads whose images were not read; and those running only others' images. */
    const unread = new Map<string, Workload[]>();
    const foreign = new Map<string, string[]>();
    for (const w of workloads) {
      if (w.images === undefined) {
        pushTo(unread, w.region, w);
        continue;
      }
      let mine = false;
      for (const image of w.images) {
        const location = ecrImageLocation(image);
        if (location && location.accountId === accountId) {
          mine = true;
          if (!own.has(location.region)) own.set(location.region, new Set());
          own.get(location.region)!.add(w.label);
        }
      }
      if (!mine && w.images.length) pushTo(foreign, w.region, w.label);
    }
    const entries = new Map((context.inventory.detective?.inspector ?? []).map((e) => [e.region, e]));
    const regions = [...new Set([...own.keys(), ...unread.keys(), ...foreign.keys()])].sort();
    for (const region of regions) {
      const resource = resourceRef(
        `arn:${context.index.partition}:inspector2:${region}:${accountId}:ecr-scanning`,
        'AWS::::Account',
        region,
        `Inspector ECR scanning (${region})`,
      );
      const users = [...(own.get(region) ?? [])].sort();
      const entry = entries.get(region);
      const status = entry?.ecr;
      const images = `the images ${list(users)} run${users.length === 1 ? 's' : ''} from this account's ECR in ${region}`;
      const evidence = { workloads: users, ecrScanStatus: status ?? null };
      if (!users.length) {
        const notRead = unread.get(region) ?? [];
        if (notRead.length && status !== 'ENABLED') {
          yield {
            verdict: 'unknown',
            resource,
            message: `Cannot tell whether ${list(notRead.map((w) => w.label))} in ${region} run${notRead.length === 1 ? 's' : ''} images from this account's ECR: ${missingReason(context, 'sagemaker', { region, resource: notRead[0]!.arn, operations: DESCRIBE }, 'the container image list')}.`,
            evidence: { workloads: notRead.map((w) => w.label) },
          };
        } else if (!notRead.length) {
          const others = foreign.get(region)!;
          yield {
            verdict: 'not_applicable',
            resource,
            message: `SageMaker workloads in ${region} (${list(others)}) run only images of other registries or accounts (AWS's built-in containers), which this account's Inspector does not scan.`,
          };
        }
        continue;
      }
      if (status === 'ENABLED') {
        yield { verdict: 'pass', resource, message: `Amazon Inspector scans ECR in ${region}, covering ${images}.`, evidence };
      } else if (status === undefined) {
        const partial = partialScopeReason(context);
        yield {
          verdict: 'unknown',
          resource,
          message: partial
            ? `No Inspector enabler for ECR is declared in ${region}, where this account's ECR holds the images ${list(users)} run${users.length === 1 ? 's' : ''}, but ${partial}.`
            : `Cannot tell whether Amazon Inspector scans ${images}: ${missingReason(context, 'inspector2', { region }, 'the Inspector account status')}.`,
          evidence,
        };
      } else if (status === 'ENABLING') {
        yield { verdict: 'unknown', resource, message: `Amazon Inspector ECR scanning is still being enabled in ${region} (ENABLING); scan again to confirm it covers ${images}.`, evidence };
      } else {
        yield {
          verdict: 'fail',
          resource,
          message: `Amazon Inspector ECR scanning is ${status} in ${region}: ${images} are not scanned for vulnerabilities.`,
          evidence,
        };
      }
    }
  },
});
