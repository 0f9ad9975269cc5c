/**
 * What `aigis rules`, `aigis frameworks` and `aigis validate` do (their options are in catalog.ts).
 * The inventory loader (and its zod schema) is loaded by `validate` alone.
 */
import path from 'node:path';
import { loadFrameworks, type Framework } from '../engine/frameworks.js';
import { loadRules } from '../engine/registry.js';
import type { Rule } from '../engine/types.js';
import { inertText } from '../report/inert.js';
import type { ListArgs } from './catalog.js';
import type { Io } from './io.js';

/**
 * The rules and frameworks to list: the built-in ones, with the custom rules and framework files of
 * the flags and of a config named with --config (without flags nor --config, the built-in ones
 * alone, without looking for a config file).
 */
async function catalog(args: ListArgs, io: Io): Promise<{ rules: Rule[]; frameworks: Framework[] }> {
  if (!args.rulesDir?.length && !args.frameworkFile?.length && args.config === undefined) {
    const rules = await loadRules();
    return { rules, frameworks: await loadFrameworks(new Set(rules.map((r) => r.meta.id))) };
  }
  const [{ DEFAULT_CONFIG }, { loadConfigOption }, { resolveExtensions }, { selectRulesAndFrameworks }] = await Promise.all([
    import('../engine/config.js'),
    import('./config-option.js'),
    import('./extensions.js'),
    import('./pipeline.js'),
  ]);
  const source = args.config === undefined ? { config: DEFAULT_CONFIG } : await loadConfigOption(args.config, io);
  const selection = await selectRulesAndFrameworks([], [], DEFAULT_CONFIG, source.file, [], resolveExtensions(args, source, io));
  return { rules: selection.allRules, frameworks: selection.frameworks };
}

export async function runRulesCommand(args: ListArgs, io: Io): Promise<number> {
  const { rules, frameworks } = await catalog(args, io);
  const rows = rules.map((r) => ({
    id: r.meta.id,
    severity: r.meta.severity,
    service: r.meta.service,
    title: r.meta.title,
    controls: frameworks.flatMap((f) => f.controls.filter((c) => c.rules.includes(r.meta.id)).map((c) => `${f.id}:${c.id}`)),
  }));
  if (args.json) io.stdout(`${JSON.stringify(rows, null, 2)}\n`);
  else {
    const width = Math.max(...rows.map((r) => r.id.length));
    for (const r of rows) {
      io.stdout(`${r.id.padEnd(width)}  ${r.severity.padEnd(8)}  ${r.title}\n`);
      io.stdout(`${''.padEnd(width)}  ${''.padEnd(8)}  controls: ${r.controls.join(', ')}\n`);
    }
  }
  return 0;
}

export async function runFrameworksCommand(args: ListArgs & { id?: string }, io: Io): Promise<number> {
  const { frameworks } = await catalog(args, io);
  if (args.id) {
    const fw = frameworks.find((f) => f.id === args.id);
    if (!fw) {
      io.stderr(`aigis: error: unknown framework "${args.id}" (choose from ${frameworks.map((f) => f.id).join(', ')})\n`);
      return 2;
    }
    const notAssessed = fw.controls.filter((c) => !c.rules.length).map((c) => c.id);
    const coverage = { controls: fw.controls.length, assessed: fw.controls.length - notAssessed.length, notAssessed };
    if (args.json) io.stdout(`${JSON.stringify({ ...fw, coverage }, null, 2)}\n`);
    else {
      io.stdout(`${fw.name} (${fw.version})\n${fw.url}\n\n`);
      for (const c of fw.controls) io.stdout(`${c.id.padEnd(22)} ${c.title}\n${''.padEnd(22)} rules: ${c.rules.length ? c.rules.join(', ') : '(none: not assessed by aigis)'}\n`);
      io.stdout(`\nCoverage: ${coverage.assessed} of ${coverage.controls} controls assessed by at least one rule`);
      io.stdout(notAssessed.length ? `; not assessed: ${notAssessed.join(', ')}\n` : '\n');
    }
  } else if (args.json) {
    io.stdout(`${JSON.stringify(frameworks.map(({ id, name, version, url, controls }) => ({ id, name, version, url, controls: controls.length, assessed: controls.filter((c) => c.rules.length).length })), null, 2)}\n`);
  } else {
    const width = Math.max(16, ...frameworks.map((f) => f.id.length));
    for (const f of frameworks) {
      const assessed = f.controls.filter((c) => c.rules.length).length;
      io.stdout(`${f.id.padEnd(width)} ${f.name} — ${f.controls.length} controls, ${assessed} assessed by rules\n`);
    }
  }
  return 0;
}

export async function runValidateCommand(args: { file: string }, io: Io): Promise<number> {
  const { loadInventoryFile } = await import('../inventory/load.js');
  const inventory = await loadInventoryFile(path.resolve(io.cwd, args.file), args.file);
  const counts: string[] = [];
  const add = (label: string, n: number | undefined) => {
    if (n !== undefined) counts.push(`${n} ${label}`);
  };
  add('buckets', inventory.s3?.buckets.length);
  add('KMS keys', inventory.kms?.keys.length);
  add('trails', inventory.cloudtrail?.trails.length);
  if (inventory.iam) add('IAM principals', inventory.iam.users.length + inventory.iam.groups.length + inventory.iam.roles.length);
  add('managed policies', inventory.iam?.policies.length);
  if (inventory.bedrock) add('Bedrock resources', inventory.bedrock.guardrails.length + inventory.bedrock.customModels.length + inventory.bedrock.agents.length);
  if (inventory.sagemaker) {
    const s = inventory.sagemaker;
    add(
      'SageMaker resources',
      s.notebookInstances.length +
        s.trainingJobs.length +
        s.processingJobs.length +
        s.models.length +
        s.endpointConfigs.length +
        s.domains.length +
        (s.endpoints?.length ?? 0) +
        (s.monitoringSchedules?.length ?? 0) +
        (s.modelCards?.length ?? 0) +
        (s.hyperParameterTuningJobs?.length ?? 0) +
        (s.transformJobs?.length ?? 0) +
        (s.monitoringJobDefinitions?.length ?? 0),
    );
  }
  if (inventory.apiGateway) add('API Gateway resources', inventory.apiGateway.restApis.length + inventory.apiGateway.stages.length + (inventory.apiGateway.usagePlans?.length ?? 0));
  add('web ACLs', inventory.wafv2?.webAcls.length);
  io.stdout(`${inertText(args.file)}: valid inventory (schema ${inventory.schemaVersion}) for account ${inventory.account.id}: ${counts.join(', ') || 'no resources'}; ${inventory.collectionErrors.length} collection errors\n`);
  return 0;
}
