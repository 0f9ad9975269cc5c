/**
 * The analyses rules call (effective access, exposure, confused deputy, TLS) and the validation
 * findings of `aigis policy check`, case by case, with emphasis on the false positives that
 * heuristic scanners produce.
 */
import { describe, expect, it } from 'vitest';
import { accessLevelsOf, loadActionCatalog, primaryAccessLevel } from '../../src/policy/actions.js';
import { analyzeExposure, confusedDeputies, effectiveAccess, hasAccessAt, requiresTls } from '../../src/policy/analyze.js';
import { arnMatches, parseArn, patternMatchesTemplate, patternsIntersect } from '../../src/policy/arn.js';
import { contextOf, evaluateConditionKey, ipInRange, parseOperator } from '../../src/policy/conditions.js';
import { normalizePolicy, type NormalizedPolicy } from '../../src/policy/document.js';
import { escalationPaths, ESCALATION_PATHS } from '../../src/policy/escalation.js';
import { detectPolicyType, validatePolicy, type FindingCode, type PolicyType } from '../../src/policy/validate.js';

const catalog = await loadActionCatalog();
const ACCT = '123456789012';

function policy(...statements: Record<string, unknown>[]): NormalizedPolicy {
  const r = normalizePolicy({ Version: '2012-10-17', Statement: statements });
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.policy;
}

const codes = (p: NormalizedPolicy, type: PolicyType = 'identity') =>
  validatePolicy(p, { type, catalog, accountId: ACCT }).map((f) => f.code);

describe('ARNs', () => {
  it('parses six segments, keeping colons in the resource', () => {
    expect(parseArn('arn:aws:bedrock:us-east-1::foundation-model/a.b:0')).toEqual({ partition: 'aws', service: 'bedrock', region: 'us-east-1', account: '', resource: 'foundation-model/a.b:0' });
    expect(parseArn('arn:aws:s3')).toBeUndefined();
  });
  it('matches segment-wise', () => {
    expect(arnMatches('arn:aws:iam::*:role/x', `arn:aws:iam::${ACCT}:role/x`)).toBe(true);
    expect(arnMatches('arn:aws:s3:::b*', 'arn:aws:s3:::bucket/key')).toBe(true);
    expect(arnMatches('arn:aws:sqs:us-?ast-1:*:q', 'arn:aws:sqs:us-east-1:1:q')).toBe(true);
    expect(arnMatches('arn:aws:sqs:us*1:*:q', 'arn:aws:sqs:us-east-1:1:q')).toBe(true);
    expect(arnMatches('arn:aws:sqs:u*t:*:q', 'arn:aws:sqs:us:east:1:q')).toBe(false);
  });
  it('bucket ARNs do not match object resource types and vice versa', () => {
    expect(patternMatchesTemplate('arn:aws:s3:::data/*', 'arn:${Partition}:s3:::${BucketName}')).toBe(false);
    expect(patternMatchesTemplate('arn:aws:s3:::data', 'arn:${Partition}:s3:::${BucketName}/${ObjectName}')).toBe(false);
    expect(patternMatchesTemplate('arn:aws:s3:::data*', 'arn:${Partition}:s3:::${BucketName}')).toBe(true);
    expect(patternMatchesTemplate('arn:aws:iam::1:role/a/b', 'arn:${Partition}:iam::${Account}:role/${RoleNameWithPath}')).toBe(true);
    expect(patternsIntersect('arn:aws:s3:::training-*', 'arn:aws:s3:::*-data/x')).toBe(true);
    expect(patternsIntersect('arn:aws:s3:::a*', 'arn:aws:s3:::b*')).toBe(false);
  });
});

