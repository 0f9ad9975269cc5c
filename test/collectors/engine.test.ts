/**
 * Collected data through the real engine and rules: failed collection turns into `unknown`
 * verdicts (never a pass), and a live scan gives byte-identical findings to a scan of the snapshot
 * `aigis collect` wrote.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { collectInventory } from '../../src/collectors/index.js';
import { collectLiveInventory, runCollectCommand } from '../../src/commands/collect-run.js';
import type { Io } from '../../src/commands/io.js';
import { loadRules } from '../../src/engine/registry.js';
import { runScan } from '../../src/engine/scan.js';
import { DEFAULT_CONFIG, ruleSettings } from '../../src/engine/config.js';
import { loadInventoryFile, parseInventory } from '../../src/inventory/load.js';
import type { Inventory } from '../../src/inventory/schema.js';
import { FAULTS, installFakeAccount, testOptions, type FakeAccount } from './fake-account.js';

let account: FakeAccount | undefined;
let dir: string | undefined;
afterEach(async () => {
  account?.restore();
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

const TOOL = { name: 'aigis', version: 'test', informationUri: 'https://example.invalid' };

async function scan(inventory: Inventory, ruleIds?: string[]) {
  const rules = (await loadRules()).filter((r) => !ruleIds || ruleIds.includes(r.meta.id));
  return runScan({ inventory, rules, frameworks: [], settings: ruleSettings(DEFAULT_CONFIG) }, TOOL);
}

function bufferIo(cwd: string): Io & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, stdout: (t) => out.push(t), stderr: (t) => err.push(t), cwd, env: {}, isTTY: false };
}

/** Test options without a region list, so that the command's --regions decides. */
function commandOverrides() {
  const { regions: _ignored, ...rest } = testOptions();
  return rest;
}

const verdictOf = (findings: { ruleId: string; resource: { arn: string }; verdict: string }[], ruleId: string, arn: string) =>
  findings.find((f) => f.ruleId === ruleId && f.resource.arn === arn)?.verdict;

