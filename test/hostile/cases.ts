/**
 * The hostile-input corpus: what a pull request (or a careless export) can hand aigis, and what
 * aigis must answer. Inputs live under test/hostile/cases/<kind>/ (byte-exact: BOMs, UTF-16,
 * invalid UTF-8 and NUL bytes are the point) or are generated at run time (generators.ts) when they
 * are large. See test/hostile/README.md for how to add a case.
 *
 * Expected stderr lines are written relative to the case's working directory: the harness removes
 * `<cwd>/` from what aigis printed before comparing, so an absolute path and a relative one read
 * the same.
 */
import { readFileSync } from 'node:fs';
import * as gen from './generators.js';

export type Kind = 'snapshot' | 'cfn-yaml' | 'cfn-json' | 'tf-plan' | 'policy' | 'config' | 'baseline' | 'flags';

export type Source =
  /** A file under test/hostile/cases/. */
  | { corpus: string }
  /** A directory under test/hostile/cases/, copied whole. */
  | { corpusDir: string }
  | { text: string }
  | { generate: () => string };

/** How a line must read: exactly, or by its start and pieces it must contain. */
export type LineExpectation = string | { prefix?: string; includes?: string[]; regex?: RegExp };

export interface CaseRunView {
  cwd: string;
  code?: number;
  stdout: string;
  stderr: string;
}

export interface HostileCase {
  id: string;
  kind: Kind;
  /** What it attacks, in a few words (shown in the table). */
  attack: string;
  /** Files to create in the case's working directory (names may hold any character but `/` and NUL). */
  files: Record<string, Source>;
  argv: string[];
  exit: number;
  /** The first line aigis writes to stderr ('' for none). */
  stderr: LineExpectation;
  /** Lines that must appear somewhere in stderr. */
  stderrHas?: string[];
  /** stderr must be exactly this many lines (one-line errors). */
  stderrLines?: number;
  /** The first line of stdout. */
  stdout?: LineExpectation;
  /**
   * Files the run must have written even though it exits 2 (the one documented exception: an
   * invalid template among valid ones is reported and the rest still scanned).
   */
  writes?: string[];
  /** Further checks on the result; returns what is wrong, or undefined. */
  verify?: (run: CaseRunView) => string | undefined;
}

const corpus = (file: string): Source => ({ corpus: file });
const corpusDir = (dir: string): Source => ({ corpusDir: dir });
const text = (content: string): Source => ({ text: content });
const generate = (make: () => string): Source => ({ generate: make });

/** First stderr line of a scan or check that ran: the console summary's header (the account's alias in quotes when it has one). */
const summary = (account: string): LineExpectation => ({ regex: new RegExp(`^aigis \\S+ — account ${account}(?: "[a-z0-9-]+")? \\(aws\\)$`) });
const DEMO_ACCOUNT = '111122223333';
const SNAPSHOT_ACCOUNT = '444455556666';
const IAC_ACCOUNT = '123456789012';
/** Scans that succeed write one small report (rendering HTML would only add time). */
const JSON_OUT = ['--format', 'json', '--output', 'out.json'];
const STARS = `s3:${'*'.repeat(30)}x`;
/** A file name that is an attack of its own: OSC title, CSI clear, CR, and a forged workflow command. */
const HOSTILE_NAME = 'x\u001b]0;pwned\u0007\u001b[2J\r\n::error file=x::forged';
const HOSTILE_NAME_SHOWN = 'x\\x1b]0;pwned\\x07\\x1b[2J\\r\\n::error file=x::forged';

/** The JSON report's `inputs` must list these files (a file that was read, not skipped). */
function reportLists(files: string[]): (run: CaseRunView) => string | undefined {
  return (run) => {
    let inputs: string[] = [];
    try {
      inputs = (JSON.parse(readFileSync(`${run.cwd}/out.json`, 'utf8')) as { inputs?: string[] }).inputs ?? [];
    } catch (error) {
      return `out.json unreadable: ${(error as Error).message}`;
    }
    const missing = files.filter((f) => !inputs.includes(f));
    return missing.length ? `report inputs ${JSON.stringify(inputs)} lack ${JSON.stringify(missing)}` : undefined;
  };
}

/** stderr must show these inert forms (what a terminal gets instead of the raw bytes). */
function shows(...forms: string[]): (run: CaseRunView) => string | undefined {
  return (run) => {
    const missing = forms.filter((f) => !run.stderr.includes(f));
    return missing.length ? `stderr lacks ${JSON.stringify(missing)}` : undefined;
  };
}

