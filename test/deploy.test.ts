/**
 * The recipes in deploy/ are run, not just read (issue 13, item 4): the aigis command lines of the
 * GitHub Actions matrix, the Kubernetes Indexed Job and the AWS Batch array job are taken from the
 * files as written, run once per shard with the index each engine provides (the matrix value,
 * JOB_COMPLETION_INDEX, AWS_BATCH_JOB_ARRAY_INDEX) against a loopback organization, and their merge
 * must equal a single-machine `scan --org`. The StackSet template grants exactly the read-only
 * actions and passes aigis's own rules.
 */
import { copyFile, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml, parseAllDocuments } from 'yaml';
import { main } from '../src/cli.js';
import { requiredIamActions } from '../src/collectors/operations.js';
import type { Io } from '../src/commands/io.js';
import { startLoopbackOrganization, useManagementEnv, type LoopbackOrganization } from './helpers/loopback-org.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const deploy = (file: string) => path.join(ROOT, 'deploy', file);

let restoreEnv: () => void;
let org: LoopbackOrganization;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'aigis-deploy-'));
  org = await startLoopbackOrganization({
    id: 'o-deploy0001',
    managementAccountId: '100000000000',
    rootId: 'r-dd11',
    units: [{ id: 'ou-dd11-workload', name: 'Workloads', parentId: 'r-dd11' }],
    accounts: [
      { id: '100000000000', name: 'management', parentId: 'r-dd11' },
      { id: '210000000001', name: 'ml-a', parentId: 'ou-dd11-workload' },
      { id: '220000000002', name: 'ml-b', parentId: 'ou-dd11-workload' },
      { id: '230000000003', name: 'ml-c', parentId: 'ou-dd11-workload' },
      { id: '240000000004', name: 'locked', parentId: 'ou-dd11-workload', denyAssumeRole: true },
    ],
    policies: [],
  });
  restoreEnv = useManagementEnv(org.url, dir);
});
afterAll(async () => {
  await org.close();
  restoreEnv();
  await rm(dir, { recursive: true, force: true });
});

/** Only S3 is collected in these runs (the recipes' commands are otherwise as written): fast, and enough to compare. */
const FAST = ['--services', 's3'];

async function aigis(argv: string[], cwd: string, env: Record<string, string> = {}): Promise<void> {
  let stderr = '';
  const io: Io = { stdout: () => undefined, stderr: (t) => (stderr += t), cwd, env: { ...process.env, ...env }, isTTY: false };
  const code = await main([...argv, ...(argv[0] === 'collect' ? FAST : [])], io);
  expect(code, `aigis ${argv.join(' ')}\n${stderr}`).toBe(0);
}

/** The words after `aigis` in a shell command line, with `${{ ... }}` and $VAR left for the caller. */
function aigisArgs(line: string): string[] {
  const words = line.trim().split(/\s+/);
  const at = words.indexOf('aigis');
  expect(at, line).toBeGreaterThanOrEqual(0);
  return words.slice(at + 1);
}

async function expected(name: string): Promise<string> {
  const out = path.join(dir, `expected-${name}`);
  await mkdir(out, { recursive: true });
  await aigis(['scan', '--org', '--regions', 'us-east-1,eu-west-1', ...FAST, '-f', 'json', '-o', 'report.json', '--fail-on', 'none'], out);
  return readFile(path.join(out, 'report.json'), 'utf8');
}

