import { defineRule } from '../src/engine/types.js';
import { missingReason, partialScopeReason, resourceRef } from '../src/engine/rule-kit.js';
import type { S3Bucket } from '../src/inventory/schema.js';

/** A bucket ARN (no object path). */
const BUCKET_ARN = /^arn:[a-z-]+:s3:::([^/]+)$/;

type MacieJob = { id: string; name?: string; jobType?: string; jobStatus?: string; bucketDefinitions?: { accountId?: string; buckets: string[] }[]; bucketCriteria?: boolean };

/**
 * A job that analyses (or will analyse) new data: a scheduled job that is running or idle between
 * runs, or a one-time job still running. A job without a status (declared in code, before
 * deploy) counts as running, as AWS creates it.
 */
function isActive(job: MacieJob): boolean {
  const status = job.jobStatus ?? 'RUNNING';
  if (job.jobType === 'ONE_TIME') return status === 'RUNNING';
  return status === 'RUNNING' || status === 'IDLE';
}

const jobLabel = (job: MacieJob) => (job.name ? `${job.name} (${job.id})` : job.id);
const names = (bucket: string, job: MacieJob) => (job.bucketDefinitions ?? []).some((d) => d.buckets.includes(bucket));

export default defineRule({
  meta: {
    id: 'macie-ai-data-discovery',
    title: 'Amazon Macie discovers sensitive data in every AI data bucket',
    severity: 'medium',
    service: 'macie2',
    resourceTypes: ['AWS::S3::Bucket'],
    aiControl: true,
    description:
      "Every S3 bucket of the AI asset graph (training data, model artifacts, knowledge base sources, invocation logs, buckets tagged as AI data) must be covered by Amazon Macie in the bucket's Region: either automated sensitive data discovery is ENABLED and the classification scope does not exclude the bucket, or an active sensitive data discovery job names the bucket in its bucket definitions (a SCHEDULED job that is RUNNING or IDLE, or a ONE_TIME job still RUNNING; a finished one-time job scanned the data once and does not cover what arrives later). Macie disabled or paused in the Region fails. A job that picks buckets by bucket criteria (tags, properties) is not resolved by aigis: when nothing else covers the bucket, the verdict is unknown. Object-level scoping of a job (prefix or extension excludes) is not judged. From infrastructure code, jobs are known from aws_macie2_classification_job (Terraform); automated discovery and CloudFormation (AWS::Macie::Session only) leave the verdict unknown unless a declared job covers the bucket.",
    rationale:
      'Training sets, fine-tuning corpora and RAG sources collect personal data, health information and credentials that no one meant to include, and a model trained on them can memorize and repeat them; logs of prompts and completions hold whatever users typed. Macie is the discovery step the guidance puts before training: it finds PII and PHI in the AI buckets so that the data can be removed, masked or protected before it reaches a model. Macie being on in the Region is not enough: a bucket outside automated discovery and every job is never inspected. This is the information-location and data-classification evidence of NIST CM-12 and RA-2, SOC 2 C1.1 and GDPR Art. 30/32.',
    remediation: {
      console: [
        'Open the Amazon Macie console in the Region of the bucket (enable Macie if asked).',
        'Automated discovery: Settings, Automated sensitive data discovery, Enable; under S3 buckets, make sure the AI data buckets are not excluded.',
        'Or create a job: Jobs, Create job, select the AI data buckets, choose Scheduled job (daily, weekly or monthly) and submit.',
      ],
      cli: [
        'aws macie2 update-automated-discovery-configuration --region <REGION> --status ENABLED',
        'aws macie2 get-classification-scope --region <REGION> --id <SCOPE_ID>   # s3.excludes.bucketNames must not list the bucket',
        'aws macie2 create-classification-job --region <REGION> --job-type SCHEDULED --name ai-data-discovery \\',
        '  --schedule-frequency \'{"weeklySchedule":{"dayOfWeek":"MONDAY"}}\' \\',
        '  --s3-job-definition \'{"bucketDefinitions":[{"accountId":"<ACCOUNT_ID>","buckets":["<BUCKET>"]}]}\'',
      ].join('\n'),
      cloudformation: [
        '# CloudFormation has AWS::Macie::Session but no discovery job or automated discovery setting:',
        '# enable Macie here, then turn on automated discovery or create a job with the CLI or Terraform.',
        'MacieSession:',
        '  Type: AWS::Macie::Session',
        '  Properties:',
        '    Status: ENABLED',
      ].join('\n'),
      terraform: [
        'resource "aws_macie2_account" "this" {}',
        '',
        'resource "aws_macie2_classification_job" "ai_data" {',
        '  name     = "ai-data-discovery"',
        '  job_type = "SCHEDULED"',
        '  schedule_frequency {',
        '    weekly_schedule = "MONDAY"',
        '  }',
        '  s3_job_definition {',
        '    bucket_definitions {',
        '      account_id = data.aws_caller_identity.current.account_id',
        '      buckets    = [aws_s3_bucket.training_data.id]',
        '    }',
        '  }',
        '  depends_on = [aws_macie2_account.this]',
        '}',
      ].join('\n'),
    },
    references: [
      'https://docs.aws.amazon.com/macie/latest/user/discovery-asdd.html',
      'https://docs.aws.amazon.com/macie/latest/user/discovery-jobs.html',
      'https://docs.aws.amazon.com/macie/latest/APIReference/jobs.html',
    ],
  },

  *evaluate(context) {
    const buckets = new Map<string, S3Bucket>((context.inventory.s3?.buckets ?? []).map((b) => [b.arn, b]));
    const entries = new Map((context.inventory.detective?.macie ?? []).map((e) => [e.region, e]));
    const partial = partialScopeReason(context);
    for (const arn of [...context.ai.members.keys()].filter((id) => BUCKET_ARN.test(id)).sort()) {
      const bucket = buckets.get(arn);
      if (!bucket) continue;
      const name = bucket.name;
      const region = bucket.region;
      const resource = resourceRef(arn, 'AWS::S3::Bucket', region, name, bucket.source);
      if (region === 'unknown') {
        yield { verdict: 'unknown', resource, message: `Cannot tell whether Macie covers AI data bucket ${name}: ${missingReason(context, 's3', { resource: arn }, "the bucket's Region")}.` };
        continue;
      }
      const entry = entries.get(region);
      if (!entry) {
        yield {
          verdict: 'unknown',
          resource,
          message: partial
            ? `No Macie session is declared in ${region}, where AI data bucket ${name} lives, but ${partial}.`
            : `Cannot tell whether Macie covers AI data bucket ${name}: ${missingReason(context, 'macie2', { region }, `the Macie status in ${region}`)}.`,
        };
        continue;
      }
      if (entry.status !== 'ENABLED') {
        yield {
          verdict: 'fail',
          resource,
          message: `Macie is ${entry.status === 'PAUSED' ? 'paused' : 'not enabled'} in ${region}: nothing discovers sensitive data in AI data bucket ${name}.`,
          evidence: { region, macieStatus: entry.status },
          property: 'Status',
        };
        continue;
      }
      const discovery = entry.automatedDiscovery;
      const jobs = entry.classificationJobs;
      const evidence = {
        region,
        automatedDiscovery: discovery ? discovery.status : null,
        excluded: discovery?.excludedBuckets ? discovery.excludedBuckets.includes(name) : null,
        jobs: (jobs ?? []).filter((j) => names(name, j) || j.bucketCriteria).map((j) => ({ id: j.id, jobType: j.jobType ?? null, jobStatus: j.jobStatus ?? null, bucketCriteria: j.bucketCriteria === true })),
      };
      if (discovery?.status === 'ENABLED' && discovery.excludedBuckets && !discovery.excludedBuckets.includes(name)) {
        yield { verdict: 'pass', resource, message: `Macie automated sensitive data discovery is enabled in ${region} and does not exclude AI data bucket ${name}.`, evidence };
        continue;
      }
      const covering = (jobs ?? []).filter((j) => isActive(j) && names(name, j));
      if (covering.length) {
        yield { verdict: 'pass', resource, message: `Macie discovery job ${covering.map(jobLabel).join(', ')} names AI data bucket ${name} and is active.`, evidence };
        continue;
      }
      const byCriteria = (jobs ?? []).filter((j) => isActive(j) && j.bucketCriteria === true);
      const gaps: string[] = [];
      if (discovery?.status === 'ENABLED' && !discovery.excludedBuckets) {
        gaps.push(missingReason(context, 'macie2', { region, operations: ['GetClassificationScope'] }, 'the classification scope (excluded buckets) of automated discovery'));
      }
      if (!discovery) gaps.push(partial ? 'automated discovery is not declared in infrastructure code' : missingReason(context, 'macie2', { region, operations: ['GetAutomatedDiscoveryConfiguration'] }, 'the automated discovery configuration'));
      if (!jobs) gaps.push(partial ? 'no discovery job is declared' : missingReason(context, 'macie2', { region, operations: ['ListClassificationJobs'] }, 'the discovery job list'));
      else if (partial && !byCriteria.length) gaps.push(`no declared job names it, but ${partial}`);
      if (byCriteria.length) gaps.push(`job ${byCriteria.map(jobLabel).join(', ')} picks buckets by bucket criteria, which aigis does not resolve`);
      if (gaps.length) {
        yield { verdict: 'unknown', resource, message: `Cannot tell whether Macie covers AI data bucket ${name} in ${region}: ${gaps.join('; ')}.`, evidence };
        continue;
      }
      const why: string[] = [];
      if (discovery?.status === 'ENABLED') why.push('the automated discovery scope excludes it');
      else why.push('automated discovery is off');
      const idle = (jobs ?? []).filter((j) => names(name, j));
      why.push(idle.length ? `the jobs naming it are not active (${idle.map((j) => `${jobLabel(j)}: ${j.jobType ?? '?'} ${j.jobStatus ?? '?'}`).join(', ')})` : 'no active discovery job names it');
      yield {
        verdict: 'fail',
        resource,
        message: `Macie does not discover sensitive data in AI data bucket ${name} (${region}): ${why.join(' and ')}.`,
        evidence,
      };
    }
  },
});