const snapshotCases: HostileCase[] = [
  {
    id: 'snap-bom-scan', kind: 'snapshot', attack: 'UTF-8 BOM before the JSON (accepted)',
    files: { 'snap.json': corpus('snapshot/bom.json') }, argv: ['scan', '--input', 'snap.json', ...JSON_OUT],
    exit: 0, stderr: summary(SNAPSHOT_ACCOUNT),
  },
  {
    id: 'snap-bom-validate', kind: 'snapshot', attack: 'UTF-8 BOM through validate (accepted)',
    files: { 'snap.json': corpus('snapshot/bom.json') }, argv: ['validate', 'snap.json'],
    exit: 0, stderr: '', stdout: { prefix: 'snap.json: valid inventory (schema 1.0) for account 444455556666' },
  },
  {
    id: 'snap-utf16le-bom', kind: 'snapshot', attack: 'UTF-16 LE with BOM (PowerShell >) (accepted)',
    files: { 'snap.json': corpus('snapshot/utf16le-bom.json') }, argv: ['validate', 'snap.json'],
    exit: 0, stderr: '', stdout: { prefix: 'snap.json: valid inventory' },
  },
  {
    id: 'snap-utf16be-nobom', kind: 'snapshot', attack: 'UTF-16 BE without BOM (accepted)',
    files: { 'snap.json': corpus('snapshot/utf16be.json') }, argv: ['scan', '--input', 'snap.json', ...JSON_OUT],
    exit: 0, stderr: summary(SNAPSHOT_ACCOUNT),
  },
  {
    id: 'snap-dup-account-id', kind: 'snapshot', attack: 'duplicate key: account id given twice',
    files: { 'snap.json': corpus('snapshot/dup-account-id.json') }, argv: ['scan', '--input', 'snap.json'],
    exit: 2, stderr: 'aigis: error: snap.json at $.account.id: duplicate key "id" (line 3): each key may appear once', stderrLines: 1,
  },
  {
    id: 'snap-dup-validate', kind: 'snapshot', attack: 'duplicate key through validate',
    files: { 'snap.json': corpus('snapshot/dup-account-id.json') }, argv: ['validate', 'snap.json'],
    exit: 2, stderr: 'aigis: error: snap.json at $.account.id: duplicate key "id" (line 3): each key may appear once', stderrLines: 1,
  },
  {
    id: 'snap-invalid-utf8', kind: 'snapshot', attack: 'invalid UTF-8 bytes in a bucket name',
    files: { 'snap.json': corpus('snapshot/invalid-utf8.json') }, argv: ['scan', '--input', 'snap.json'],
    exit: 2, stderr: 'aigis: error: snap.json: is not valid UTF-8 text (invalid byte sequence; save it as UTF-8 or UTF-16)', stderrLines: 1,
  },
  {
    id: 'snap-empty', kind: 'snapshot', attack: 'empty file',
    files: { 'snap.json': corpus('snapshot/empty.json') }, argv: ['scan', '--input', 'snap.json'],
    exit: 2, stderr: 'aigis: error: snap.json: is not valid JSON: unexpected end of input (line 1, column 1)', stderrLines: 1,
  },
  {
    id: 'snap-whitespace', kind: 'snapshot', attack: 'whitespace-only file',
    files: { 'snap.json': corpus('snapshot/whitespace.json') }, argv: ['validate', 'snap.json'],
    exit: 2, stderr: { prefix: 'aigis: error: snap.json: is not valid JSON: unexpected end of input' }, stderrLines: 1,
  },
  {
    id: 'snap-malformed-newline', kind: 'snapshot', attack: 'raw newline in a string: the JSON error must stay one line',
    files: { 'snap.json': corpus('snapshot/malformed-newline.json') }, argv: ['scan', '--input', 'snap.json'],
    exit: 2, stderr: { prefix: 'aigis: error: snap.json: is not valid JSON: ', includes: ['(line 3, column'] }, stderrLines: 1,
  },
  {
    id: 'snap-truncated', kind: 'snapshot', attack: 'truncated JSON',
    files: { 'snap.json': corpus('snapshot/truncated.json') }, argv: ['scan', '--input', 'snap.json'],
    exit: 2, stderr: { prefix: 'aigis: error: snap.json: is not valid JSON: ' }, stderrLines: 1,
  },
  {
    id: 'snap-nul-byte', kind: 'snapshot', attack: 'raw NUL byte inside a tag value',
    files: { 'snap.json': corpus('snapshot/nul-byte.json') }, argv: ['scan', '--input', 'snap.json'],
    exit: 2, stderr: { prefix: 'aigis: error: snap.json: is not valid JSON: ' }, stderrLines: 1,
  },
  {
    id: 'snap-not-object', kind: 'snapshot', attack: 'a JSON array instead of an inventory',
    files: { 'snap.json': corpus('snapshot/not-object.json') }, argv: ['validate', 'snap.json'],
    exit: 2, stderr: { prefix: 'aigis: error: snap.json: ' }, stderrLines: 1,
  },
  {
    id: 'snap-schema-version', kind: 'snapshot', attack: 'unsupported schemaVersion',
    files: { 'snap.json': corpus('snapshot/schema-version-2.json') }, argv: ['scan', '--input', 'snap.json'],
    exit: 2, stderr: 'aigis: error: snap.json at $.schemaVersion: unsupported schemaVersion "2.0" (this aigis reads "1.0")', stderrLines: 1,
  },
  {
    id: 'snap-bad-account-id', kind: 'snapshot', attack: 'account id that is not 12 digits',
    files: { 'snap.json': corpus('snapshot/bad-account-id.json') }, argv: ['scan', '--input', 'snap.json'],
    exit: 2, stderr: 'aigis: error: snap.json at $.account.id: an AWS account id is 12 digits', stderrLines: 1,
  },
  {
    id: 'snap-number-1e309', kind: 'snapshot', attack: 'number 1e309 (Infinity after JSON.parse)',
    files: { 'snap.json': corpus('snapshot/number-1e309.json') }, argv: ['scan', '--input', 'snap.json'],
    exit: 2, stderr: { prefix: 'aigis: error: snap.json at $.iam.roles[0].maxSessionDuration: ' }, stderrLines: 1,
  },
  {
    id: 'snap-escapes', kind: 'snapshot', attack: 'OSC/CSI/BEL/CR/bidi, ::error and ::add-mask in bucket names, tags, collection errors',
    files: { 'snap.json': corpus('snapshot/escapes.json') }, argv: ['scan', '--input', 'snap.json', ...JSON_OUT],
    exit: 0, stderr: summary(SNAPSHOT_ACCOUNT),
    verify: shows('data\\x1b]0;pwned\\x07', 'logs\\x1b[2J\\x1b[H', 'x\\n::error file=x::forged', '\\u{202e}evil'),
  },
  {
    id: 'snap-escapes-filename', kind: 'snapshot', attack: 'terminal escapes and a forged ::error in the file name',
    files: { [`${HOSTILE_NAME}.json`]: corpus('snapshot/empty.json') }, argv: ['scan', '--input', `${HOSTILE_NAME}.json`],
    exit: 2, stderr: `aigis: error: ${HOSTILE_NAME_SHOWN}.json: is not valid JSON: unexpected end of input (line 1, column 1)`, stderrLines: 1,
  },
  {
    id: 'snap-proto-keys', kind: 'snapshot', attack: '__proto__ / constructor / toString as tag keys',
    files: { 'snap.json': corpus('snapshot/proto-keys.json') }, argv: ['scan', '--input', 'snap.json', ...JSON_OUT],
    exit: 0, stderr: summary(SNAPSHOT_ACCOUNT),
  },
  {
    id: 'snap-lone-surrogate', kind: 'snapshot', attack: 'lone UTF-16 surrogates (\\ud800) in a tag, every report format',
    files: { 'snap.json': corpus('snapshot/lone-surrogate.json') }, argv: ['scan', '--input', 'snap.json', '--format', 'json,sarif,html,markdown', '--output', 'reports'],
    exit: 0, stderr: summary(SNAPSHOT_ACCOUNT),
  },
  {
    id: 'snap-template-as-input', kind: 'snapshot', attack: 'a CloudFormation template given as --input',
    files: { 'template.yaml': corpus('snapshot/template-given.yaml') }, argv: ['scan', '--input', 'template.yaml'],
    exit: 2, stderr: { prefix: 'aigis: error: template.yaml: ' }, stderrLines: 1,
  },
  {
    id: 'snap-directory', kind: 'snapshot', attack: 'a directory as --input',
    files: { 'sub/readme.txt': text('not a snapshot\n') }, argv: ['scan', '--input', 'sub'],
    exit: 2, stderr: 'aigis: error: sub: cannot read input (EISDIR): it is a directory', stderrLines: 1,
  },
  {
    id: 'snap-deep-300', kind: 'snapshot', attack: 'JSON nested 300 levels deep',
    files: { 'snap.json': generate(() => gen.deepJson({ schemaVersion: '1.0', account: { id: '444455556666' } }, 'deep', 300)) },
    argv: ['scan', '--input', 'snap.json'],
    exit: 2, stderr: 'aigis: error: snap.json at $.deep.a.a.a.a.a.a.a: is nested more than 256 levels deep', stderrLines: 1,
  },
  {
    id: 'snap-huge-arn', kind: 'snapshot', attack: '2 MB role ARN in trust and inline policies',
    files: { 'snap.json': generate(() => gen.snapshotHugeArn()) }, argv: ['scan', '--input', 'snap.json', ...JSON_OUT],
    exit: 0, stderr: summary(SNAPSHOT_ACCOUNT),
  },
  {
    id: 'snap-huge-line', kind: 'snapshot', attack: '8 MB single-line snapshot (valid)',
    files: { 'snap.json': generate(() => gen.snapshotHugeSingleLine()) }, argv: ['validate', 'snap.json'],
    exit: 0, stderr: '', stdout: { prefix: 'snap.json: valid inventory' },
  },
  {
    id: 'snap-huge-line-broken', kind: 'snapshot', attack: '8 MB single line with a syntax error at its end',
    files: { 'snap.json': generate(() => gen.hugeBrokenLine()) }, argv: ['scan', '--input', 'snap.json'],
    exit: 2, stderr: { prefix: 'aigis: error: snap.json: is not valid JSON: ', includes: ['(line 1, column 80000'] }, stderrLines: 1,
  },
];

