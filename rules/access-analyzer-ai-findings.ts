import { defineRule } from '../src/engine/types.js';
import { describeMembership, isAiResource } from '../src/engine/ai-graph.js';
import { missingReason, resourceRef, sectionUnknown } from '../src/engine/rule-kit.js';
import { describeErrors } from '../src/engine/inventory-index.js';
import type { AccessAnalyzer } from '../src/inventory/schema.js';

/** Analyzer types that report external (cross-account and public) access. */
const EXTERNAL_ACCESS = new Set(['ACCOUNT', 'ORGANIZATION']);
/** Finding resource types that are AI resources whatever the asset graph says. */
const AI_TYPE_PREFIXES = ['AWS::SageMaker::', 'AWS::Bedrock::'];

type Finding = NonNullable<AccessAnalyzer['activeFindings']>[number];

interface Exposure {
  arn: string;
  resourceType?: string;
  findings: { id: string; isPublic?: boolean; analyzer: AccessAnalyzer }[];
}

export default defineRule({
  meta: {
    id: 'access-analyzer-ai-findings',
    title: 'No active IAM Access Analyzer finding exposes an AI resource outside the account',
    severity: 'high',
    service: 'accessanalyzer',
    resourceTypes: ['AWS::S3::Bucket', 'AWS::KMS::Key', 'AWS::IAM::Role', 'AWS::AccessAnalyzer::Analyzer'],
    aiControl: true,
    description:
      'No active finding of an IAM Access Analyzer external access analyzer (zone of trust ACCOUNT or ORGANIZATION) may be about a resource of the AI asset graph (a bucket, key or role an AI workload uses, a SageMaker or Bedrock resource, or a resource tagged or configured as AI), whether it grants public or cross-account access. Each AI resource with active findings fails, naming the finding ids and whether the access is public or cross-account. Each analyzer whose active findings were read and touch no AI resource passes. An analyzer whose findings were not read, or that is not active, is unknown, and so is a Region with no external access analyzer (access-analyzer-enabled fails that Region). Archived and resolved findings do not count: archiving is how an intended share is accepted.',
    rationale:
      'Access Analyzer proves, from the resource policies themselves, which buckets, keys and roles can be reached from outside the zone of trust. For AI workloads an active finding is concrete exposure: a training data bucket readable by another account, a model artifact key usable by the public, an execution role assumable from outside. Each must be fixed, or archived as an intended and reviewed share (NIST AC-3 and AC-21, SOC 2 CC6.1 and CC6.6, HIPAA 164.312(a)(1), GDPR Art. 5(1)(f) and 32(1)(b)).',
    remediation: {
      console: [
        'Open the IAM console in the Region, Access analyzer, Resource analysis (external access), and filter the active findings by the resource.',
        'For unintended access, remove the statement from the resource policy (bucket policy, key policy, role trust policy) that grants it; choose Rescan to confirm the finding is resolved.',
        'For intended access (a partner account, a central registry), choose Archive, or add an archive rule scoped to that principal and resource, and record the review.',
      ],
      cli: [
        'aws accessanalyzer list-findings --analyzer-arn <ANALYZER_ARN> --filter \'{"status":{"eq":["ACTIVE"]},"resource":{"eq":["<RESOURCE_ARN>"]}}\'',
        '# after fixing the resource policy:',
        'aws accessanalyzer start-resource-scan --analyzer-arn <ANALYZER_ARN> --resource-arn <RESOURCE_ARN>',
        '# or, for a reviewed and intended share:',
        'aws accessanalyzer update-findings --analyzer-arn <ANALYZER_ARN> --ids <FINDING_ID> --status ARCHIVED',
      ].join('\n'),
      cloudformation: [
        '# Archive rules record reviewed, intended external access (here: a partner account reading one bucket).',
        'ExternalAccessAnalyzer:',
        '  Type: AWS::AccessAnalyzer::Analyzer',
        '  Properties:',
        '    AnalyzerName: account-external-access',
        '    Type: ACCOUNT',
        '    ArchiveRules:',
        '      - RuleName: partner-reads-shared-features',
        '        Filter:',
        '          - Property: principal.AWS',
        '            Eq: ["444455556666"]',
        '          - Property: resource',
        '            Eq: ["arn:aws:s3:::partner-shared-features"]',
      ].join('\n'),
      terraform: [
        '# Fix the resource policy that grants the access; archive only reviewed, intended shares:',
        'resource "aws_accessanalyzer_archive_rule" "partner_reads_shared_features" {',
        '  analyzer_name = aws_accessanalyzer_analyzer.external_access.analyzer_name',
        '  rule_name     = "partner-reads-shared-features"',
        '  filter {',
        '    criteria = "principal.AWS"',
        '    eq       = ["444455556666"]',
        '  }',
        '  filter {',
        '    criteria = "resource"',
        '    eq       = ["arn:aws:s3:::partner-shared-features"]',
        '  }',
        '}',
      ].join('\n'),
    },
    references: [
      'https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-findings.html',
      'https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-work-with-findings.html',
      'https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-archive-rules.html',
    ],
  },

  *evaluate(context) {
    const section = context.inventory.accessAnalyzer;
    if (!section) {
      yield sectionUnknown(context, 'accessanalyzer', 'The IAM Access Analyzer inventory');
      return;
    }
    const analyzers = section.analyzers.filter((a) => EXTERNAL_ACCESS.has(a.type)).sort((a, b) => (a.arn < b.arn ? -1 : a.arn > b.arn ? 1 : 0));
    const isAi = (finding: Finding) =>
      (finding.resource !== undefined && isAiResource(context.ai, finding.resource)) ||
      (finding.resourceType !== undefined && AI_TYPE_PREFIXES.some((p) => finding.resourceType!.startsWith(p)));

    // Every AI resource with an active finding, across analyzers (an organization analyzer and an
    // account analyzer can both report it).
    const exposures = new Map<string, Exposure>();
    for (const analyzer of analyzers) {
      for (const finding of analyzer.activeFindings ?? []) {
        if (finding.resource === undefined || !isAi(finding)) continue;
        let exposure = exposures.get(finding.resource);
        if (!exposure) exposures.set(finding.resource, (exposure = { arn: finding.resource, findings: [] }));
        exposure.resourceType ??= finding.resourceType;
        if (!exposure.findings.some((f) => f.id === finding.id)) exposure.findings.push({ id: finding.id, isPublic: finding.isPublic, analyzer });
      }
    }
    for (const exposure of [...exposures.values()].sort((a, b) => (a.arn < b.arn ? -1 : a.arn > b.arn ? 1 : 0))) {
      const findings = exposure.findings.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
      const kinds = ['public', 'cross-account', 'external'].filter((kind) => findings.some((f) => kindOf(f.isPublic) === kind));
      const why = describeMembership(context.ai, exposure.arn);
      const label = `${typeNoun(exposure.resourceType)} ${nameOf(exposure.arn)}`;
      const analyzerNames = [...new Set(findings.map((f) => f.analyzer.name))].sort();
      yield {
        verdict: 'fail',
        resource: resourceRef(exposure.arn, exposure.resourceType ?? 'AWS::Resource', regionOf(exposure, findings[0]!.analyzer.region), nameOf(exposure.arn)),
        message: `${capitalize(label)}${why.length ? ` (${why.join('; ')})` : ''} has ${findings.length === 1 ? 'an active Access Analyzer finding' : `${findings.length} active Access Analyzer findings`} granting ${kinds.join(' and ')} access: ${findings
          .map((f) => `${f.id} (${f.isPublic === undefined ? 'external; public or not was not reported' : kindOf(f.isPublic)})`)
          .join(', ')} from analyzer ${analyzerNames.join(', ')}. Remove the grant from its policy, or archive the finding if the access is intended and reviewed.`,
        evidence: { findings: findings.map((f) => ({ id: f.id, isPublic: f.isPublic ?? null, analyzer: f.analyzer.arn })), aiMembership: why },
      };
    }

    for (const analyzer of analyzers) {
      const resource = resourceRef(analyzer.arn, 'AWS::AccessAnalyzer::Analyzer', analyzer.region, analyzer.name, analyzer.source);
      if (analyzer.activeFindings === undefined) {
        yield {
          verdict: 'unknown',
          resource,
          message: `Cannot tell whether analyzer ${analyzer.name} (${analyzer.region}) reports external access to AI resources: ${missingReason(context, 'accessanalyzer', { resource: analyzer.arn, operations: ['ListFindings'] }, 'its active findings')}.`,
        };
        continue;
      }
      const onAi = analyzer.activeFindings.filter(isAi);
      if (onAi.length) {
        const unplaced = onAi.filter((f) => f.resource === undefined);
        if (unplaced.length) {
          yield {
            verdict: 'unknown',
            resource,
            message: `Analyzer ${analyzer.name} (${analyzer.region}) has active findings on AI resources that name no resource (${unplaced.map((f) => f.id).sort().join(', ')}), so they cannot be placed.`,
          };
        }
        // The findings are judged on the resources above.
        continue;
      }
      if (analyzer.status !== undefined && analyzer.status !== 'ACTIVE') {
        yield {
          verdict: 'unknown',
          resource,
          message: `Analyzer ${analyzer.name} (${analyzer.region}) is ${analyzer.status}, not ACTIVE: its findings may not be current, so their absence on AI resources proves nothing.`,
          evidence: { status: analyzer.status },
        };
        continue;
      }
      const others = analyzer.activeFindings.length;
      yield {
        verdict: 'pass',
        resource,
        message: `Analyzer ${analyzer.name} (${analyzer.region}) has no active finding on an AI resource${others ? ` (${others} active finding${others === 1 ? '' : 's'} on other resources)` : ''}.`,
        evidence: { activeFindings: others, onAiResources: 0 },
      };
    }

    // A Region where external access is not analyzed: nothing can be said of its AI resources.
    const regions = [...new Set([...context.inventory.regions, ...section.analyzers.map((a) => a.region)])].sort();
    for (const region of regions) {
      if (analyzers.some((a) => a.region === region)) continue;
      const errors = context.index.errorsFor('accessanalyzer', { region, operations: ['ListAnalyzers'] });
      yield {
        verdict: 'unknown',
        resource: resourceRef(
          `arn:${context.index.partition}:access-analyzer:${region}:${context.index.accountId}:analyzer`,
          'AWS::AccessAnalyzer::Analyzer',
          region,
          `IAM Access Analyzer (${region})`,
        ),
        message: errors.length
          ? `Cannot tell whether AI resources in ${region} are exposed: analyzers could not be listed (${describeErrors(errors)}).`
          : `${region} has no external access analyzer, so external access to its AI resources is not analyzed (access-analyzer-enabled fails this Region).`,
      };
    }
  },
});

