import { defineRule } from '../src/engine/types.js';
import { missingReason, resourceRef, sectionUnknown } from '../src/engine/rule-kit.js';

export default defineRule({
  meta: {
    id: 'sagemaker-notebook-root-access',
    title: 'SageMaker notebook instances have root access disabled',
    severity: 'medium',
    service: 'sagemaker',
    resourceTypes: ['AWS::SageMaker::NotebookInstance'],
    description:
      'Each notebook instance must have RootAccess set to Disabled, so that notebook users cannot become root on the instance. Lifecycle configuration scripts still run as root, so admins keep a controlled way to install software.',
    rationale:
      'A notebook user with root can install arbitrary packages and agents, read other users\' files and the instance role credentials in any process, turn off host controls and tamper with the local copy of training data. Removing root is least privilege on the machine that holds the most sensitive data of an ML project (NIST AC-6, SOC 2 CC6.3).',
    remediation: {
      console: [
        'Stop the notebook instance in the SageMaker console (Notebook, Notebook instances).',
        'Choose Edit, under Permissions and encryption set "Root access" to Disable, and Update notebook instance.',
        'Move package installation into a lifecycle configuration (it runs as root) and start the instance again.',
      ],
      cli: [
        'aws sagemaker stop-notebook-instance --notebook-instance-name <NOTEBOOK>',
        'aws sagemaker update-notebook-instance --notebook-instance-name <NOTEBOOK> --root-access Disabled',
        'aws sagemaker start-notebook-instance --notebook-instance-name <NOTEBOOK>',
      ].join('\n'),
      cloudformation: [
        'ResearchNotebook:',
        '  Type: AWS::SageMaker::NotebookInstance',
        '  Properties:',
        '    InstanceType: ml.t3.medium',
        '    RoleArn: !GetAtt NotebookRole.Arn',
        '    RootAccess: Disabled',
        '    LifecycleConfigName: !GetAtt NotebookLifecycle.NotebookInstanceLifecycleConfigName',
      ].join('\n'),
      terraform: [
        'resource "aws_sagemaker_notebook_instance" "research" {',
        '  name          = "research"',
        '  instance_type = "ml.t3.medium"',
        '  role_arn      = aws_iam_role.notebook.arn',
        '  root_access   = "Disabled"',
        '}',
      ].join('\n'),
    },
    references: [
      'https://docs.aws.amazon.com/sagemaker/latest/dg/nbi-root-access.html',
      'https://docs.aws.amazon.com/securityhub/latest/userguide/sagemaker-controls.html#sagemaker-3',
    ],
  },

  *evaluate(context) {
    const sagemaker = context.inventory.sagemaker;
    if (!sagemaker) {
      yield sectionUnknown(context, 'sagemaker', 'The SageMaker inventory');
      return;
    }
    for (const notebook of sagemaker.notebookInstances) {
      const resource = resourceRef(notebook.arn, 'AWS::SageMaker::NotebookInstance', notebook.region, notebook.name, notebook.source);
      if (notebook.rootAccess === 'Disabled') {
        yield { verdict: 'pass', resource, message: `Notebook instance ${notebook.name} has root access disabled.` };
      } else if (notebook.rootAccess === 'Enabled') {
        yield {
          verdict: 'fail',
          resource,
          message: `Notebook instance ${notebook.name} gives its users root access.`,
          evidence: { rootAccess: 'Enabled' },
          property: 'RootAccess',
        };
      } else {
        yield {
          verdict: 'unknown',
          resource,
          message: `Cannot tell whether notebook instance ${notebook.name} allows root access: ${missingReason(context, 'sagemaker', { resource: notebook.arn, operations: ['DescribeNotebookInstance'] }, 'the setting')}.`,
        };
      }
    }
  },
});
