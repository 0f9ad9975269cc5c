/**
 * Policy engine bench:
 * 1. 1,000,000 request evaluations: 1,000 (action, resource, context) requests against each of
 *    1,000 generated identity policies (3-8 statements: wildcards, NotAction, Deny, conditions,
 *    policy variables).
 * 2. Full analysis of 10,000 roles: trust exposure and confused-deputy check, effective access on
 *    "*" across the whole action catalog, privilege-escalation paths, PassRole scope, validation.
 * Prints wall time, throughput and peak memory. Sizes: AIGIS_POLICY_BENCH_POLICIES / _REQUESTS / _ROLES.
 */
import { loadActionCatalog, type ActionCatalog } from '../src/policy/actions.js';
import { analyzeExposure, confusedDeputies, effectiveAccess } from '../src/policy/analyze.js';
import { normalizePolicy, type NormalizedPolicy } from '../src/policy/document.js';
import { escalationPaths, isBroadGrant } from '../src/policy/escalation.js';
import { evaluateRequest, type EvaluationRequest } from '../src/policy/evaluate.js';
import { validatePolicy } from '../src/policy/validate.js';
import { mulberry32 } from './prng.js';

const envNumber = (name: string, fallback: number) => {
  const value = Number(process.env[name]);
  return Number.isFinite(value) && value > 0 ? value : fallback;
};

const rng = mulberry32;

const ACCT = '123456789012';
const SERVICES = ['s3', 'sagemaker', 'bedrock', 'kms', 'iam', 'logs', 'ec2', 'lambda', 'dynamodb', 'sqs'];

class Memory {
  peakRss = process.memoryUsage().rss;
  peakHeap = process.memoryUsage().heapUsed;
  sample(): void {
    const m = process.memoryUsage();
    if (m.rss > this.peakRss) this.peakRss = m.rss;
    if (m.heapUsed > this.peakHeap) this.peakHeap = m.heapUsed;
  }
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

function normalized(doc: unknown): NormalizedPolicy {
  const r = normalizePolicy(doc);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.policy;
}

function generatePolicy(random: () => number, catalog: ActionCatalog): NormalizedPolicy {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const statements: Record<string, unknown>[] = [];
  const count = 3 + Math.floor(random() * 6);
  for (let i = 0; i < count; i++) {
    const service = pick(SERVICES);
    const actions = catalog.actionsOf(service);
    const roll = random();
    // A realistic mix: mostly named actions and prefix wildcards, some service-wide grants, a few "*".
    const action =
      roll < 0.6
        ? Array.from({ length: 1 + Math.floor(random() * 4) }, () => pick(actions).id)
        : roll < 0.9
          ? [`${service}:${pick(['Get', 'List', 'Describe', 'Put', 'Create', 'Delete'])}*`]
          : roll < 0.97
            ? [`${service}:*`]
            : ['*'];
    const resource =
      service === 's3'
        ? [pick(['arn:aws:s3:::training-*', 'arn:aws:s3:::training-data/*', 'arn:aws:s3:::${aws:PrincipalTag/team}-data/*', '*'])]
        : [pick([`arn:aws:${service}:us-east-1:${ACCT}:*`, `arn:aws:${service}:*:${ACCT}:*`, '*'])];
    const statement: Record<string, unknown> = {
      Effect: random() < 0.2 ? 'Deny' : 'Allow',
      [random() < 0.02 ? 'NotAction' : 'Action']: action,
      Resource: resource,
    };
    const c = random();
    if (c < 0.15) statement.Condition = { Bool: { 'aws:SecureTransport': 'true' } };
    else if (c < 0.25) statement.Condition = { IpAddress: { 'aws:SourceIp': ['203.0.113.0/24', '2001:db8::/32'] } };
    else if (c < 0.3) statement.Condition = { 'ForAllValues:StringLike': { 'aws:TagKeys': ['team', 'cost-*'] } };
    // A key the requests do not always carry: with an incomplete context the answer is "depends on context".
    else if (c < 0.33) statement.Condition = { StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } };
    statements.push(statement);
  }
  return normalized({ Version: '2012-10-17', Statement: statements });
}

function generateRequests(random: () => number, catalog: ActionCatalog, count: number): EvaluationRequest[] {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  return Array.from({ length: count }, () => {
    const service = pick(SERVICES);
    const action = pick(catalog.actionsOf(service)).id;
    const resource = service === 's3' ? pick(['arn:aws:s3:::training-data/x.csv', 'arn:aws:s3:::red-data/y', 'arn:aws:s3:::other/z']) : `arn:aws:${service}:us-east-1:${ACCT}:thing/${Math.floor(random() * 100)}`;
    return {
      principal: { type: 'AWS' as const, id: `arn:aws:iam::${ACCT}:role/bench` },
      action,
      resource,
      context: { 'aws:SecureTransport': pick(['true', 'false']), 'aws:SourceIp': pick(['203.0.113.7', '198.51.100.1']), 'aws:PrincipalTag/team': 'red', 'aws:TagKeys': ['team'] },
      contextComplete: random() < 0.5,
    };
  });
}