const cfnYamlCases: HostileCase[] = [
  {
    id: 'cfn-alias-bomb', kind: 'cfn-yaml', attack: 'YAML billion laughs, 9 levels of 9 aliases',
    files: { 'bomb.yaml': generate(() => gen.yamlAliasBomb(9)) }, argv: ['scan', '--iac', 'bomb.yaml'],
    exit: 2, stderr: { prefix: 'aigis: error: bomb.yaml', includes: ['alias bomb'] }, stderrLines: 1,
  },
  {
    id: 'cfn-merge-key-bomb', kind: 'cfn-yaml', attack: 'the same through << merge keys',
    files: { 'bomb.yaml': generate(() => gen.yamlMergeKeyBomb(9)) }, argv: ['scan', '--iac', 'bomb.yaml'],
    exit: 2, stderr: { prefix: 'aigis: error: bomb.yaml', includes: ['alias bomb'] }, stderrLines: 1,
  },
  {
    id: 'cfn-alias-bomb-in-dir', kind: 'cfn-yaml', attack: 'an alias bomb beside a valid template in a directory',
    files: { 'infra/a-bomb.yaml': generate(() => gen.yamlAliasBomb(9)), 'infra/b-data.yaml': corpus('cloudformation-yaml/invalid-among-valid/c-data.yaml') },
    argv: ['scan', '--iac', 'infra', ...JSON_OUT],
    exit: 2, stderr: summary(IAC_ACCOUNT), stderrHas: ['alias bomb'], writes: ['out.json'],
  },
  {
    id: 'cfn-flow-seq-100k', kind: 'cfn-yaml', attack: 'flow sequence [[[[...]]]] 100,000 deep',
    files: { 'deep.yaml': generate(() => gen.yamlDeepFlowSequence(100_000)) }, argv: ['scan', '--iac', 'deep.yaml'],
    exit: 2, stderr: { prefix: 'aigis: error: deep.yaml', includes: ['nested too deeply'] }, stderrLines: 1,
  },
  {
    id: 'cfn-bom-in-dir', kind: 'cfn-yaml', attack: 'UTF-8 BOM template in a directory (must be scanned, not skipped)',
    files: { infra: corpusDir('cloudformation-yaml/bom-dir') }, argv: ['scan', '--iac', 'infra', ...JSON_OUT],
    exit: 0, stderr: summary(IAC_ACCOUNT), verify: reportLists(['infra/a-bom.yaml', 'infra/b-plain.yaml']),
  },
  {
    id: 'cfn-stars-inline-policy', kind: 'cfn-yaml', attack: 's3:+30 stars+x action, starred ARN and StringLike in a role policy',
    files: { 't.yaml': corpus('cloudformation-yaml/stars-inline-policy.yaml') }, argv: ['scan', '--iac', 't.yaml', ...JSON_OUT],
    exit: 0, stderr: summary(IAC_ACCOUNT),
  },
  {
    id: 'cfn-stars-bucket-policy', kind: 'cfn-yaml', attack: 'starred principal, action, resource and conditions in a bucket policy',
    files: { 't.yaml': corpus('cloudformation-yaml/stars-bucket-policy.yaml') }, argv: ['scan', '--iac', 't.yaml', ...JSON_OUT],
    exit: 0, stderr: summary(IAC_ACCOUNT),
  },
  {
    id: 'cfn-escapes-values', kind: 'cfn-yaml', attack: 'ESC ]0; BEL, CSI 2J, CR, ::error, ::add-mask in bucket names and tags',
    files: { 't.yaml': corpus('cloudformation-yaml/escapes-values.yaml') }, argv: ['scan', '--iac', 't.yaml', ...JSON_OUT],
    exit: 0, stderr: summary(IAC_ACCOUNT), verify: shows('data\\x1b]0;pwned\\x07'),
  },
  {
    id: 'cfn-sagemaker-endpoints', kind: 'cfn-yaml', attack: 'SageMaker endpoints, schedules, job definitions and model cards: escapes in names, tags and alarms; properties of the wrong type',
    files: { 't.yaml': corpus('cloudformation-yaml/sagemaker-endpoints.yaml') }, argv: ['scan', '--iac', 't.yaml', ...JSON_OUT],
    exit: 0, stderr: summary(IAC_ACCOUNT), verify: shows('card\\x1b[31m'),
  },
  {
    id: 'cfn-apigateway-waf', kind: 'cfn-yaml', attack: 'REST APIs, stages, usage plans and web ACLs: escapes in names, paths and URIs; methods, settings, rules and associations of the wrong type',
    files: { 't.yaml': corpus('cloudformation-yaml/apigateway-waf.yaml') }, argv: ['scan', '--iac', 't.yaml', ...JSON_OUT],
    exit: 0, stderr: summary(IAC_ACCOUNT), verify: shows('Stage prod\\x1b[31m of API chat\\x1b]0;pwned\\x07', 'model x\\x07'),
  },
  {
    id: 'cfn-escapes-logical-id', kind: 'cfn-yaml', attack: 'terminal escapes and ::error in logical ids',
    files: { 't.yaml': corpus('cloudformation-yaml/escapes-logical-id.yaml') }, argv: ['scan', '--iac', 't.yaml', ...JSON_OUT],
    exit: 0, stderr: summary(IAC_ACCOUNT),
  },
  {
    id: 'cfn-escapes-in-error', kind: 'cfn-yaml', attack: 'escapes inside the value an error message quotes',
    files: { 't.yaml': corpus('cloudformation-yaml/escapes-error.yaml') }, argv: ['scan', '--iac', 't.yaml'],
    exit: 2,
    stderr: 'aigis: error: t.yaml at $.Resources.Data.Properties.BucketName.Ref: Ref "Nope\\x1b]0;pwned\\x07\\n::error file=x::forged": not a parameter or resource of this template (CloudFormation rejects the template)',
    stderrLines: 1,
  },
  {
    id: 'cfn-escapes-filename', kind: 'cfn-yaml', attack: 'escapes and a forged ::error in a template file name',
    files: { [`${HOSTILE_NAME}.yaml`]: corpus('cloudformation-yaml/getatt-missing.yaml') }, argv: ['scan', '--iac', `${HOSTILE_NAME}.yaml`],
    exit: 2, stderr: { prefix: `aigis: error: ${HOSTILE_NAME_SHOWN}.yaml at $.Resources.Data.Properties.BucketName` }, stderrLines: 1,
  },
  {
    id: 'cfn-sam-transform', kind: 'cfn-yaml', attack: 'SAM Transform: generated resources are not evaluated',
    files: { 'sam.yaml': corpus('cloudformation-yaml/sam-transform.yaml') }, argv: ['scan', '--iac', 'sam.yaml', ...JSON_OUT],
    exit: 0, stderr: { prefix: 'aigis: warning: sam.yaml: the template uses the transform AWS::Serverless-2016-10-31' },
  },
  {
    id: 'cfn-param-unknown', kind: 'cfn-yaml', attack: '--parameters naming no declared parameter',
    files: { 't.yaml': corpus('cloudformation-yaml/parameters.yaml') }, argv: ['scan', '--iac', 't.yaml', '--parameters', 'Nope=1', ...JSON_OUT],
    exit: 0, stderr: 'aigis: warning: --parameters Nope: no CloudFormation template scanned declares this parameter; the value is not used',
  },
  {
    id: 'cfn-param-ill-typed', kind: 'cfn-yaml', attack: '--parameters Count=abc for a Number parameter',
    files: { 't.yaml': corpus('cloudformation-yaml/parameters.yaml') }, argv: ['scan', '--iac', 't.yaml', '--parameters', 'Count=abc'],
    exit: 2, stderr: 'aigis: error: t.yaml at $.Parameters.Count: --parameters Count="abc": the parameter is a Number and "abc" is not a number', stderrLines: 1,
  },
  {
    id: 'cfn-param-not-allowed', kind: 'cfn-yaml', attack: '--parameters value outside AllowedValues',
    files: { 't.yaml': corpus('cloudformation-yaml/parameters.yaml') }, argv: ['scan', '--iac', 't.yaml', '--parameters', 'Env=staging'],
    exit: 2, stderr: 'aigis: error: t.yaml at $.Parameters.Env: --parameters Env="staging": not one of the AllowedValues (dev, prod)', stderrLines: 1,
  },
  {
    id: 'cfn-param-malformed', kind: 'cfn-yaml', attack: '--parameters without =',
    files: { 't.yaml': corpus('cloudformation-yaml/parameters.yaml') }, argv: ['scan', '--iac', 't.yaml', '--parameters', 'novalue'],
    exit: 2, stderr: 'aigis: error: --parameters: expected Key=Value, got "novalue"', stderrLines: 1,
  },
  {
    id: 'cfn-param-constructor', kind: 'cfn-yaml', attack: 'a parameter named constructor: --parameters lookup must not reach Object.prototype',
    files: { 't.yaml': corpus('cloudformation-yaml/param-constructor.yaml') }, argv: ['scan', '--iac', 't.yaml', '--parameters', 'Env=prod', ...JSON_OUT],
    exit: 0, stderr: 'aigis: warning: --parameters Env: no CloudFormation template scanned declares this parameter; the value is not used',
    verify: shows('arn:aws:s3:::hostile-from-default'),
  },
  {
    id: 'cfn-ref-getatt-cycle', kind: 'cfn-yaml', attack: 'Ref/GetAtt cycle between two resources',
    files: { 'cycle.yaml': corpus('cloudformation-yaml/ref-cycle.yaml') }, argv: ['scan', '--iac', 'cycle.yaml'],
    exit: 2, stderr: { prefix: 'aigis: error: cycle.yaml at $.Resources.', includes: ['circular dependency between resources'] }, stderrLines: 1,
  },
  {
    id: 'cfn-select-out-of-range', kind: 'cfn-yaml', attack: '!Select [5, [a, b]] on a literal list',
    files: { 'select.yaml': corpus('cloudformation-yaml/select-oob.yaml') }, argv: ['scan', '--iac', 'select.yaml'],
    exit: 2, stderr: { prefix: 'aigis: error: select.yaml at $.Resources.Data.Properties.BucketName', includes: ['Fn::Select index 5 is out of range for a list of 2'] }, stderrLines: 1,
  },
  {
    id: 'cfn-undefined-condition', kind: 'cfn-yaml', attack: 'Condition naming nothing in Conditions',
    files: { 'cond.yaml': corpus('cloudformation-yaml/undefined-condition.yaml') }, argv: ['scan', '--iac', 'cond.yaml'],
    exit: 2, stderr: 'aigis: error: cond.yaml at $.Resources.Data.Condition: condition "IsProd" is used but not defined in Conditions', stderrLines: 1,
  },
  {
    id: 'cfn-condition-self', kind: 'cfn-yaml', attack: 'a condition defined as itself',
    files: { 'cond.yaml': corpus('cloudformation-yaml/condition-self.yaml') }, argv: ['scan', '--iac', 'cond.yaml'],
    exit: 2, stderr: { prefix: 'aigis: error: cond.yaml at $.Conditions.A' }, stderrLines: 1,
  },
  {
    id: 'cfn-getatt-missing', kind: 'cfn-yaml', attack: 'GetAtt to a resource that does not exist',
    files: { 't.yaml': corpus('cloudformation-yaml/getatt-missing.yaml') }, argv: ['scan', '--iac', 't.yaml'],
    exit: 2, stderr: { prefix: 'aigis: error: t.yaml at $.Resources.Data.Properties.BucketName', includes: ['Fn::GetAtt "Nothing": no such resource'] }, stderrLines: 1,
  },
  {
    id: 'cfn-dup-keys', kind: 'cfn-yaml', attack: 'duplicate logical id (a second declaration hiding the first)',
    files: { 't.yaml': corpus('cloudformation-yaml/dup-keys.yaml') }, argv: ['scan', '--iac', 't.yaml'],
    exit: 2, stderr: { prefix: 'aigis: error: t.yaml at $.Resources.Data: duplicate key "Data"' }, stderrLines: 1,
  },
  {
    id: 'cfn-malformed', kind: 'cfn-yaml', attack: 'unterminated flow collection',
    files: { 't.yaml': corpus('cloudformation-yaml/malformed.yaml') }, argv: ['scan', '--iac', 't.yaml'],
    exit: 2, stderr: { prefix: 'aigis: error: t.yaml: is not valid YAML/JSON (line ' }, stderrLines: 1,
  },
  {
    id: 'cfn-empty-file', kind: 'cfn-yaml', attack: 'empty file named explicitly',
    files: { 't.yaml': corpus('cloudformation-yaml/empty.yaml') }, argv: ['scan', '--iac', 't.yaml'],
    exit: 2, stderr: 'aigis: error: t.yaml: is not a CloudFormation template, a Terraform plan (terraform show -json) or an aigis inventory snapshot', stderrLines: 1,
  },
  {
    id: 'cfn-invalid-utf8', kind: 'cfn-yaml', attack: 'invalid UTF-8 in a bucket name',
    files: { 't.yaml': corpus('cloudformation-yaml/invalid-utf8.yaml') }, argv: ['scan', '--iac', 't.yaml'],
    exit: 2, stderr: 'aigis: error: t.yaml: is not valid UTF-8 text (invalid byte sequence; save it as UTF-8 or UTF-16)', stderrLines: 1,
  },
  {
    id: 'cfn-nul-byte', kind: 'cfn-yaml', attack: 'raw NUL byte in a bucket name (scanned, printed as \\x00)',
    files: { 't.yaml': corpus('cloudformation-yaml/nul-byte.yaml') }, argv: ['scan', '--iac', 't.yaml', ...JSON_OUT],
    exit: 0, stderr: summary(IAC_ACCOUNT), verify: shows('arn:aws:s3:::a\\x00b'),
  },
  {
    id: 'cfn-alias-undefined', kind: 'cfn-yaml', attack: 'alias with no anchor',
    files: { 't.yaml': corpus('cloudformation-yaml/alias-undefined.yaml') }, argv: ['scan', '--iac', 't.yaml'],
    exit: 2, stderr: { prefix: 'aigis: error: t.yaml' }, stderrLines: 1,
  },
  {
    id: 'cfn-number-1e309', kind: 'cfn-yaml', attack: 'numbers 1e309 and -1e309 in properties',
    files: { 't.yaml': corpus('cloudformation-yaml/number-1e309.yaml') }, argv: ['scan', '--iac', 't.yaml', ...JSON_OUT],
    exit: 0, stderr: summary(IAC_ACCOUNT),
  },
  {
    id: 'cfn-invalid-among-valid', kind: 'cfn-yaml', attack: 'one invalid template among valid ones: exit 2, the rest reported',
    files: { infra: corpusDir('cloudformation-yaml/invalid-among-valid') }, argv: ['scan', '--iac', 'infra', ...JSON_OUT],
    exit: 2, stderr: summary(IAC_ACCOUNT), writes: ['out.json'],
    stderrHas: ['aigis: error: infra/b-broken.yaml at $.Resources.Data.Properties.BucketName.Ref: Ref "Missing": not a parameter or resource of this template (CloudFormation rejects the template) (not scanned)'],
    verify: reportLists(['infra/a-logs.yaml', 'infra/c-data.yaml']),
  },
  {
    id: 'cfn-resources-list', kind: 'cfn-yaml', attack: 'Resources as a list',
    files: { 't.yaml': corpus('cloudformation-yaml/resources-list.yaml') }, argv: ['scan', '--iac', 't.yaml'],
    exit: 2, stderr: 'aigis: error: t.yaml at $.Resources: Resources must be a mapping of logical ids to resource declarations', stderrLines: 1,
  },
  {
    id: 'cfn-props-wrong-type', kind: 'cfn-yaml', attack: 'properties of the wrong type (string encryption, list versioning)',
    files: { 't.yaml': corpus('cloudformation-yaml/props-wrong-type.yaml') }, argv: ['scan', '--iac', 't.yaml', ...JSON_OUT],
    exit: 0, stderr: summary(IAC_ACCOUNT),
  },
  {
    id: 'cfn-policy-no-statement', kind: 'cfn-yaml', attack: 'inline policy without Statement: the error names the template path',
    files: { 't.yaml': corpus('cloudformation-yaml/policy-no-statement.yaml') }, argv: ['scan', '--iac', 't.yaml'],
    exit: 2, stderr: { prefix: 'aigis: error: t.yaml at $.Resources.Role.Properties.Policies[0].PolicyDocument' }, stderrLines: 1,
  },
  {
    id: 'cfn-huge-arn', kind: 'cfn-yaml', attack: '2 MB ARN in a role inline policy',
    files: { 't.yaml': generate(() => gen.cfnHugeArn()) }, argv: ['scan', '--iac', 't.yaml', ...JSON_OUT],
    exit: 0, stderr: summary(IAC_ACCOUNT),
  },
];