const TYPE_NOUNS: Record<string, string> = {
  'AWS::S3::Bucket': 'bucket',
  'AWS::KMS::Key': 'KMS key',
  'AWS::IAM::Role': 'role',
  'AWS::Lambda::Function': 'Lambda function',
  'AWS::SecretsManager::Secret': 'secret',
  'AWS::SQS::Queue': 'queue',
  'AWS::ECR::Repository': 'ECR repository',
};

function typeNoun(type: string | undefined): string {
  return (type && TYPE_NOUNS[type]) ?? type ?? 'resource';
}

function kindOf(isPublic: boolean | undefined): string {
  return isPublic === true ? 'public' : isPublic === false ? 'cross-account' : 'external';
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The last path segment of an ARN (bucket name, role name, key id). */
function nameOf(arn: string): string {
  const resource = arn.split(':').slice(5).join(':');
  const slash = resource.lastIndexOf('/');
  return slash >= 0 ? resource.slice(slash + 1) : resource || arn;
}

/** The ARN's Region; IAM is global; a bucket ARN has none, so the reporting analyzer's Region. */
function regionOf(exposure: Exposure, analyzerRegion: string): string {
  const region = exposure.arn.split(':')[3];
  if (region) return region;
  return exposure.resourceType?.startsWith('AWS::IAM::') || exposure.arn.split(':')[2] === 'iam' ? 'global' : analyzerRegion;
}
