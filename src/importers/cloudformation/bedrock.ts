/**
 * Bedrock in CloudFormation: AWS::Bedrock::Guardrail (its content, sensitive information, topic,
 * word and contextual grounding policies), AWS::Bedrock::GuardrailVersion (named only: the
 * version number is assigned at deploy time) and AWS::Bedrock::Agent.
 */
import { compact } from '../iac/draft.js';
import { Unresolved } from '../iac/cfn-intrinsics.js';
import { UNKNOWN, known, type PropertyReader } from '../iac/props.js';
import { syntheticAlnumId } from '../iac/synth.js';
import type { MapperTable } from './context.js';
import { nullable, setNotes } from './helpers.js';

export const bedrockMappers: MapperTable = {
  'AWS::Bedrock::Guardrail': {
    nameLimit: { max: 50 },
    identity(_resource, { partition: p, region: r, accountId: a, seed, named }) {
      const { name, unresolved } = named('Name');
      const id = syntheticAlnumId(seed, 12).toLowerCase();
      const arn = `arn:${p}:bedrock:${r}:${a}:guardrail/${id}`;
      return { name, arn, ref: arn, nameUnresolved: unresolved, attributes: { GuardrailArn: arn, GuardrailId: id, Version: 'DRAFT' } };
    },
    map(_resource, { draft, read, identity, base, notes, defer }) {
      const guardrail = compact({
        ...base(),
        id: String(identity.attributes.GuardrailId),
        name: identity.name,
        version: 'DRAFT',
        kmsKeyArn: nullable(read.str('KmsKeyArn')),
        contentPolicy: objectList(read, 'ContentPolicyConfig', 'FiltersConfig', (i, p) => ({
          type: known(read.str(`${p}[${i}].Type`)) ?? '',
          inputStrength: (known(read.str(`${p}[${i}].InputStrength`)) ?? 'NONE') as 'NONE',
          outputStrength: (known(read.str(`${p}[${i}].OutputStrength`)) ?? 'NONE') as 'NONE',
        }), (filters) => ({ filters })),
        sensitiveInformationPolicy: sensitiveInformation(read),
        topicPolicy: objectList(read, 'TopicPolicyConfig', 'TopicsConfig', (i, p) => ({
          name: known(read.str(`${p}[${i}].Name`)) ?? '',
          type: known(read.str(`${p}[${i}].Type`)) ?? 'DENY',
        }), (topics) => ({ topics })),
        wordPolicy: wordPolicy(read),
        contextualGroundingPolicy: objectList(read, 'ContextualGroundingPolicyConfig', 'FiltersConfig', (i, p) => ({
          type: known(read.str(`${p}[${i}].Type`)) ?? '',
          threshold: known(read.num(`${p}[${i}].Threshold`)) ?? 0,
        }), (filters) => ({ filters })),
      });
      draft.guardrails.push(guardrail);
      defer(() => setNotes(guardrail, notes()));
    },
  },
  'AWS::Bedrock::GuardrailVersion': {
    identity({ logicalId }) {
      return { name: logicalId, ref: new Unresolved('guardrail version number is assigned at deploy time'), attributes: {} };
    },
  },
  'AWS::Bedrock::Agent': {
    nameLimit: { max: 100 },
    identity(_resource, { partition: p, region: r, accountId: a, seed, named }) {
      const { name, unresolved } = named('AgentName');
      const id = syntheticAlnumId(seed, 10);
      const arn = `arn:${p}:bedrock:${r}:${a}:agent/${id}`;
      return { name, arn, ref: id, nameUnresolved: unresolved, attributes: { AgentArn: arn, AgentId: id } };
    },
    map(_resource, { draft, read, identity, base, notes, defer }) {
      const guardrailConfig = read.value('GuardrailConfiguration');
      const identifier = known(read.str('GuardrailConfiguration.GuardrailIdentifier'));
      const agent = compact({
        ...base(),
        id: String(identity.attributes.AgentId),
        name: identity.name,
        roleArn: known(read.str('AgentResourceRoleArn')),
        foundationModel: known(read.str('FoundationModel')),
        kmsKeyArn: nullable(read.str('CustomerEncryptionKeyArn')),
        guardrail:
          guardrailConfig === undefined
            ? null
            : guardrailConfig === UNKNOWN || identifier === undefined
              ? undefined
              : compact({ id: identifier, version: known(read.str('GuardrailConfiguration.GuardrailVersion')) }),
      });
      draft.agents.push(agent);
      defer(() => setNotes(agent, notes()));
    },
  },
};

function objectList<T, R>(
  read: PropertyReader,
  property: string,
  listName: string,
  item: (index: number, path: string) => T,
  wrap: (items: T[]) => R,
): R | null | undefined {
  const declared = read.value(property);
  if (declared === UNKNOWN) return undefined;
  if (declared === undefined) return null;
  const path = `${property}.${listName}`;
  const list = read.list(path);
  if (list === UNKNOWN) return undefined;
  return wrap((list ?? []).map((_, i) => item(i, path)));
}

function sensitiveInformation(read: PropertyReader) {
  const declared = read.value('SensitiveInformationPolicyConfig');
  if (declared === UNKNOWN) return undefined;
  if (declared === undefined) return null;
  const pii = known(read.list('SensitiveInformationPolicyConfig.PiiEntitiesConfig')) ?? [];
  const regexes = known(read.list('SensitiveInformationPolicyConfig.RegexesConfig')) ?? [];
  const p = 'SensitiveInformationPolicyConfig';
  return {
    piiEntities: pii.map((_, i) => ({
      type: known(read.str(`${p}.PiiEntitiesConfig[${i}].Type`)) ?? '',
      action: known(read.str(`${p}.PiiEntitiesConfig[${i}].Action`)) ?? '',
    })),
    regexes: regexes.map((_, i) => ({
      name: known(read.str(`${p}.RegexesConfig[${i}].Name`)) ?? '',
      pattern: known(read.str(`${p}.RegexesConfig[${i}].Pattern`)) ?? '',
      action: known(read.str(`${p}.RegexesConfig[${i}].Action`)) ?? '',
    })),
  };
}

function wordPolicy(read: PropertyReader) {
  const declared = read.value('WordPolicyConfig');
  if (declared === UNKNOWN) return undefined;
  if (declared === undefined) return null;
  const words = known(read.list('WordPolicyConfig.WordsConfig')) ?? [];
  const managed = known(read.list('WordPolicyConfig.ManagedWordListsConfig')) ?? [];
  return {
    words: words.map((_, i) => known(read.str(`WordPolicyConfig.WordsConfig[${i}].Text`)) ?? ''),
    managedWordLists: managed.map((_, i) => known(read.str(`WordPolicyConfig.ManagedWordListsConfig[${i}].Type`)) ?? ''),
  };
}