const cfnJsonCases: HostileCase[] = [
  {
    id: 'cfnj-bom-in-dir', kind: 'cfn-json', attack: 'UTF-8 BOM JSON template in a directory (must be scanned)',
    files: { infra: corpusDir('cloudformation-json/bom-dir') }, argv: ['scan', '--iac', 'infra', ...JSON_OUT],
    exit: 0, stderr: summary(IAC_ACCOUNT), verify: reportLists(['infra/a-bom.json', 'infra/b-plain.json']),
  },
  {
    id: 'cfnj-utf16le-bom', kind: 'cfn-json', attack: 'UTF-16 LE template with BOM (accepted)',
    files: { 't.json': corpus('cloudformation-json/utf16le-bom.json') }, argv: ['scan', '--iac', 't.json', ...JSON_OUT],
    exit: 0, stderr: summary(IAC_ACCOUNT),
  },
  {
    id: 'cfnj-dup-keys', kind: 'cfn-json', attack: 'duplicate logical id in JSON',
    files: { 't.json': corpus('cloudformation-json/dup-keys.json') }, argv: ['scan', '--iac', 't.json'],
    exit: 2, stderr: { prefix: 'aigis: error: t.json at $.Resources.Data: duplicate key "Data"' }, stderrLines: 1,
  },
  {
    id: 'cfnj-malformed-newline', kind: 'cfn-json', attack: 'raw newline in a string, then a stray ]: one-line error',
    files: { 't.json': corpus('cloudformation-json/malformed-newline.json') }, argv: ['scan', '--iac', 't.json'],
    exit: 2, stderr: { prefix: 'aigis: error: t.json: is not valid YAML/JSON (line 5, column' }, stderrLines: 1,
  },
  {
    id: 'cfnj-stars', kind: 'cfn-json', attack: 's3:/iam: + 30 stars + x in a managed policy',
    files: { 't.json': corpus('cloudformation-json/stars.json') }, argv: ['scan', '--iac', 't.json', ...JSON_OUT],
    exit: 0, stderr: summary(IAC_ACCOUNT),
  },
  {
    id: 'cfnj-escapes', kind: 'cfn-json', attack: 'escapes and workflow commands in bucket name and tag keys',
    files: { 't.json': corpus('cloudformation-json/escapes.json') }, argv: ['scan', '--iac', 't.json', ...JSON_OUT],
    exit: 0, stderr: summary(IAC_ACCOUNT), verify: shows('data\\x1b]0;pwned\\x07'),
  },
  {
    id: 'cfnj-select-out-of-range', kind: 'cfn-json', attack: 'Fn::Select 99 on a literal list of 3',
    files: { 't.json': corpus('cloudformation-json/fn-select-oob.json') }, argv: ['scan', '--iac', 't.json'],
    exit: 2, stderr: { prefix: 'aigis: error: t.json at $.Resources.Data.Properties.BucketName', includes: ['Fn::Select index 99 is out of range for a list of 3'] }, stderrLines: 1,
  },
  {
    id: 'cfnj-deep-300', kind: 'cfn-json', attack: 'JSON template nested 300 deep',
    files: { 't.json': generate(() => gen.cfnJsonDeep(300)) }, argv: ['scan', '--iac', 't.json'],
    exit: 2, stderr: { prefix: 'aigis: error: t.json', includes: ['nested'] }, stderrLines: 1,
  },
  {
    id: 'cfnj-huge-line', kind: 'cfn-json', attack: '3 MB single-line JSON template (valid)',
    files: { 't.json': generate(() => gen.cfnHugeSingleLine()) }, argv: ['scan', '--iac', 't.json', ...JSON_OUT],
    exit: 0, stderr: summary(IAC_ACCOUNT),
  },
];

