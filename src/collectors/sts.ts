/** STS: who are we scanning? Without an answer there is no account to report on. */
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { UsageError } from '../engine/errors.js';
import type { CollectRuntime } from './runtime.js';
import { partitionOfArn } from './shapes.js';

export interface CallerIdentity {
  accountId: string;
  partition: 'aws' | 'aws-cn' | 'aws-us-gov';
  arn: string;
}

export async function identify(rt: CollectRuntime, region: string): Promise<CallerIdentity> {
  const outcome = await rt.call('sts', region, 'GetCallerIdentity', (c) => c.send(new GetCallerIdentityCommand({})), { silent: true });
  if (outcome.status !== 'ok' || !outcome.value.Account || !outcome.value.Arn) {
    const code = outcome.status === 'ok' ? 'IncompleteResponse' : outcome.code;
    throw new UsageError(
      `cannot identify the AWS account (sts:GetCallerIdentity failed: ${code}). Check your credentials (AWS_PROFILE, --profile, --role-arn) and region.`,
    );
  }
  return { accountId: outcome.value.Account, partition: partitionOfArn(outcome.value.Arn), arn: outcome.value.Arn };
}