describe('conditions', () => {
  it('parses every operator family with qualifiers and IfExists', () => {
    expect(parseOperator('ForAnyValue:StringLikeIfExists')).toMatchObject({ base: 'StringLike', qualifier: 'ForAnyValue', ifExists: true });
    expect(parseOperator('NullIfExists')).toBeUndefined();
    expect(parseOperator('StringEqual')).toBeUndefined();
    for (const op of ['StringEquals', 'StringNotEqualsIgnoreCase', 'NumericLessThanEquals', 'DateGreaterThan', 'Bool', 'BinaryEquals', 'IpAddress', 'NotIpAddress', 'ArnNotLike', 'Null']) {
      expect(parseOperator(op), op).toBeDefined();
    }
  });
  it('IPv4, IPv6 and mapped addresses', () => {
    expect(ipInRange('10.1.2.3', '10.0.0.0/8')).toBe(true);
    expect(ipInRange('11.1.2.3', '10.0.0.0/8')).toBe(false);
    expect(ipInRange('2001:db8::1', '2001:db8::/32')).toBe(true);
    expect(ipInRange('::ffff:10.0.0.1', '::ffff:10.0.0.0/120')).toBe(true);
    expect(ipInRange('10.0.0.1', '::/0')).toBe(false);
  });
  it('unknown keys give unknown; known-absent keys follow the documented rules', () => {
    const unknown = contextOf({});
    const absent = contextOf({}, true);
    expect(evaluateConditionKey('StringEquals', 'aws:PrincipalOrgID', ['o-1'], unknown)).toBe('unknown');
    expect(evaluateConditionKey('StringEquals', 'aws:PrincipalOrgID', ['o-1'], absent)).toBe(false);
    expect(evaluateConditionKey('StringNotEquals', 'aws:PrincipalOrgID', ['o-1'], absent)).toBe(true);
    expect(evaluateConditionKey('StringEqualsIfExists', 'aws:PrincipalOrgID', ['o-1'], absent)).toBe(true);
    expect(evaluateConditionKey('Null', 'aws:PrincipalOrgID', ['true'], absent)).toBe(true);
    expect(evaluateConditionKey('ForAllValues:StringEquals', 'aws:TagKeys', ['a'], absent)).toBe(true);
    expect(evaluateConditionKey('ForAnyValue:StringEquals', 'aws:TagKeys', ['a'], absent)).toBe(false);
  });
});