const tfCases: HostileCase[] = [
  ...(['utf16le-bom', 'utf16le', 'utf16be-bom', 'utf16be'] as const).map(
    (variant): HostileCase => ({
      id: `tf-${variant}`, kind: 'tf-plan', attack: `plan written as ${variant.replace('-bom', ' with BOM').replace(/^utf16(le|be)$/, 'utf16$1 without BOM')} (accepted)`,
      files: { 'plan.json': corpus(`terraform-plan/${variant}.json`) }, argv: ['scan', '--iac', 'plan.json', ...JSON_OUT],
      exit: 0, stderr: summary(IAC_ACCOUNT), verify: reportLists(['plan.json']),
    }),
  ),
  {
    id: 'tf-planned-values-oops', kind: 'tf-plan', attack: 'planned_values: "oops"',
    files: { 'plan.json': corpus('terraform-plan/planned-values-oops.json') }, argv: ['scan', '--iac', 'plan.json'],
    exit: 2, stderr: { prefix: 'aigis: error: plan.json at $.planned_values: ' }, stderrLines: 1,
  },
  {
    id: 'tf-null-planned-values', kind: 'tf-plan', attack: 'planned_values null, resource_changes a string',
    files: { 'plan.json': corpus('terraform-plan/null-planned-values.json') }, argv: ['scan', '--iac', 'plan.json'],
    exit: 2, stderr: { prefix: 'aigis: error: plan.json at $.' }, stderrLines: 1,
  },
  {
    id: 'tf-nested-modules-5000', kind: 'tf-plan', attack: '5,000 child modules nested one in another',
    files: { 'plan.json': generate(() => gen.planNestedModules(5_000)) }, argv: ['scan', '--iac', 'plan.json'],
    exit: 2, stderr: { prefix: 'aigis: error: plan.json at $.planned_values.root_module.child_modules[0]', includes: ['nested'] }, stderrLines: 1,
  },
  {
    id: 'tf-nested-modules-110', kind: 'tf-plan', attack: '110 nested child modules (within JSON depth, past the module limit)',
    files: { 'plan.json': generate(() => gen.planNestedModules(110)) }, argv: ['scan', '--iac', 'plan.json'],
    exit: 2, stderr: 'aigis: error: plan.json at $.planned_values.root_module.child_modules[0]: modules are nested deeper than 100 levels inside (child_modules)', stderrLines: 1,
  },
  {
    id: 'tf-deep-values-300', kind: 'tf-plan', attack: 'resource values nested 300 deep',
    files: { 'plan.json': generate(() => gen.planDeepValues(300)) }, argv: ['scan', '--iac', 'plan.json'],
    exit: 2, stderr: { prefix: 'aigis: error: plan.json at $.planned_values.root_module.resources[0].values', includes: ['nested more than 256 levels deep'] }, stderrLines: 1,
  },
  {
    id: 'tf-dup-keys', kind: 'tf-plan', attack: 'duplicate "bucket" key in resource values',
    files: { 'plan.json': corpus('terraform-plan/dup-keys.json') }, argv: ['scan', '--iac', 'plan.json'],
    exit: 2, stderr: 'aigis: error: plan.json at $.planned_values.root_module.resources[0].values.bucket: duplicate key "bucket" (line 4): each key may appear once', stderrLines: 1,
  },
  {
    id: 'tf-stars-policy', kind: 'tf-plan', attack: 's3:+30 stars+x in an aws_iam_policy document string',
    files: { 'plan.json': corpus('terraform-plan/stars-policy.json') }, argv: ['scan', '--iac', 'plan.json', ...JSON_OUT],
    exit: 0, stderr: summary(IAC_ACCOUNT),
  },
  {
    id: 'tf-unsupported-format', kind: 'tf-plan', attack: 'format_version 9.0',
    files: { 'plan.json': corpus('terraform-plan/unsupported-format.json') }, argv: ['scan', '--iac', 'plan.json'],
    exit: 2, stderr: { prefix: 'aigis: error: plan.json at $.format_version: ', includes: ['"9.0"'] }, stderrLines: 1,
  },
  {
    id: 'tf-resources-not-list', kind: 'tf-plan', attack: 'root_module.resources as an object',
    files: { 'plan.json': corpus('terraform-plan/resources-not-list.json') }, argv: ['scan', '--iac', 'plan.json'],
    exit: 2, stderr: { prefix: 'aigis: error: plan.json at $.planned_values.root_module.resources: ' }, stderrLines: 1,
  },
  {
    id: 'tf-escapes', kind: 'tf-plan', attack: 'escapes, ::error and ::add-mask in bucket name and tags',
    files: { 'plan.json': corpus('terraform-plan/escapes.json') }, argv: ['scan', '--iac', 'plan.json', ...JSON_OUT],
    exit: 0, stderr: summary(IAC_ACCOUNT), verify: shows('data\\x1b]0;pwned\\x07\\n::error file=x::forged'),
  },
  {
    id: 'tf-number-1e309', kind: 'tf-plan', attack: 'schema_version 1e309',
    files: { 'plan.json': corpus('terraform-plan/number-1e309.json') }, argv: ['scan', '--iac', 'plan.json', ...JSON_OUT],
    exit: 0, stderr: summary(IAC_ACCOUNT),
  },
  {
    id: 'tf-truncated', kind: 'tf-plan', attack: 'plan cut in half',
    files: { 'plan.json': corpus('terraform-plan/truncated.json') }, argv: ['scan', '--iac', 'plan.json'],
    exit: 2, stderr: { prefix: 'aigis: error: plan.json: is not valid JSON: ' }, stderrLines: 1,
  },
  {
    id: 'tf-policy-not-json', kind: 'tf-plan', attack: 'aws_iam_policy whose policy string is broken JSON',
    files: { 'plan.json': corpus('terraform-plan/policy-not-json.json') }, argv: ['scan', '--iac', 'plan.json'],
    exit: 2, stderr: { prefix: 'aigis: error: plan.json at $.planned_values.root_module.resources[0].values.policy' }, stderrLines: 1,
  },
];

