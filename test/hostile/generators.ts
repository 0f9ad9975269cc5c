/**
 * Inputs too large (or too repetitive) to commit: generated at run time into the case's temp dir.
 * Each is a pure function of its arguments, so a failing case replays byte for byte.
 */

/** A CloudFormation template around `resources` (YAML, with `extra` sections before Resources). */
function yamlTemplate(extra: string, resources: string): string {
  return `AWSTemplateFormatVersion: "2010-09-09"\n${extra}Resources:\n${resources}`;
}

/**
 * "Billion laughs": `levels` anchors, each a list of nine aliases to the previous one, so the last
 * stands for 9^levels scalars (9 levels: 387 million) in about 500 bytes of text.
 */
export function yamlAliasBomb(levels = 9): string {
  const lines = ['  l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
  for (let i = 1; i < levels; i++) lines.push(`  l${i}: &l${i} [${Array(9).fill(`*l${i - 1}`).join(', ')}]`);
  return yamlTemplate(`Metadata:\n${lines.join('\n')}\n`, `  Data:\n    Type: AWS::S3::Bucket\n    Metadata:\n      laughs: *l${levels - 1}\n`);
}

/**
 * The same through `<<` merge keys: each level merges the previous mapping and holds it under eight
 * more keys, so it multiplies whether or not the parser applies YAML 1.1 merge semantics.
 */
export function yamlMergeKeyBomb(levels = 9): string {
  const lines = ['  m0: &m0 { a: lol, b: lol, c: lol, d: lol, e: lol, f: lol, g: lol, h: lol, i: lol }'];
  for (let i = 1; i < levels; i++) {
    const keys = ['k1', 'k2', 'k3', 'k4', 'k5', 'k6', 'k7', 'k8'].map((k) => `${k}${i}: *m${i - 1}`).join(', ');
    lines.push(`  m${i}: &m${i} { <<: *m${i - 1}, ${keys} }`);
  }
  return yamlTemplate(
    `Metadata:\n${lines.join('\n')}\n`,
    `  Data:\n    Type: AWS::S3::Bucket\n    Properties:\n      <<: *m${levels - 1}\n      BucketName: merge-bomb\n`,
  );
}

/** A template whose one property is a YAML flow sequence nested `depth` deep: `[[[[...]]]]`. */
export function yamlDeepFlowSequence(depth = 100_000): string {
  return yamlTemplate('', `  Data:\n    Type: AWS::S3::Bucket\n    Properties:\n      Tags: ${'['.repeat(depth)}${']'.repeat(depth)}\n`);
}

/** `{"a":{"a":...}}` nested `depth` deep, placed under `key` of `base` (JSON text). */
export function deepJson(base: Record<string, unknown>, key: string, depth = 300): string {
  const head = JSON.stringify(base).slice(0, -1);
  return `${head}${Object.keys(base).length ? ',' : ''}${JSON.stringify(key)}:${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}}\n`;
}

/** A JSON CloudFormation template nested `depth` deep inside a bucket's Metadata. */
export function cfnJsonDeep(depth = 300): string {
  const inner = `${'['.repeat(depth)}1${']'.repeat(depth)}`;
  return `{"AWSTemplateFormatVersion":"2010-09-09","Resources":{"Data":{"Type":"AWS::S3::Bucket","Metadata":{"deep":${inner}}}}}\n`;
}

/**
 * A JSON template on one line of about `bytes` bytes: a bucket whose description tag is huge, plus
 * a role so the policy code runs too.
 */
export function cfnHugeSingleLine(bytes = 3_000_000): string {
  return `${JSON.stringify({
    AWSTemplateFormatVersion: '2010-09-09',
    Resources: {
      Data: { Type: 'AWS::S3::Bucket', Properties: { BucketName: 'hostile-huge', Tags: [{ Key: 'description', Value: 'x'.repeat(bytes) }] } },
    },
  })}\n`;
}

/** An IAM policy with `count` distinct Allow statements (each its own bucket). */
export function policyManyStatements(count = 10_000): string {
  const statements = [];
  for (let i = 0; i < count; i++) {
    statements.push({ Sid: `S${i}`, Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject'], Resource: `arn:aws:s3:::hostile-bucket-${i}/*` });
  }
  return `${JSON.stringify({ Version: '2012-10-17', Statement: statements })}\n`;
}

/** An IAM policy whose Resource is one ARN of about `bytes` bytes. */
export function policyHugeArn(bytes = 2 * 1024 * 1024): string {
  return `${JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: `arn:aws:s3:::${'a'.repeat(bytes)}` }] })}\n`;
}

/** A template with a role whose inline policy names one ARN of about `bytes` bytes. */
export function cfnHugeArn(bytes = 2 * 1024 * 1024): string {
  return yamlTemplate(
    '',
    [
      '  Role:',
      '    Type: AWS::IAM::Role',
      '    Properties:',
      '      AssumeRolePolicyDocument:',
      '        Statement: [{ Effect: Allow, Principal: { Service: sagemaker.amazonaws.com }, Action: sts:AssumeRole }]',
      '      Policies:',
      '        - PolicyName: huge',
      '          PolicyDocument:',
      `            Statement: [{ Effect: Allow, Action: s3:GetObject, Resource: "arn:aws:s3:::${'a'.repeat(bytes)}" }]`,
      '',
    ].join('\n'),
  );
}

/** A snapshot with one role whose ARN is about `bytes` bytes. */
export function snapshotHugeArn(bytes = 2 * 1024 * 1024): string {
  const arn = `arn:aws:iam::444455556666:role/${'a'.repeat(bytes)}`;
  return `${JSON.stringify({
    schemaVersion: '1.0',
    account: { id: '444455556666' },
    regions: ['us-east-1'],
    iam: {
      users: [],
      groups: [],
      policies: [],
      roles: [
        {
          arn,
          region: 'global',
          name: 'huge',
          path: '/',
          trustPolicy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: arn }, Action: 'sts:AssumeRole' }] },
          attachedManagedPolicies: [],
          inlinePolicies: [{ name: 'p', policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: arn }] } }],
        },
      ],
    },
  })}\n`;
}

/** A valid snapshot on one line of about `bytes` bytes (a bucket tag carries the bulk). */
export function snapshotHugeSingleLine(bytes = 8_000_000): string {
  return `${JSON.stringify({
    schemaVersion: '1.0',
    account: { id: '444455556666' },
    regions: ['us-east-1'],
    s3: { buckets: [{ arn: 'arn:aws:s3:::hostile-huge', region: 'us-east-1', name: 'hostile-huge', tags: { description: 'y'.repeat(bytes) } }] },
  })}\n`;
}

/** One line of about `bytes` bytes of JSON with a syntax error at its very end. */
export function hugeBrokenLine(bytes = 8_000_000): string {
  return `{"schemaVersion":"1.0","account":{"id":"444455556666"},"pad":"${'z'.repeat(bytes)}",]`;
}

/** A plan whose root module nests `depth` child modules, one inside the other. */
export function planNestedModules(depth = 5_000): string {
  let module = '{"address":"module.m","resources":[]}';
  // Built from the inside out as text: a 5,000-deep object would overflow JSON.stringify.
  const open: string[] = [];
  for (let i = 0; i < depth; i++) open.push(`{"address":"module.m${i}","resources":[],"child_modules":[`);
  module = `${open.join('')}${module}${']}'.repeat(depth)}`;
  return `{"format_version":"1.2","terraform_version":"1.9.0","planned_values":{"root_module":{"resources":[],"child_modules":[${module}]}}}\n`;
}

/** A plan with `count` sibling child modules of one bucket each (wide rather than deep). */
export function planManyModules(count = 5_000): string {
  const modules = [];
  for (let i = 0; i < count; i++) {
    modules.push({
      address: `module.m${i}`,
      resources: [{ address: `module.m${i}.aws_s3_bucket.b`, mode: 'managed', type: 'aws_s3_bucket', name: 'b', values: { bucket: `hostile-wide-${i}` } }],
    });
  }
  return `${JSON.stringify({ format_version: '1.2', terraform_version: '1.9.0', planned_values: { root_module: { resources: [], child_modules: modules } } })}\n`;
}

/** A plan with a bucket whose tag values are nested `depth` deep (values JSON, not modules). */
export function planDeepValues(depth = 300): string {
  return `{"format_version":"1.2","planned_values":{"root_module":{"resources":[{"address":"aws_s3_bucket.d","mode":"managed","type":"aws_s3_bucket","name":"d","values":{"bucket":"deep","tags":${'{"a":'.repeat(depth)}"x"${'}'.repeat(depth)}}}]}}}\n`;
}