describe('deploy/ recipes, run shard by shard against a loopback organization', () => {
  it('GitHub Actions: the matrix jobs and the merge job', async () => {
    const workflow = parseYaml(await readFile(deploy('github-actions-org.yml'), 'utf8'));
    const collect = workflow.jobs.collect.steps.map((s: any) => s.run).find((r: string | undefined) => r?.includes('aigis collect')) as string;
    const merge = workflow.jobs.merge.steps.map((s: any) => s.run).find((r: string | undefined) => r?.includes('aigis merge')) as string;
    const work = path.join(dir, 'gha');
    await mkdir(work);
    for (const shard of workflow.jobs.collect.strategy.matrix.shard as number[]) {
      await aigis(aigisArgs(collect.replaceAll('${{ matrix.shard }}', String(shard))), work);
    }
    await aigis(aigisArgs(merge), work);
    const report = JSON.parse(await readFile(path.join(work, 'report', 'aigis-report.json'), 'utf8'));
    expect(report.accounts).toHaveLength(5);
    expect(await readFile(path.join(work, 'report', 'aigis-report.json'), 'utf8')).toBe(await expected('gha'));
  });

  it('Kubernetes: the Indexed Job (JOB_COMPLETION_INDEX) and the merge Job', async () => {
    const [collectJob, mergeJob] = parseAllDocuments(await readFile(deploy('k8s-indexed-job.yaml'), 'utf8')).map((d) => d.toJS());
    expect(collectJob.spec.completionMode).toBe('Indexed');
    const command = collectJob.spec.template.spec.containers[0].command as string[];
    const work = path.join(dir, 'k8s');
    await mkdir(work);
    for (let index = 0; index < collectJob.spec.completions; index++) {
      // Kubernetes expands $(VAR) in command from the container's environment, which holds JOB_COMPLETION_INDEX.
      const argv = command.slice(command.indexOf('aigis') + 1).map((w) => w.replaceAll('$(JOB_COMPLETION_INDEX)', String(index)));
      await aigis(argv, work, { JOB_COMPLETION_INDEX: String(index) });
    }
    const merge = mergeJob.spec.template.spec.containers[0].command as string[];
    await aigis(merge.slice(merge.indexOf('aigis') + 1), work);
    expect(await readFile(path.join(work, 'report', 'aigis-report.json'), 'utf8')).toBe(await expected('k8s'));
  });

  it('AWS Batch: the array job (AWS_BATCH_JOB_ARRAY_INDEX), its uploads, and the merge job', async () => {
    const recipe = JSON.parse(await readFile(deploy('aws-batch-org.json'), 'utf8'));
    const collect = (recipe.collectJob.parameters.script as string).split('&&').find((part) => part.includes('aigis collect'))!;
    const merge = (recipe.mergeJob.parameters.script as string).split('&&').find((part) => part.includes('aigis merge'))!;
    const bucket = path.join(dir, 'batch-bucket');
    await mkdir(bucket, { recursive: true });
    for (let index = 0; index < recipe.collectJob.arrayProperties.size; index++) {
      const child = path.join(dir, `batch-child-${index}`);
      await mkdir(child);
      await aigis(aigisArgs(collect), child, { AWS_BATCH_JOB_ARRAY_INDEX: String(index) });
      // The script's `aws s3 cp shard.jsonl s3://.../shard-$AWS_BATCH_JOB_ARRAY_INDEX.jsonl`.
      await copyFile(path.join(child, 'shard.jsonl'), path.join(bucket, `shard-${index}.jsonl`));
    }
    await aigis(aigisArgs(merge), bucket);
    expect(await readFile(path.join(bucket, 'report', 'aigis-report.json'), 'utf8')).toBe(await expected('batch'));
  });
});

describe('deploy/aigis-readonly-stackset.yaml', () => {
  it('grants exactly the read-only actions, and passes aigis itself', async () => {
    const template = await readFile(deploy('aigis-readonly-stackset.yaml'), 'utf8');
    const actions = template
      .split('\n')
      .filter((line) => /^ {18}- [a-z0-9-]+:[A-Za-z0-9]+$/.test(line))
      .map((line) => line.trim().slice(2));
    expect(actions).toEqual(requiredIamActions());
    const out = path.join(dir, 'stackset');
    await mkdir(out);
    await aigis(['scan', '--iac', deploy('aigis-readonly-stackset.yaml'), '-f', 'json', '-o', 'r.json', '--fail-on', 'low'], out);
    const report = JSON.parse(await readFile(path.join(out, 'r.json'), 'utf8'));
    expect(report.findings.filter((f: any) => f.verdict === 'fail')).toEqual([]);
  });
});