const policyCases: HostileCase[] = [
  {
    id: 'pol-stars-action', kind: 'policy', attack: 's3: + 30 stars + x (catastrophic backtracking)',
    files: { 'p.json': corpus('policy/stars-action.json') }, argv: ['policy', 'check', 'p.json', ...JSON_OUT],
    exit: 0, stderr: summary('unknown'),
  },
  {
    id: 'pol-stars-everywhere', kind: 'policy', attack: 'stars and ? in NotAction, Resource, StringLike and ArnLike',
    files: { 'p.json': corpus('policy/stars-everywhere.json') }, argv: ['policy', 'check', 'p.json', ...JSON_OUT],
    exit: 0, stderr: summary('unknown'),
  },
  {
    id: 'pol-10k-statements', kind: 'policy', attack: '10,000 statements (quadratic checks)',
    files: { 'p.json': generate(() => gen.policyManyStatements(10_000)) }, argv: ['policy', 'check', 'p.json', ...JSON_OUT],
    exit: 0, stderr: summary('unknown'),
  },
  {
    id: 'pol-huge-arn', kind: 'policy', attack: '2 MB ARN (past the 2,048-character string limit)',
    files: { 'p.json': generate(() => gen.policyHugeArn()) }, argv: ['policy', 'check', 'p.json', ...JSON_OUT],
    exit: 2, stderr: { prefix: 'aigis: error: p.json at $.Statement[0].Resource: a string of ', includes: ['characters is longer than the limit of 2,048'] }, stderrLines: 1,
  },
  {
    id: 'pol-dup-effect', kind: 'policy', attack: '"Effect":"Deny","Effect":"Allow"',
    files: { 'p.json': corpus('policy/dup-effect.json') }, argv: ['policy', 'check', 'p.json'],
    exit: 2, stderr: 'aigis: error: p.json at $.Statement[0].Effect: duplicate key "Effect" (line 4): each key may appear once', stderrLines: 1,
  },
  {
    id: 'pol-bom', kind: 'policy', attack: 'UTF-8 BOM (accepted)',
    files: { 'p.json': corpus('policy/bom.json') }, argv: ['policy', 'check', 'p.json', ...JSON_OUT],
    exit: 0, stderr: summary('unknown'),
  },
  {
    id: 'pol-utf16le-bom', kind: 'policy', attack: 'UTF-16 LE with BOM (accepted, as every input)',
    files: { 'p.json': corpus('policy/utf16le-bom.json') }, argv: ['policy', 'check', 'p.json', ...JSON_OUT],
    exit: 0, stderr: summary('unknown'),
  },
  {
    id: 'pol-invalid-utf8', kind: 'policy', attack: 'invalid UTF-8 in a Sid',
    files: { 'p.json': corpus('policy/invalid-utf8.json') }, argv: ['policy', 'check', 'p.json'],
    exit: 2, stderr: 'aigis: error: p.json: is not valid UTF-8 text (invalid byte sequence; save it as UTF-8 or UTF-16)', stderrLines: 1,
  },
  {
    id: 'pol-empty', kind: 'policy', attack: 'empty file',
    files: { 'p.json': corpus('policy/empty.json') }, argv: ['policy', 'check', 'p.json'],
    exit: 2, stderr: { prefix: 'aigis: error: p.json: is not valid JSON: ' }, stderrLines: 1,
  },
  {
    id: 'pol-malformed-newline', kind: 'policy', attack: 'raw newline in an action: one-line error',
    files: { 'p.json': corpus('policy/malformed-newline.json') }, argv: ['policy', 'check', 'p.json'],
    exit: 2, stderr: { prefix: 'aigis: error: p.json: is not valid JSON: ' }, stderrLines: 1,
  },
  {
    id: 'pol-nul-byte', kind: 'policy', attack: 'raw NUL byte inside an action',
    files: { 'p.json': corpus('policy/nul-byte.json') }, argv: ['policy', 'check', 'p.json'],
    exit: 2, stderr: { prefix: 'aigis: error: p.json: is not valid JSON: ' }, stderrLines: 1,
  },
  {
    id: 'pol-escapes', kind: 'policy', attack: 'escapes, ::error and ::add-mask in Sid, actions and resources',
    files: { 'p.json': corpus('policy/escapes-sid.json') }, argv: ['policy', 'check', 'p.json', ...JSON_OUT],
    exit: 0, stderr: summary('unknown'), verify: shows('statement 0 (x\\x1b]0;pwned\\x07\\n::error file=x::forged)'),
  },
  {
    id: 'pol-escapes-filename', kind: 'policy', attack: 'escapes and ::error in a policy file name',
    files: { [`${HOSTILE_NAME}.json`]: corpus('policy/empty.json') }, argv: ['policy', 'check', `${HOSTILE_NAME}.json`],
    exit: 2, stderr: { prefix: `aigis: error: ${HOSTILE_NAME_SHOWN}.json: is not valid JSON: ` }, stderrLines: 1,
  },
  {
    id: 'pol-number-1e309', kind: 'policy', attack: 'NumericLessThan 1e309',
    files: { 'p.json': corpus('policy/number-1e309.json') }, argv: ['policy', 'check', 'p.json', ...JSON_OUT],
    exit: 0, stderr: summary('unknown'),
  },
  {
    id: 'pol-url-encoded-bad', kind: 'policy', attack: 'broken URL encoding in a get-bucket-policy wrapper',
    files: { 'p.json': corpus('policy/url-encoded-bad.json') }, argv: ['policy', 'check', 'p.json', ...JSON_OUT],
    exit: 0, stderr: summary('unknown'),
  },
  {
    id: 'pol-statement-number', kind: 'policy', attack: '"Statement": 5 (a syntax-error finding, exit 1 at high)',
    files: { 'p.json': corpus('policy/statement-number.json') }, argv: ['policy', 'check', 'p.json', '--fail-on', 'high', ...JSON_OUT],
    exit: 1, stderr: summary('unknown'),
  },
  {
    id: 'pol-proto-keys', kind: 'policy', attack: '__proto__ and constructor as condition operators',
    files: { 'p.json': corpus('policy/proto-keys.json') }, argv: ['policy', 'check', 'p.json', ...JSON_OUT],
    exit: 0, stderr: summary('unknown'),
  },
  {
    id: 'pol-dir-mixed', kind: 'policy', attack: 'directory with a policy, a package.json and a text file',
    files: { policies: corpusDir('policy/dir-mixed') }, argv: ['policy', 'check', 'policies', '--fail-on', 'critical', ...JSON_OUT],
    exit: 1, stderr: summary('unknown'),
  },
  {
    id: 'pol-dir-broken', kind: 'policy', attack: 'directory with one broken JSON file',
    files: { policies: corpusDir('policy/dir-broken') }, argv: ['policy', 'check', 'policies'],
    exit: 2, stderr: { prefix: 'aigis: error: policies/broken.json: is not valid JSON: ' }, stderrLines: 1,
  },
  {
    id: 'pol-deep-300', kind: 'policy', attack: 'condition nested 300 deep',
    files: { 'p.json': generate(() => gen.deepJson({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }, 'Deep', 300)) },
    argv: ['policy', 'check', 'p.json'],
    exit: 2, stderr: 'aigis: error: p.json at $.Deep.a.a.a.a.a.a.a: is nested more than 256 levels deep', stderrLines: 1,
  },
];

const configCases: HostileCase[] = [
  {
    id: 'cfg-dup-failOn', kind: 'config', attack: 'failOn given twice (critical, then none)',
    files: { 'c.json': corpus('config/dup-failOn.json') }, argv: ['scan', '--demo', '--config', 'c.json'],
    exit: 2, stderr: 'aigis: error: c.json at $.failOn: duplicate key "failOn" (line 3): each key may appear once', stderrLines: 1,
  },
  {
    id: 'cfg-alias-bomb', kind: 'config', attack: 'YAML billion laughs in the config',
    files: { 'c.yaml': corpus('config/alias-bomb.yaml') }, argv: ['scan', '--demo', '--config', 'c.yaml'],
    exit: 2, stderr: { prefix: 'aigis: error: c.yaml' }, stderrLines: 1,
  },
  {
    id: 'cfg-unknown-rule', kind: 'config', attack: 'rules entry for a rule that does not exist',
    files: { 'c.yaml': corpus('config/unknown-rule.yaml') }, argv: ['scan', '--demo', '--config', 'c.yaml'],
    exit: 2, stderr: { prefix: 'aigis: error: c.yaml at $.rules["s3-no-such-rule"]: unknown rule id "s3-no-such-rule"' }, stderrLines: 1,
  },
  {
    id: 'cfg-fail-on-bogus', kind: 'config', attack: 'failOn: bogus',
    files: { 'c.yaml': corpus('config/fail-on-bogus.yaml') }, argv: ['scan', '--demo', '--config', 'c.yaml'],
    exit: 2, stderr: { prefix: 'aigis: error: c.yaml at $.failOn: ' }, stderrLines: 1,
  },
  {
    id: 'cfg-glob-stars', kind: 'config', attack: 'globs *a*a*...*b in approvedModels and suppressions against 60-char names',
    files: { 'snap.json': corpus('config/glob-stars/snap.json'), 'c.yaml': corpus('config/glob-stars/c.yaml') },
    argv: ['scan', '--input', 'snap.json', '--config', 'c.yaml', ...JSON_OUT],
    exit: 0,
    stderr: { prefix: 'aigis: warning: suppression c.yaml at $.suppressions[0] (rule s3-*, resource *a*a*a*', includes: ['matches no failing or unknown finding'] },
    stderrHas: ['  [HIGH] bedrock-model-allowlist  arn:aws:iam::444455556666:role/' + 'a'.repeat(60)],
  },
  {
    id: 'cfg-bom', kind: 'config', attack: 'UTF-8 BOM YAML config (accepted)',
    files: { 'c.yaml': corpus('config/bom.yaml') }, argv: ['scan', '--demo', '--config', 'c.yaml', ...JSON_OUT],
    exit: 0, stderr: summary(DEMO_ACCOUNT),
  },
  {
    id: 'cfg-utf16le-bom', kind: 'config', attack: 'UTF-16 LE JSON config with BOM (accepted)',
    files: { 'c.json': corpus('config/utf16le-bom.json') }, argv: ['scan', '--demo', '--config', 'c.json', ...JSON_OUT],
    exit: 0, stderr: summary(DEMO_ACCOUNT),
  },
  {
    id: 'cfg-invalid-utf8', kind: 'config', attack: 'invalid UTF-8 in a suppression reason',
    files: { 'c.yaml': corpus('config/invalid-utf8.yaml') }, argv: ['scan', '--demo', '--config', 'c.yaml'],
    exit: 2, stderr: 'aigis: error: c.yaml: is not valid UTF-8 text (invalid byte sequence; save it as UTF-8 or UTF-16)', stderrLines: 1,
  },
  {
    id: 'cfg-empty', kind: 'config', attack: 'empty config file (every key optional)',
    files: { 'c.yaml': corpus('config/empty.yaml') }, argv: ['scan', '--demo', '--config', 'c.yaml', ...JSON_OUT],
    exit: 0, stderr: summary(DEMO_ACCOUNT),
  },
  {
    id: 'cfg-escapes', kind: 'config', attack: 'escapes and ::error in a suppression that matches nothing (warning)',
    files: { 'c.yaml': corpus('config/escapes.yaml') }, argv: ['scan', '--demo', '--config', 'c.yaml', ...JSON_OUT],
    exit: 0, stderr: { prefix: 'aigis: warning: ', includes: ['nothing\\x1b]0;pwned\\x07\\n::error file=x::forged'] },
  },
  {
    id: 'cfg-missing-reason', kind: 'config', attack: 'suppression without a reason',
    files: { 'c.yaml': corpus('config/missing-reason.yaml') }, argv: ['scan', '--demo', '--config', 'c.yaml'],
    exit: 2, stderr: 'aigis: error: c.yaml at $.suppressions[0].reason: a suppression needs a reason (why the risk is accepted)', stderrLines: 1,
  },
  {
    id: 'cfg-malformed-newline', kind: 'config', attack: 'raw newline in a JSON string: one-line error',
    files: { 'c.json': corpus('config/malformed-newline.json') }, argv: ['scan', '--demo', '--config', 'c.json'],
    exit: 2, stderr: { prefix: 'aigis: error: c.json: is not valid ' }, stderrLines: 1,
  },
  {
    id: 'cfg-not-mapping', kind: 'config', attack: 'a YAML list instead of a mapping',
    files: { 'c.yaml': corpus('config/not-mapping.yaml') }, argv: ['scan', '--demo', '--config', 'c.yaml'],
    exit: 2, stderr: { prefix: 'aigis: error: c.yaml' }, stderrLines: 1,
  },
  {
    id: 'cfg-number-1e309', kind: 'config', attack: 'severity: 1e309',
    files: { 'c.json': corpus('config/number-1e309.json') }, argv: ['scan', '--demo', '--config', 'c.json'],
    exit: 2, stderr: { prefix: 'aigis: error: c.json at $.rules["s3-versioning"]' }, stderrLines: 1,
  },
  {
    id: 'cfg-deep-300', kind: 'config', attack: 'JSON config nested 300 deep',
    files: { 'c.json': generate(() => gen.deepJson({ failOn: 'high' }, 'x', 300)) }, argv: ['scan', '--demo', '--config', 'c.json'],
    exit: 2, stderr: 'aigis: error: c.json at $.x.a.a.a.a.a.a.a: is nested more than 256 levels deep', stderrLines: 1,
  },
  {
    id: 'cfg-missing-file', kind: 'config', attack: '--config naming no file',
    files: {}, argv: ['scan', '--demo', '--config', 'nope.yaml'],
    exit: 2, stderr: { prefix: 'aigis: error: nope.yaml' }, stderrLines: 1,
  },
];