async function evaluationBench(catalog: ActionCatalog, memory: Memory): Promise<void> {
  const policyCount = envNumber('AIGIS_POLICY_BENCH_POLICIES', 1000);
  const requestCount = envNumber('AIGIS_POLICY_BENCH_REQUESTS', 1000);
  const random = rng(7);
  const policies = Array.from({ length: policyCount }, () => generatePolicy(random, catalog));
  const requests = generateRequests(random, catalog, requestCount);
  const tally = { allow: 0, explicit_deny: 0, implicit_deny: 0, unknown: 0 };
  const started = performance.now();
  for (let p = 0; p < policies.length; p++) {
    const set = { identity: [{ id: `p${p}`, policy: policies[p]! }] };
    for (const request of requests) tally[evaluateRequest(set, request).decision]++;
    if (p % 50 === 0) memory.sample();
  }
  const seconds = (performance.now() - started) / 1000;
  memory.sample();
  const total = policyCount * requestCount;
  console.log(`  evaluations: ${total.toLocaleString('en-US')} (${requestCount} requests x ${policyCount} policies)`);
  console.log(`  wall time:   ${seconds.toFixed(2)} s  (${Math.round(total / seconds).toLocaleString('en-US')} evaluations/s)`);
  console.log(`  decisions:   allow ${tally.allow}, explicit deny ${tally.explicit_deny}, implicit deny ${tally.implicit_deny}, unknown ${tally.unknown}`);
}

async function roleAnalysisBench(catalog: ActionCatalog, memory: Memory): Promise<void> {
  const roleCount = envNumber('AIGIS_POLICY_BENCH_ROLES', 10_000);
  const random = rng(11);
  const trustVariants = [
    { Effect: 'Allow', Principal: { Service: 'sagemaker.amazonaws.com' }, Action: 'sts:AssumeRole' },
    { Effect: 'Allow', Principal: { Service: 'bedrock.amazonaws.com' }, Action: 'sts:AssumeRole', Condition: { StringEquals: { 'aws:SourceAccount': ACCT } } },
    { Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::444455556666:root' }, Action: 'sts:AssumeRole', Condition: { StringEquals: { 'sts:ExternalId': 'x' } } },
    { Effect: 'Allow', Principal: { AWS: '*' }, Action: 'sts:AssumeRole', Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-abc' } } },
  ].map((s) => normalized({ Version: '2012-10-17', Statement: [s] }));
  const roles = Array.from({ length: roleCount }, (_, i) => ({
    trust: trustVariants[i % trustVariants.length]!,
    policies: Array.from({ length: 1 + Math.floor(random() * 3) }, (_, j) => ({ id: `r${i}p${j}`, policy: generatePolicy(random, catalog) })),
  }));
  memory.sample();
  let publicRoles = 0;
  let deputies = 0;
  let escalations = 0;
  let passRoleStar = 0;
  let findings = 0;
  let grantedActions = 0;
  const started = performance.now();
  for (let i = 0; i < roles.length; i++) {
    const role = roles[i]!;
    if (analyzeExposure(role.trust, { accountId: ACCT, kind: 'trust' }).exposure === 'public') publicRoles++;
    deputies += confusedDeputies(role.trust).length;
    const access = effectiveAccess(role.policies, { catalog });
    grantedActions += access.actions.length;
    const passRole = access.actions.find((a) => a.action === 'iam:PassRole');
    if (passRole && isBroadGrant(passRole)) passRoleStar++;
    escalations += escalationPaths(role.policies, catalog).length;
    for (const p of role.policies) findings += validatePolicy(p.policy, { type: 'identity', catalog, accountId: ACCT }).length;
    if (i % 200 === 0) memory.sample();
  }
  const seconds = (performance.now() - started) / 1000;
  memory.sample();
  console.log(`  roles:       ${roleCount.toLocaleString('en-US')} (trust exposure, confused deputy, effective access on * over ${catalog.expand('*').length.toLocaleString('en-US')} catalog actions, escalation paths, PassRole, validation)`);
  console.log(`  wall time:   ${seconds.toFixed(2)} s  (${Math.round(roleCount / seconds).toLocaleString('en-US')} roles/s, ${((seconds * 1000) / roleCount).toFixed(2)} ms/role)`);
  console.log(`  results:     ${publicRoles} public trust, ${deputies} confused-deputy statements, ${escalations} escalation paths, ${passRoleStar} PassRole-on-*, ${findings} validation findings, ${grantedActions.toLocaleString('en-US')} granted actions`);
}

export async function run(): Promise<void> {
  const memory = new Memory();
  const t0 = performance.now();
  const catalog = await loadActionCatalog();
  console.log(`  catalog:     ${catalog.services().length} services, ${catalog.expand('*').length.toLocaleString('en-US')} actions, loaded in ${((performance.now() - t0) / 1000).toFixed(2)} s`);
  console.log('\n  [1] request evaluation');
  await evaluationBench(catalog, memory);
  console.log('\n  [2] full analysis of roles');
  await roleAnalysisBench(catalog, memory);
  console.log(`\n  peak memory: rss ${mb(memory.peakRss)}, heap ${mb(memory.peakHeap)} (sampled, garbage included)`);
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) {
    gc();
    console.log(`  retained after GC: heap ${mb(process.memoryUsage().heapUsed)} (catalog, caches; the generated roles are out of scope by now)`);
  }
}

// Run directly: `node dist/bench/policy-bench.js`.
if (import.meta.url === `file://${process.argv[1]}`) await run();