describe('collected inventories through the engine', () => {
  it('the rules exist (this suite must not silently skip)', async () => {
    const ids = (await loadRules()).map((r) => r.meta.id);
    expect(ids).toEqual(expect.arrayContaining(['s3-block-public-access', 's3-sse-kms-cmk', 'cloudtrail-multi-region-logging']));
  });

  it('gives pass/fail on complete data', async () => {
    account = installFakeAccount();
    const { inventory } = await collectInventory(testOptions());
    const result = await scan(parseInventory(inventory, 'live'));
    expect(verdictOf(result.findings, 's3-block-public-access', 'arn:aws:s3:::training-data')).toBe('pass');
    expect(verdictOf(result.findings, 's3-block-public-access', 'arn:aws:s3:::public-datasets')).toBe('fail');
    expect(verdictOf(result.findings, 's3-sse-kms-cmk', 'arn:aws:s3:::training-data')).toBe('pass');
    expect(verdictOf(result.findings, 's3-sse-kms-cmk', 'arn:aws:s3:::public-datasets')).toBe('fail');
    expect(verdictOf(result.findings, 'cloudtrail-multi-region-logging', 'arn:aws:cloudtrail:us-east-1:111122223333:trail/org-audit')).toBe('pass');
    expect(verdictOf(result.findings, 'cloudtrail-multi-region-logging', 'arn:aws:cloudtrail:eu-west-1:111122223333:trail/eu-data-events')).toBe('fail');
    expect(verdictOf(result.findings, 'cloudtrail-multi-region-logging', 'arn:aws:iam::111122223333:root')).toBe('pass');
  });

  it('answers unknown, never pass, where collection failed', async () => {
    account = installFakeAccount();
    account.handlers['s3:GetPublicAccessBlock'] = () => {
      throw FAULTS.AccessDenied();
    };
    account.handlers['s3:GetBucketEncryption'] = () => {
      throw FAULTS.Timeout();
    };
    account.handlers['cloudtrail:DescribeTrails'] = () => {
      throw FAULTS.Throttling();
    };
    const { inventory } = await collectInventory(testOptions());
    const result = await scan(parseInventory(inventory, 'live'));
    for (const bucket of ['training-data', 'inference-logs']) {
      expect(verdictOf(result.findings, 's3-block-public-access', `arn:aws:s3:::${bucket}`), bucket).toBe('unknown');
      expect(verdictOf(result.findings, 's3-sse-kms-cmk', `arn:aws:s3:::${bucket}`), bucket).toBe('unknown');
    }
    const trailFindings = result.findings.filter((f) => f.ruleId === 'cloudtrail-multi-region-logging');
    expect(trailFindings.length).toBeGreaterThan(0);
    expect(trailFindings.every((f) => f.verdict === 'unknown')).toBe(true);
    expect(result.findings.filter((f) => ['s3-block-public-access', 's3-sse-kms-cmk', 'cloudtrail-multi-region-logging'].includes(f.ruleId)).some((f) => f.verdict === 'pass')).toBe(false);
    expect(result.coverage.collectionErrors.length).toBeGreaterThan(0);
  });

  it('judges S3 and Bedrock data events from the event selectors a live scan reads', async () => {
    const DATA_RULES = ['cloudtrail-s3-data-events', 'cloudtrail-bedrock-data-events'];
    const bedrockUs = 'arn:aws:bedrock:us-east-1:111122223333:cloudtrail-data-events';
    account = installFakeAccount();
    let result = await scan(parseInventory((await collectInventory(testOptions())).inventory, 'live'), DATA_RULES);
    // org-audit: multi-region, logging, classic selector AWS::S3::Object arn:aws:s3 (every bucket), ReadWriteType All.
    expect(verdictOf(result.findings, 'cloudtrail-s3-data-events', 'arn:aws:s3:::inference-logs')).toBe('pass');
    // Classic selectors cannot record Bedrock data events; us-east-1 has an agent, a guardrail, invocation logging, a knowledge base and a flow.
    expect(verdictOf(result.findings, 'cloudtrail-bedrock-data-events', bedrockUs)).toBe('fail');
    account.restore();

    // The same trail with advanced selectors for the Bedrock types in use.
    account = installFakeAccount();
    account.handlers['cloudtrail:GetEventSelectors'] = (input) => ({
      TrailARN: input.TrailName,
      AdvancedEventSelectors: [
        { Name: 'Management', FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }] },
        { Name: 'S3 objects', FieldSelectors: [{ Field: 'eventCategory', Equals: ['Data'] }, { Field: 'resources.type', Equals: ['AWS::S3::Object'] }, { Field: 'resources.ARN', StartsWith: ['arn:aws:s3:::inference-logs/'] }] },
        { Name: 'Bedrock', FieldSelectors: [{ Field: 'eventCategory', Equals: ['Data'] }, { Field: 'resources.type', Equals: ['AWS::Bedrock::AgentAlias', 'AWS::Bedrock::Guardrail', 'AWS::Bedrock::Model', 'AWS::Bedrock::KnowledgeBase', 'AWS::Bedrock::FlowAlias'] }] },
      ],
    });
    result = await scan(parseInventory((await collectInventory(testOptions())).inventory, 'live'), DATA_RULES);
    expect(verdictOf(result.findings, 'cloudtrail-s3-data-events', 'arn:aws:s3:::inference-logs')).toBe('pass');
    expect(verdictOf(result.findings, 'cloudtrail-bedrock-data-events', bedrockUs)).toBe('pass');
    account.restore();

    // Selectors that could not be read: unknown, never pass.
    account = installFakeAccount();
    account.handlers['cloudtrail:GetEventSelectors'] = () => {
      throw FAULTS.AccessDenied();
    };
    result = await scan(parseInventory((await collectInventory(testOptions())).inventory, 'live'), DATA_RULES);
    expect(verdictOf(result.findings, 'cloudtrail-s3-data-events', 'arn:aws:s3:::inference-logs')).toBe('unknown');
    expect(verdictOf(result.findings, 'cloudtrail-bedrock-data-events', bedrockUs)).toBe('unknown');
  });

  it('a live scan and a scan of the snapshot `aigis collect` wrote give byte-identical findings', async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'aigis-collect-'));
    account = installFakeAccount();
    // Some failures too, so that collectionErrors round-trip as well.
    account.handlers['kms:GetKeyPolicy'] = () => {
      throw FAULTS.ServerError();
    };
    const io = bufferIo(dir);
    const code = await runCollectCommand({ output: 'snapshot.json', regions: ['us-east-1', 'eu-west-1'] }, io, commandOverrides());
    expect(code).toBe(0);
    expect(io.err.join('')).toMatch(/wrote snapshot\.json \(account 111122223333, 2 region\(s\), 3 buckets/);
    expect(io.err.join('')).toMatch(/2 API calls failed; the affected checks report "unknown" \(kms:GetKeyPolicy InternalFailure x2\)/);
    const fromFile = await scan(await loadInventoryFile(path.join(dir, 'snapshot.json')));

    const live = await collectLiveInventory({ regions: ['us-east-1', 'eu-west-1'] }, bufferIo(dir), commandOverrides());
    const fromLive = await scan(live.inventory);
    expect(JSON.stringify(fromLive.findings)).toBe(JSON.stringify(fromFile.findings));
    expect(fromLive.findings.length).toBeGreaterThan(10);

    // Deterministic snapshot: a second collection writes the same bytes; no timestamp by default.
    const first = await readFile(path.join(dir, 'snapshot.json'), 'utf8');
    await runCollectCommand({ output: 'again.json', regions: ['eu-west-1', 'us-east-1'] }, bufferIo(dir), commandOverrides());
    expect(await readFile(path.join(dir, 'again.json'), 'utf8')).toBe(first);
    expect(first).not.toMatch(/collectedAt/);
    expect(first.endsWith('\n')).toBe(true);
  });

  it('judges the Model Registry gate, AI exposure and guardrail use the same from a live scan and from its snapshot', async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'aigis-collect-'));
    account = installFakeAccount();
    const ids = ['sagemaker-model-registry-gate', 'access-analyzer-ai-findings', 'bedrock-guardrail-in-use'];
    const live = await collectLiveInventory({ regions: ['us-east-1', 'eu-west-1'] }, bufferIo(dir), commandOverrides());
    const fromLive = await scan(live.inventory, ids);
    expect(await runCollectCommand({ output: 'snapshot.json', regions: ['us-east-1', 'eu-west-1'] }, bufferIo(dir), commandOverrides())).toBe(0);
    const fromFile = await scan(await loadInventoryFile(path.join(dir, 'snapshot.json')), ids);
    expect(JSON.stringify(fromLive.findings)).toBe(JSON.stringify(fromFile.findings));

    const config = (name: string) => `arn:aws:sagemaker:us-east-1:111122223333:endpoint-config/${name}`;
    // ner-config-v2 deploys a model created from the approved ner version 1; ner-config an image of its own.
    expect(verdictOf(fromLive.findings, 'sagemaker-model-registry-gate', config('ner-config-v2'))).toBe('pass');
    expect(verdictOf(fromLive.findings, 'sagemaker-model-registry-gate', config('ner-config'))).toBe('fail');
    expect(fromLive.findings.find((f) => f.resource.arn === config('ner-config'))!.message).toContain('deployed outside the Model Registry');
    // The training execution role has a cross-account finding, and the public bucket is the input of processing job prep-1.
    expect(verdictOf(fromLive.findings, 'access-analyzer-ai-findings', 'arn:aws:iam::111122223333:role/service-role/sagemaker-trainer')).toBe('fail');
    expect(verdictOf(fromLive.findings, 'access-analyzer-ai-findings', 'arn:aws:s3:::public-datasets')).toBe('fail');
    expect(fromLive.findings.find((f) => f.ruleId === 'access-analyzer-ai-findings' && f.resource.arn === 'arn:aws:s3:::public-datasets')!.message).toContain('processing input of processing job prep-1');
    expect(verdictOf(fromLive.findings, 'bedrock-guardrail-in-use', 'arn:aws:bedrock:us-east-1:111122223333:guardrails')).toBe('pass');
    expect(verdictOf(fromLive.findings, 'bedrock-guardrail-in-use', 'arn:aws:bedrock:eu-west-1:111122223333:guardrails')).toBe('not_applicable');
  });

  it('prints --stats and progress lines on a non-TTY stderr; nothing on stdout when writing a file', async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'aigis-collect-'));
    account = installFakeAccount();
    const io = bufferIo(dir);
    await runCollectCommand({ output: 'snap.json', stats: true }, io, testOptions());
    const err = io.err.join('');
    expect(io.out).toEqual([]);
    expect(err).toMatch(/^aigis: collected s3 \(global\) in \d+ ms \[\d+\/\d+\]$/m);
    expect(err).toMatch(/^ {2}s3:GetBucketPolicy +3$/m);
    expect(err).toMatch(/^ {2}iam:GetAccountAuthorizationDetails +2$/m);
    expect(err).toMatch(/Wall time per service:\n/);
    expect(err).toMatch(/^ {2}kms +\d+ ms +\d+ calls +0 errors +\(concurrency 8\)$/m);
  });
});