const baselineCases: HostileCase[] = [
  {
    id: 'bl-other-account', kind: 'baseline', attack: 'a baseline of another account (fingerprints never match)',
    files: { 'b.json': corpus('baseline/other-account.json') }, argv: ['scan', '--demo', '--baseline', 'b.json'],
    exit: 2, stderr: `aigis: error: --baseline b.json: a report of account 999999999999, but this scan is of account ${DEMO_ACCOUNT}; fingerprints of different accounts never match`, stderrLines: 1,
  },
  {
    id: 'bl-not-report', kind: 'baseline', attack: '{} as a baseline',
    files: { 'b.json': corpus('baseline/not-report.json') }, argv: ['scan', '--demo', '--baseline', 'b.json'],
    exit: 2, stderr: 'aigis: error: b.json: baseline must be an aigis JSON report (with reportVersion) or a SARIF log (with runs)', stderrLines: 1,
  },
  {
    id: 'bl-sarif-other-tool', kind: 'baseline', attack: 'SARIF from another tool',
    files: { 'b.sarif': corpus('baseline/sarif-other-tool.json') }, argv: ['scan', '--demo', '--baseline', 'b.sarif'],
    exit: 2, stderr: 'aigis: error: b.sarif at $.runs[0].tool.driver.name: run was produced by "checkov", not aigis: its fingerprints cannot match', stderrLines: 1,
  },
  {
    id: 'bl-sarif-two-accounts', kind: 'baseline', attack: 'SARIF runs of two accounts',
    files: { 'b.sarif': corpus('baseline/sarif-two-accounts.json') }, argv: ['scan', '--demo', '--baseline', 'b.sarif'],
    exit: 2, stderr: { prefix: 'aigis: error: b.sarif at $.runs[1].properties.account.id: runs of different accounts' }, stderrLines: 1,
  },
  {
    id: 'bl-malformed-newline', kind: 'baseline', attack: 'raw newline in a string: one-line error',
    files: { 'b.json': corpus('baseline/malformed-newline.json') }, argv: ['scan', '--demo', '--baseline', 'b.json'],
    exit: 2, stderr: { prefix: 'aigis: error: b.json: ', includes: ['not valid JSON', '(line 2, column'] }, stderrLines: 1,
  },
  {
    id: 'bl-empty', kind: 'baseline', attack: 'empty baseline file',
    files: { 'b.json': corpus('baseline/empty.json') }, argv: ['scan', '--demo', '--baseline', 'b.json'],
    exit: 2, stderr: { prefix: 'aigis: error: b.json: ', includes: ['not valid JSON'] }, stderrLines: 1,
  },
  {
    id: 'bl-dup-keys', kind: 'baseline', attack: 'account id given twice (another account, then this one)',
    files: { 'b.json': corpus('baseline/dup-keys.json') }, argv: ['scan', '--demo', '--baseline', 'b.json'],
    exit: 2, stderr: 'aigis: error: b.json at $.account.id: duplicate key "id" (line 3): each key may appear once', stderrLines: 1,
  },
  {
    id: 'bl-bom', kind: 'baseline', attack: 'UTF-8 BOM baseline (accepted)',
    files: { 'b.json': corpus('baseline/bom.json') }, argv: ['scan', '--demo', '--baseline', 'b.json', ...JSON_OUT],
    exit: 0, stderr: summary(DEMO_ACCOUNT),
  },
  {
    id: 'bl-utf16le-bom', kind: 'baseline', attack: 'UTF-16 LE baseline with BOM (accepted)',
    files: { 'b.json': corpus('baseline/utf16le-bom.json') }, argv: ['scan', '--demo', '--baseline', 'b.json', ...JSON_OUT],
    exit: 0, stderr: summary(DEMO_ACCOUNT),
  },
  {
    id: 'bl-invalid-utf8', kind: 'baseline', attack: 'invalid UTF-8 bytes',
    files: { 'b.json': corpus('baseline/invalid-utf8.json') }, argv: ['scan', '--demo', '--baseline', 'b.json'],
    exit: 2, stderr: 'aigis: error: b.json: is not valid UTF-8 text (invalid byte sequence; save it as UTF-8 or UTF-16)', stderrLines: 1,
  },
  {
    id: 'bl-bad-fingerprint', kind: 'baseline', attack: 'a fingerprint holding an OSC title sequence',
    files: { 'b.json': corpus('baseline/bad-fingerprint.json') }, argv: ['scan', '--demo', '--baseline', 'b.json'],
    exit: 2, stderr: 'aigis: error: b.json at $.findings[0].fingerprint: expected an aigis fingerprint (32 lowercase hex characters)', stderrLines: 1,
  },
  {
    id: 'bl-deep-300', kind: 'baseline', attack: 'baseline nested 300 deep',
    files: { 'b.json': generate(() => gen.deepJson({ reportVersion: '1.0', findings: [] }, 'x', 300)) }, argv: ['scan', '--demo', '--baseline', 'b.json'],
    exit: 2, stderr: 'aigis: error: b.json at $.x.a.a.a.a.a.a.a: is nested more than 256 levels deep', stderrLines: 1,
  },
  {
    id: 'bl-missing-file', kind: 'baseline', attack: '--baseline naming no file',
    files: {}, argv: ['scan', '--demo', '--baseline', 'nope.json'],
    exit: 2, stderr: { prefix: 'aigis: error: nope.json: cannot read baseline (ENOENT)' }, stderrLines: 1,
  },
];

const SNAP = { 'snap.json': corpus('snapshot/valid.json') };
const TEMPLATE = { 't.yaml': corpus('cloudformation-yaml/parameters.yaml') };
const EMPTY_LIST = (flag: string) => `aigis: error: ${flag}: empty value (give one or more, comma-separated, or leave the flag out)`;

