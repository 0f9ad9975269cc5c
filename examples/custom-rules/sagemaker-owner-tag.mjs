// @ts-check
// A custom aigis rule (docs/writing-rules.md): every SageMaker notebook instance and endpoint names
// the person or team that answers for it in an `owner` tag.
//
//   aigis scan --demo --rules-dir examples/custom-rules --framework-file examples/custom-rules/acme-ai-policy.yaml
//
// A rule module default-exports defineRule({ meta, evaluate }). evaluate(context) yields one result
// per resource it judges: pass, fail, unknown (the data is missing: never a silent pass) or
// not_applicable. It reads only the context: no AWS calls, no files, no network.
import { defineRule, missingReason, resourceRef, sectionUnknown } from 'aigis';

const OWNER_TAG = 'owner';

export default defineRule({
  meta: {
    // Kebab-case; a company prefix keeps custom ids apart from present and future built-in ones.
    id: 'acme-sagemaker-owner-tag',
    title: 'SageMaker notebook instances and endpoints name an owner (tag `owner`)',
    severity: 'low',
    service: 'sagemaker',
    resourceTypes: ['AWS::SageMaker::NotebookInstance', 'AWS::SageMaker::Endpoint'],
    description:
      'Every SageMaker notebook instance and endpoint must carry a non-empty `owner` tag naming the person or team accountable for it. A resource without it fails; one whose tags were not collected is unknown.',
    rationale:
      'ACME policy AI-OWN-1: an AI workload nobody answers for is not reviewed, patched or shut down. The owner tag is how incident response and access reviews find the accountable person.',
    remediation: {
      console: [
        'In the SageMaker AI console, open the notebook instance or endpoint, Tags, Add tag: key owner, value the accountable person or team.',
      ],
      cli: 'aws sagemaker add-tags --resource-arn <notebook-or-endpoint-arn> --tags Key=owner,Value=team-ml-platform',
      cloudformation: ['Tags:', '  - Key: owner', '    Value: team-ml-platform'].join('\n'),
      terraform: ['tags = {', '  owner = "team-ml-platform"', '}'].join('\n'),
    },
    references: ['https://docs.aws.amazon.com/sagemaker/latest/dg/tagging-resources.html'],
  },

  *evaluate(context) {
    const sagemaker = context.inventory.sagemaker;
    if (!sagemaker) {
      // The whole section was not collected (or could not be listed): one unknown for the account.
      yield sectionUnknown(context, 'sagemaker', 'The SageMaker inventory');
      return;
    }
    const resources = [
      ...sagemaker.notebookInstances.map((n) => ({ item: n, kind: 'notebook instance', type: 'AWS::SageMaker::NotebookInstance' })),
      ...(sagemaker.endpoints ?? []).map((e) => ({ item: e, kind: 'endpoint', type: 'AWS::SageMaker::Endpoint' })),
    ];
    for (const { item, kind, type } of resources) {
      const resource = resourceRef(item.arn, type, item.region, item.name, item.source);
      if (item.tags === undefined) {
        // Absent = not collected: say why, never pass.
        yield {
          verdict: 'unknown',
          resource,
          message: `Cannot tell whether SageMaker ${kind} ${item.name} names an owner: ${missingReason(context, 'sagemaker', { resource: item.arn }, 'its tags')}.`,
        };
        continue;
      }
      const owner = item.tags[OWNER_TAG]?.trim();
      yield owner
        ? { verdict: 'pass', resource, message: `SageMaker ${kind} ${item.name} is owned by ${owner} (tag ${OWNER_TAG}).`, evidence: { owner } }
        : {
            verdict: 'fail',
            resource,
            message: `SageMaker ${kind} ${item.name} has no ${OWNER_TAG} tag${Object.keys(item.tags).length ? ` (its tags: ${Object.keys(item.tags).sort().join(', ')})` : ' (it has no tags)'}.`,
            evidence: { tags: Object.keys(item.tags).sort() },
            property: 'Tags',
          };
    }
  },
});
