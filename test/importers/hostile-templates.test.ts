/**
 * Templates, snapshots and configs written to stall or fool the scan (issue "hostile input"),
 * through the CLI: each gets one clear line (error or warning), bounded time, no stack trace.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/engine/paths.js';
import { runCli, tempDir } from '../helpers/cli.js';

const DEMO = path.join(packageRoot(), 'fixtures', 'demo', 'inventory.json');

async function scan(files: Record<string, string | Buffer>, args: string[]) {
  const cwd = tempDir();
  for (const [name, content] of Object.entries(files)) writeFileSync(path.join(cwd, name), content);
  const started = performance.now();
  const run = await runCli(['scan', ...args, '--format', 'json', '-o', 'out.json'], cwd);
  return { ...run, ms: performance.now() - started, lines: run.stderr.trimEnd().split('\n') };
}

function expectOneErrorLine(run: { code: number; stderr: string; lines: string[] }, text: string | RegExp) {
  expect(run.code).toBe(2);
  expect(run.lines).toHaveLength(1);
  if (typeof text === 'string') expect(run.lines[0]).toContain(text);
  else expect(run.lines[0]).toMatch(text);
  expect(run.stderr).not.toContain('internal error');
}

function billionLaughs(levels: number): string {
  const lines = ['AWSTemplateFormatVersion: "2010-09-09"', 'Metadata:', '  a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (let i = 1; i <= levels; i++) lines.push(`  a${i}: &a${i} [${Array.from({ length: 10 }, () => `*a${i - 1}`).join(',')}]`);
  return [...lines, 'Resources:', '  B:', '    Type: AWS::S3::Bucket', ''].join('\n');
}

describe('YAML expansion and nesting', () => {
  it('a nine-level alias bomb is refused at once, not expanded', async () => {
    const run = await scan({ 't.yaml': billionLaughs(9) }, ['--iac', 't.yaml']);
    expectOneErrorLine(run, /^aigis: error: t\.yaml at \$\.Metadata\.a\d.*: YAML aliases expand to more than [\d,]+ nodes/);
    expect(run.ms).toBeLessThan(10_000); // catastrophic bound: it used to grow without limit
  });

  it('the same through << merge keys', async () => {
    const lines = ['AWSTemplateFormatVersion: "2010-09-09"', 'Metadata:', '  x0: &x0 {a: 1, b: 2}'];
    for (let i = 1; i <= 14; i++) lines.push(`  x${i}: &x${i} {<<: *x${i - 1}, l${i}: *x${i - 1}, r${i}: *x${i - 1}}`);
    const run = await scan({ 't.yaml': [...lines, 'Resources:', '  B:', '    Type: AWS::S3::Bucket', ''].join('\n') }, ['--iac', 't.yaml']);
    expectOneErrorLine(run, 'YAML aliases expand to more than');
  });

  it('a few aliases of a real template are still expanded', async () => {
    const template = [
      'Resources:',
      '  A:',
      '    Type: AWS::S3::Bucket',
      '    Properties:',
      '      Tags: &tags [{Key: team, Value: ml}]',
      '  B:',
      '    Type: AWS::S3::Bucket',
      '    Properties:',
      '      Tags: *tags',
      '',
    ].join('\n');
    const run = await scan({ 't.yaml': template }, ['--iac', 't.yaml']);
    expect(run.code).toBe(0);
  });

  it('flow sequences nested 100,000 deep', async () => {
    const run = await scan({ 't.yaml': `AWSTemplateFormatVersion: "2010-09-09"\nMetadata:\n  x: ${'['.repeat(100_000)}${']'.repeat(100_000)}\nResources: {}\n` }, ['--iac', 't.yaml']);
    expectOneErrorLine(run, /^aigis: error: t\.yaml.*nested too deeply/);
  });
});

describe('templates CloudFormation rejects', () => {
  const bucket = (props: string) => `Resources:\n  A:\n    Type: AWS::S3::Bucket\n    Properties:\n${props}`;

  it('a Ref/GetAtt cycle between resources names the reference', async () => {
    const template = `${bucket('      BucketName: !Sub "${B}-a"\n')}  B:\n    Type: AWS::S3::Bucket\n    Properties:\n      LoggingConfiguration:\n        DestinationBucketName: !Ref A\n`;
    const run = await scan({ 't.yaml': template }, ['--iac', 't.yaml']);
    expectOneErrorLine(run, 'aigis: error: t.yaml at $.Resources.A.Properties.BucketName["Fn::Sub"]: circular dependency between resources: A -> B -> A');
  });

  it('a resource that refers to itself', async () => {
    const run = await scan({ 't.yaml': bucket('      Tags: [{Key: arn, Value: !GetAtt A.Arn}]\n') }, ['--iac', 't.yaml']);
    expectOneErrorLine(run, 'circular dependency between resources: A -> A');
  });

  it('an out-of-range !Select over a literal list', async () => {
    const run = await scan({ 't.yaml': bucket('      BucketName: !Select [3, [a, b]]\n') }, ['--iac', 't.yaml']);
    expectOneErrorLine(run, 'aigis: error: t.yaml at $.Resources.A.Properties.BucketName["Fn::Select"][0]: Fn::Select index 3 is out of range for a list of 2');
  });

  it('a Ref and a GetAtt to nothing', async () => {
    expectOneErrorLine(await scan({ 't.yaml': bucket('      BucketName: !Ref Nope\n') }, ['--iac', 't.yaml']), 'at $.Resources.A.Properties.BucketName.Ref: Ref "Nope": not a parameter or resource');
    expectOneErrorLine(await scan({ 't.yaml': bucket('      BucketName: !GetAtt Nope.Arn\n') }, ['--iac', 't.yaml']), 'Fn::GetAtt "Nope": no such resource');
  });

  it('an undefined condition, named where it is used', async () => {
    const run = await scan({ 't.yaml': `Resources:\n  A:\n    Type: AWS::S3::Bucket\n    Condition: IsProd\n` }, ['--iac', 't.yaml']);
    expectOneErrorLine(run, 'aigis: error: t.yaml at $.Resources.A.Condition: condition "IsProd" is used but not defined in Conditions');
  });
});

describe('transforms and parameters', () => {
  it('a SAM transform is scanned with one warning that its generated resources are not', async () => {
    const template = 'Transform: AWS::Serverless-2016-10-31\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      Role: !GetAtt FnRole.Arn\n  B:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: sam-data\n';
    const run = await scan({ 't.yaml': template }, ['--iac', 't.yaml']);
    expect(run.code).toBe(0);
    expect(run.lines[0]).toBe(
      'aigis: warning: t.yaml: the template uses the transform AWS::Serverless-2016-10-31; the resources it generates (AWS::Serverless::* resources) are not evaluated: scan the processed template (e.g. sam build, or aws cloudformation get-template --template-stage Processed)',
    );
    const report = JSON.parse(readFileSync(path.join(run.cwd, 'out.json'), 'utf8'));
    expect(report.coverage.collectionErrors).toContainEqual(expect.objectContaining({ operation: 'Transform', resource: 'AWS::Serverless-2016-10-31', errorCode: 'NotExpanded' }));
  });

  const withParameters = 'Parameters:\n  Days:\n    Type: Number\n    MaxValue: 3650\n  Env:\n    Type: String\n    AllowedValues: [dev, prod]\nResources:\n  A:\n    Type: AWS::S3::Bucket\n';

  it('a --parameters key no template declares is a warning', async () => {
    const run = await scan({ 't.yaml': withParameters }, ['--iac', 't.yaml', '--parameters', 'Enviroment=prod']);
    expect(run.code).toBe(0);
    expect(run.lines[0]).toBe('aigis: warning: --parameters Enviroment: no CloudFormation template scanned declares this parameter; the value is not used');
  });

  it('ill-typed or disallowed --parameters values are errors naming the parameter', async () => {
    expectOneErrorLine(await scan({ 't.yaml': withParameters }, ['--iac', 't.yaml', '--parameters', 'Days=thirty']), 'aigis: error: t.yaml at $.Parameters.Days: --parameters Days="thirty": the parameter is a Number');
    expectOneErrorLine(await scan({ 't.yaml': withParameters }, ['--iac', 't.yaml', '--parameters', 'Days=9999']), 'above MaxValue 3650');
    expectOneErrorLine(await scan({ 't.yaml': withParameters }, ['--iac', 't.yaml', '--parameters', 'Env=test']), 'not one of the AllowedValues (dev, prod)');
  });
});

describe('JSON documents', () => {
  it('a snapshot with a duplicate key is refused with its path', async () => {
    const run = await scan({ 's.json': '{"schemaVersion":"1.0","account":{"id":"111111111111","id":"222222222222"}}' }, ['--input', 's.json']);
    expectOneErrorLine(run, 'aigis: error: ');
    expect(run.lines[0]).toMatch(/s\.json at \$\.account\.id: duplicate key "id"/);
  });

  it('a config with a duplicate failOn is refused', async () => {
    const run = await scan({ 'aigis.config.json': '{"failOn":"critical","failOn":"none"}' }, ['--demo']);
    expectOneErrorLine(run, /aigis\.config\.json at \$\.failOn: duplicate key "failOn"/);
  });

  it('a snapshot with a UTF-8 BOM is read; a UTF-16 one too', async () => {
    const demo = readFileSync(DEMO, 'utf8');
    expect((await scan({ 's.json': `\uFEFF${demo}` }, ['--input', 's.json'])).code).toBe(0);
    expect((await scan({ 's.json': Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(demo, 'utf16le')]) }, ['--input', 's.json'])).code).toBe(0);
  });

  it('malformed JSON is one line with line and column, even when the bad text holds a newline', async () => {
    const run = await scan({ 's.json': '{"schemaVersion": "1.0",\n "account": {"id": "oops\nline"}}' }, ['--input', 's.json']);
    expectOneErrorLine(run, /^aigis: error: s\.json: is not valid JSON: .*\(line 2, column \d+\)$/);
  });

  it('bytes that are not UTF-8 are refused, not replaced', async () => {
    const run = await scan({ 't.yaml': Buffer.from([0x52, 0x65, 0x73, 0x3a, 0x20, 0xff, 0xfe, 0xfd, 0x0a]) }, ['--iac', 't.yaml']);
    expectOneErrorLine(run, 'aigis: error: t.yaml: is not valid UTF-8 text');
  });
});