const flagCases: HostileCase[] = [
  { id: 'flag-format-empty', kind: 'flags', attack: '--format ""', files: SNAP, argv: ['scan', '--input', 'snap.json', '--format', ''], exit: 2, stderr: EMPTY_LIST('--format'), stderrLines: 1 },
  { id: 'flag-format-comma', kind: 'flags', attack: '--format ","', files: SNAP, argv: ['scan', '--input', 'snap.json', '--format', ','], exit: 2, stderr: EMPTY_LIST('--format'), stderrLines: 1 },
  { id: 'flag-rules-empty', kind: 'flags', attack: '--rules ""', files: SNAP, argv: ['scan', '--input', 'snap.json', '--rules', ''], exit: 2, stderr: EMPTY_LIST('--rules'), stderrLines: 1 },
  { id: 'flag-framework-empty', kind: 'flags', attack: '--framework ""', files: SNAP, argv: ['scan', '--input', 'snap.json', '--framework', ''], exit: 2, stderr: EMPTY_LIST('--framework'), stderrLines: 1 },
  {
    id: 'flag-fail-on-bogus', kind: 'flags', attack: '--fail-on bogus', files: SNAP, argv: ['scan', '--input', 'snap.json', '--fail-on', 'bogus'],
    exit: 2, stderr: 'aigis: error: --fail-on: unknown severity "bogus" (choose from critical, high, medium, low, info, none)', stderrLines: 1,
  },
  {
    id: 'flag-fail-on-empty', kind: 'flags', attack: '--fail-on ""', files: SNAP, argv: ['scan', '--input', 'snap.json', '--fail-on', ''],
    exit: 2, stderr: { prefix: 'aigis: error: --fail-on: ' }, stderrLines: 1,
  },
  {
    id: 'flag-format-unknown', kind: 'flags', attack: '--format pdf', files: SNAP, argv: ['scan', '--input', 'snap.json', '--format', 'json,pdf'],
    exit: 2, stderr: { prefix: 'aigis: error: --format: unknown format "pdf"' }, stderrLines: 1,
  },
  {
    id: 'flag-rules-unknown', kind: 'flags', attack: '--rules naming no rule', files: SNAP, argv: ['scan', '--input', 'snap.json', '--rules', 's3-versioning,nope'],
    exit: 2, stderr: 'aigis: error: --rules: unknown rule id "nope" (see `aigis rules`)', stderrLines: 1,
  },
  {
    id: 'flag-live-profile-with-input', kind: 'flags', attack: '--profile beside --input (silently ignored before)', files: SNAP,
    argv: ['scan', '--input', 'snap.json', '--profile', 'prod'],
    exit: 2, stderr: 'aigis: error: --profile: a flag of a live scan, not used with --input (a live scan is one without --input, --iac and --demo)', stderrLines: 1,
  },
  {
    id: 'flag-live-flags-with-input', kind: 'flags', attack: '--regions all and --role-arn beside --input', files: SNAP,
    argv: ['scan', '--input', 'snap.json', '--regions', 'all', '--role-arn', 'arn:aws:iam::111122223333:role/x'],
    exit: 2, stderr: { prefix: 'aigis: error: --regions, --role-arn: flags of a live scan, not used with --input' }, stderrLines: 1,
  },
  {
    id: 'flag-live-with-iac', kind: 'flags', attack: '--endpoint-url beside --iac', files: TEMPLATE,
    argv: ['scan', '--iac', 't.yaml', '--endpoint-url', 'http://localhost:4566'],
    exit: 2, stderr: { prefix: 'aigis: error: --endpoint-url: a flag of a live scan, not used with --iac' }, stderrLines: 1,
  },
  {
    id: 'flag-live-with-demo', kind: 'flags', attack: '--stats beside --demo', files: {},
    argv: ['scan', '--demo', '--stats'],
    exit: 2, stderr: { prefix: 'aigis: error: --stats: a flag of a live scan, not used with --demo' }, stderrLines: 1,
  },
  { id: 'flag-output-empty', kind: 'flags', attack: '--output ""', files: SNAP, argv: ['scan', '--input', 'snap.json', '--output', ''], exit: 2, stderr: 'aigis: error: --output: empty path', stderrLines: 1 },
  {
    id: 'flag-output-file-two-formats', kind: 'flags', attack: '-o report.json with two formats (no directory report.json)', files: SNAP,
    argv: ['scan', '--input', 'snap.json', '--format', 'json,sarif', '-o', 'report.json'],
    exit: 2, stderr: { prefix: 'aigis: error: --output report.json: with several formats (json, sarif) the output is a directory' }, stderrLines: 1,
  },
  {
    id: 'flag-two-inputs', kind: 'flags', attack: '--input given twice', files: SNAP, argv: ['scan', '--input', 'snap.json', '--input', 'snap.json'],
    exit: 2, stderr: 'aigis: error: --input: snap.json is given twice', stderrLines: 1,
  },
  {
    id: 'flag-parameters-without-iac', kind: 'flags', attack: '--parameters without --iac', files: SNAP, argv: ['scan', '--input', 'snap.json', '--parameters', 'A=1'],
    exit: 2, stderr: 'aigis: error: --parameters applies to CloudFormation templates given with --iac', stderrLines: 1,
  },
  {
    id: 'flag-parameters-bad-name', kind: 'flags', attack: '--parameters with a key CloudFormation cannot declare', files: TEMPLATE,
    argv: ['scan', '--iac', 't.yaml', '--parameters', 'a-b=1'],
    exit: 2, stderr: 'aigis: error: --parameters: "a-b" is not a CloudFormation parameter name (letters and digits only)', stderrLines: 1,
  },
  {
    id: 'flag-account-id-bad', kind: 'flags', attack: '--account-id abc with --iac', files: TEMPLATE, argv: ['scan', '--iac', 't.yaml', '--account-id', 'abc'],
    exit: 2, stderr: 'aigis: error: --account-id: expected 12 digits, got "abc"', stderrLines: 1,
  },
  {
    id: 'flag-demo-and-iac', kind: 'flags', attack: '--demo with --iac', files: TEMPLATE, argv: ['scan', '--demo', '--iac', 't.yaml'],
    exit: 2, stderr: { prefix: 'aigis: error: Arguments demo and iac are mutually exclusive' },
  },
  {
    id: 'flag-unknown', kind: 'flags', attack: 'an unknown flag', files: SNAP, argv: ['scan', '--input', 'snap.json', '--bogus'],
    exit: 2, stderr: 'aigis: error: Unknown argument: bogus',
  },
  {
    id: 'flag-escapes-in-value', kind: 'flags', attack: 'OSC title and CSI in a --rules value',
    files: SNAP, argv: ['scan', '--input', 'snap.json', '--rules', '\u001b]0;pwned\u0007\u001b[2J'],
    exit: 2, stderr: 'aigis: error: --rules: unknown rule id "\\x1b]0;pwned\\x07\\x1b[2J" (see `aigis rules`)', stderrLines: 1,
  },
  {
    id: 'flag-workflow-command-in-value', kind: 'flags', attack: 'newline + ::error / ::add-mask in a --fail-on value',
    files: SNAP, argv: ['scan', '--input', 'snap.json', '--fail-on', '\n::error file=x::forged\n::add-mask::x'],
    exit: 2, stderr: 'aigis: error: --fail-on: unknown severity "\\n::error file=x::forged\\n::add-mask::x" (choose from critical, high, medium, low, info, none)', stderrLines: 1,
  },
  {
    id: 'flag-no-command', kind: 'flags', attack: 'aigis with no command', files: {}, argv: [],
    exit: 2, stderr: { prefix: 'aigis: error: give a command (', includes: ['policy'] },
  },
  {
    id: 'flag-policy-type-bogus', kind: 'flags', attack: 'policy check --type bogus', files: { 'p.json': corpus('policy/valid.json') },
    argv: ['policy', 'check', 'p.json', '--type', 'bogus'],
    exit: 2, stderr: 'aigis: error: --type: unknown policy type "bogus" (choose from identity, resource, trust, scp)', stderrLines: 1,
  },
  {
    id: 'flag-policy-account-id-bad', kind: 'flags', attack: 'policy check --account-id 12', files: { 'p.json': corpus('policy/valid.json') },
    argv: ['policy', 'check', 'p.json', '--account-id', '12'],
    exit: 2, stderr: 'aigis: error: --account-id: "12" is not a 12-digit AWS account id', stderrLines: 1,
  },
  {
    id: 'flag-policy-format-empty', kind: 'flags', attack: 'policy check --format ""', files: { 'p.json': corpus('policy/valid.json') },
    argv: ['policy', 'check', 'p.json', '--format', ''],
    exit: 2, stderr: EMPTY_LIST('--format'), stderrLines: 1,
  },
  {
    id: 'flag-collect-since-bogus', kind: 'flags', attack: 'collect --since forever (before any AWS call)', files: {},
    argv: ['collect', '--since', 'forever'],
    exit: 2, stderr: 'aigis: error: --since: expected a number of days such as 90 or 90d, got "forever"', stderrLines: 1,
  },
  {
    id: 'flag-collect-concurrency-zero', kind: 'flags', attack: 'collect --concurrency 0', files: {},
    argv: ['collect', '--concurrency', '0'],
    exit: 2, stderr: 'aigis: error: --concurrency: expected a positive integer, got 0', stderrLines: 1,
  },
  {
    id: 'flag-input-missing', kind: 'flags', attack: '--input naming no file', files: {}, argv: ['scan', '--input', 'nope.json'],
    exit: 2, stderr: { prefix: 'aigis: error: nope.json: cannot read input (ENOENT)' }, stderrLines: 1,
  },
];

export const CASES: readonly HostileCase[] = [
  ...snapshotCases,
  ...cfnYamlCases,
  ...cfnJsonCases,
  ...tfCases,
  ...policyCases,
  ...configCases,
  ...baselineCases,
  ...flagCases,
];