describe('access levels and effective access', () => {
  it('combined catalog levels split into their parts', () => {
    expect(accessLevelsOf('Permissions management, Write')).toEqual(['Permissions management', 'Write']);
    expect(primaryAccessLevel('Tagging, Write')).toBe('Tagging');
    expect(primaryAccessLevel('Something new')).toBe('Write');
  });
  it('s3:Get* is Read and List access, never Write', () => {
    const access = effectiveAccess([{ id: 'p', policy: policy({ Effect: 'Allow', Action: 's3:Get*', Resource: '*' }) }], { catalog });
    expect(access.actions.length).toBeGreaterThan(20);
    expect(hasAccessAt(access, ['Write', 'Permissions management'])).toEqual([]);
    expect(access.byLevel.Read).toContain('s3:GetObject');
  });
  it('Deny and NotAction are applied exactly', () => {
    const access = effectiveAccess(
      [{ id: 'p', policy: policy({ Effect: 'Allow', NotAction: ['s3:Delete*'], Resource: 'arn:aws:s3:::data/*' }, { Effect: 'Deny', Action: 's3:PutObject*', Resource: '*' }) }],
      { catalog, services: ['s3'], resource: 'arn:aws:s3:::data/x' },
    );
    const ids = access.actions.map((a) => a.action);
    expect(ids).toContain('s3:GetObject');
    expect(ids).not.toContain('s3:DeleteObject');
    expect(ids).not.toContain('s3:PutObject');
    expect(ids.every((id) => id.startsWith('s3:'))).toBe(true);
  });
  it('conditional grants and conditional denies are marked, not dropped', () => {
    const access = effectiveAccess(
      [{ id: 'p', policy: policy({ Effect: 'Allow', Action: 's3:GetObject', Resource: '*', Condition: { Bool: { 'aws:SecureTransport': 'true' } } }, { Effect: 'Deny', Action: 's3:GetObject', Resource: '*', Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } }) }],
      { catalog, services: ['s3'] },
    );
    expect(access.actions).toEqual([expect.objectContaining({ action: 's3:GetObject', conditional: true, limitedByDeny: true })]);
  });
  it('a resource pattern outside the grant gives nothing; a partial overlap is marked', () => {
    const p = [{ id: 'p', policy: policy({ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::data/public/*' }) }];
    expect(effectiveAccess(p, { catalog, services: ['s3'], resource: 'arn:aws:s3:::other/*' }).actions).toEqual([]);
    expect(effectiveAccess(p, { catalog, services: ['s3'], resource: 'arn:aws:s3:::data/*' }).actions[0]).toMatchObject({ partial: true });
  });
  it('a permissions boundary intersects', () => {
    const p = [{ id: 'p', policy: policy({ Effect: 'Allow', Action: '*', Resource: '*' }) }];
    const boundary = [{ id: 'b', policy: policy({ Effect: 'Allow', Action: 'sagemaker:*', Resource: '*' }) }];
    const ids = effectiveAccess(p, { catalog, boundary }).actions.map((a) => a.action);
    expect(ids.length).toBe(catalog.actionsOf('sagemaker').length);
  });
  it('every escalation path names real actions', () => {
    for (const path of ESCALATION_PATHS) for (const a of path.actions) expect(catalog.get(a), a).toBeDefined();
  });
  it('escalation needs every action of the path on broad resources', () => {
    const one = [{ id: 'p', policy: policy({ Effect: 'Allow', Action: ['iam:PassRole'], Resource: '*' }) }];
    expect(escalationPaths(one, catalog)).toEqual([]);
    const two = [{ id: 'p', policy: policy({ Effect: 'Allow', Action: ['iam:PassRole', 'bedrock:CreateAgent'], Resource: '*' }) }];
    expect(escalationPaths(two, catalog).map((f) => f.path.id)).toEqual(['passrole-bedrock-agent']);
  });
});

describe('exposure', () => {
  const expose = (p: NormalizedPolicy, kind: 'resource' | 'trust' = 'resource') => analyzeExposure(p, { accountId: ACCT, kind });
  const star = { Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' };
  it('Principal * without condition is public', () => expect(expose(policy(star)).exposure).toBe('public'));
  it.each([
    ['aws:PrincipalOrgID', { StringEquals: { 'aws:PrincipalOrgID': 'o-1' } }],
    ['aws:PrincipalAccount (own)', { StringEquals: { 'aws:PrincipalAccount': ACCT } }],
    ['aws:SourceVpce', { StringEquals: { 'aws:SourceVpce': 'vpce-1' } }],
    ['aws:SourceIp range', { IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } }],
    ['aws:SourceArn (S3 bucket)', { ArnLike: { 'aws:SourceArn': 'arn:aws:s3:::logs' } }],
    ['aws:PrincipalArn', { ArnLike: { 'aws:PrincipalArn': `arn:aws:iam::${ACCT}:role/*` } }],
  ])('restricted by %s: not public', (_name, Condition) => {
    expect(expose(policy({ ...star, Condition })).exposure).toBe('private');
  });
  it.each([
    ['0.0.0.0/0', { IpAddress: { 'aws:SourceIp': '0.0.0.0/0' } }],
    ['IfExists', { StringEqualsIfExists: { 'aws:PrincipalOrgID': 'o-1' } }],
    ['negated operator', { StringNotEquals: { 'aws:PrincipalOrgID': 'o-1' } }],
    ['an unrelated key', { Bool: { 'aws:SecureTransport': 'true' } }],
    ['a wildcard value', { StringLike: { 'aws:PrincipalAccount': '*' } }],
  ])('a condition with %s does not restrict', (_name, Condition) => {
    expect(expose(policy({ ...star, Condition })).exposure).toBe('public');
  });
  it('accounts named in a condition are cross-account, not public', () => {
    const r = expose(policy({ ...star, Condition: { StringEquals: { 'aws:PrincipalAccount': ['444455556666', ACCT] } } }));
    expect(r).toMatchObject({ exposure: 'cross-account', externalAccounts: ['444455556666'] });
  });
  it('a Deny on everyone outside the organization neutralises a public Allow', () => {
    const r = expose(policy(star, { Effect: 'Deny', Principal: '*', Action: '*', Resource: '*', Condition: { StringNotEquals: { 'aws:PrincipalOrgID': 'o-1' } } }));
    expect(r.exposure).toBe('private');
    expect(r.restricted).toHaveLength(1);
  });
  it('NotPrincipal in an Allow is public', () => {
    expect(expose(policy({ Effect: 'Allow', NotPrincipal: { AWS: ACCT }, Action: 's3:GetObject', Resource: '*' })).exposure).toBe('public');
  });
  it('service principals are not external accounts', () => {
    expect(expose(policy({ Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 's3:PutObject', Resource: '*' })).exposure).toBe('private');
  });
  it('Cognito identity pools need an audience condition', () => {
    const cognito = { Effect: 'Allow', Principal: { Federated: 'cognito-identity.amazonaws.com' }, Action: 'sts:AssumeRoleWithWebIdentity' };
    expect(expose(policy(cognito), 'trust').exposure).toBe('public');
    expect(expose(policy({ ...cognito, Condition: { StringEquals: { 'cognito-identity.amazonaws.com:aud': 'us-east-1:pool' } } }), 'trust').exposure).toBe('private');
  });
  it('confused deputy: service trust without a source condition', () => {
    expect(confusedDeputies(policy({ Effect: 'Allow', Principal: { Service: ['sagemaker.amazonaws.com'] }, Action: 'sts:AssumeRole' }))).toHaveLength(1);
    expect(confusedDeputies(policy({ Effect: 'Allow', Principal: { Service: 'sagemaker.amazonaws.com' }, Action: 'sts:AssumeRole', Condition: { ArnLike: { 'aws:SourceArn': `arn:aws:sagemaker:*:${ACCT}:*` } } }))).toEqual([]);
  });
  it('TLS: BoolIfExists deny also counts; a deny on objects only leaves listing open', () => {
    const tls = { Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: ['arn:aws:s3:::b', 'arn:aws:s3:::b/*'], Condition: { BoolIfExists: { 'aws:SecureTransport': 'false' } } };
    expect(requiresTls(policy(tls), 'arn:aws:s3:::b').enforced).toBe(true);
    const objectsOnly = requiresTls(policy({ ...tls, Resource: 'arn:aws:s3:::b/*' }), 'arn:aws:s3:::b');
    expect(objectsOnly).toMatchObject({ enforced: false, gaps: ['s3:ListBucket on arn:aws:s3:::b'] });
  });
});

describe('validation findings', () => {
  const cases: [string, NormalizedPolicy, PolicyType, FindingCode][] = [
    ['typo in an action', policy({ Effect: 'Allow', Action: 's3:GetObjects', Resource: '*' }), 'identity', 'unknown-action'],
    ['unknown service', policy({ Effect: 'Allow', Action: 's4:GetObject', Resource: '*' }), 'identity', 'unknown-service'],
    ['action without service', policy({ Effect: 'Allow', Action: 'GetObject', Resource: '*' }), 'identity', 'invalid-action'],
    ['bad ARN', policy({ Effect: 'Allow', Action: 's3:GetObject', Resource: 'bucket/*' }), 'identity', 'invalid-arn'],
    ['ListBucket on objects', policy({ Effect: 'Allow', Action: 's3:ListBucket', Resource: 'arn:aws:s3:::b/*' }), 'identity', 'resource-type-mismatch'],
    ['wildcard-only action on an ARN', policy({ Effect: 'Allow', Action: 's3:ListAllMyBuckets', Resource: 'arn:aws:s3:::b' }), 'identity', 'resource-type-mismatch'],
    ['operator typo', policy({ Effect: 'Allow', Action: 's3:GetObject', Resource: '*', Condition: { StringEqual: { 'aws:PrincipalTag/a': 'b' } } }), 'identity', 'unknown-condition-operator'],
    ['bad CIDR', policy({ Effect: 'Allow', Action: 's3:GetObject', Resource: '*', Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/33' } } }), 'identity', 'invalid-condition-value'],
    ['unknown aws: key', policy({ Effect: 'Allow', Action: 's3:GetObject', Resource: '*', Condition: { StringEquals: { 'aws:SourceAccountId': ACCT } } }), 'identity', 'unknown-global-condition-key'],
    ['Principal in identity policy', policy({ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: '*' }), 'identity', 'principal-not-allowed'],
    ['resource policy without Principal', policy({ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }), 'resource', 'missing-principal'],
    ['wildcard in principal ARN', policy({ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::*:role/x' }, Action: 's3:GetObject', Resource: '*' }), 'resource', 'invalid-principal'],
    ['Allow NotAction', policy({ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' }), 'identity', 'allow-not-action'],
    ['Allow NotResource', policy({ Effect: 'Allow', Action: 's3:GetObject', NotResource: 'arn:aws:s3:::b/*' }), 'identity', 'allow-not-resource'],
    ['Allow NotPrincipal', policy({ Effect: 'Allow', NotPrincipal: { AWS: ACCT }, Action: 's3:GetObject', Resource: '*' }), 'resource', 'allow-not-principal'],
    ['full admin', policy({ Effect: 'Allow', Action: '*', Resource: '*' }), 'identity', 'full-admin'],
    ['PassRole on *', policy({ Effect: 'Allow', Action: 'iam:PassRole', Resource: '*' }), 'identity', 'passrole-wildcard'],
    ['PassRole on every role', policy({ Effect: 'Allow', Action: 'iam:Pass*', Resource: `arn:aws:iam::${ACCT}:role/*` }), 'identity', 'passrole-wildcard'],
    ['escalation', policy({ Effect: 'Allow', Action: ['iam:PassRole', 'sagemaker:CreateProcessingJob'], Resource: '*' }), 'identity', 'privilege-escalation'],
    ['redundant', policy({ Effect: 'Allow', Action: 's3:Get*', Resource: '*' }, { Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' }), 'identity', 'redundant-statement'],
    ['public bucket', policy({ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' }), 'resource', 'public-access'],
    ['external account', policy({ Effect: 'Allow', Principal: { AWS: '444455556666' }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' }), 'resource', 'cross-account-access'],
    ['confused deputy', policy({ Effect: 'Allow', Principal: { Service: 'bedrock.amazonaws.com' }, Action: 'sts:AssumeRole' }), 'trust', 'confused-deputy'],
  ];
  it.each(cases)('%s', (_name, p, type, code) => expect(codes(p, type)).toContain(code));

  it('a well-scoped policy has no findings', () => {
    expect(codes(policy({ Effect: 'Allow', Action: ['s3:GetObject'], Resource: 'arn:aws:s3:::b/*' }, { Effect: 'Allow', Action: 's3:ListBucket', Resource: 'arn:aws:s3:::b' }))).toEqual([]);
  });
  it('policy variables need Version 2012-10-17; a missing Version is reported', () => {
    const r = normalizePolicy({ Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/${aws:username}/*' }] });
    if (!r.ok) throw new Error('invalid');
    expect(codes(r.policy)).toEqual(expect.arrayContaining(['missing-version', 'variables-unsupported-version']));
  });
  it('the typo finding suggests the real action', () => {
    const [finding] = validatePolicy(policy({ Effect: 'Allow', Action: 'sagemaker:CreateTrainingJobs', Resource: '*' }), { type: 'identity', catalog });
    expect(finding).toMatchObject({ code: 'unknown-action', path: ['Statement', 0, 'Action', 0], evidence: { suggestion: 'sagemaker:CreateTrainingJob' } });
  });
  it('detects the policy type', () => {
    expect(detectPolicyType(policy({ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }))).toBe('identity');
    expect(detectPolicyType(policy({ Effect: 'Allow', Principal: { Service: 'sagemaker.amazonaws.com' }, Action: 'sts:AssumeRole' }))).toBe('trust');
    expect(detectPolicyType(policy({ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: '*' }))).toBe('resource');
  });
});
