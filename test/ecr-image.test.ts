/**
 * Which container images are this account's to scan (inspector-ai-image-scanning): the registry host
 * of a private ECR image, read in bounded time from hostile image URIs.
 */
import { describe, expect, it } from 'vitest';
import { ecrImageLocation } from '../rules/inspector-ai-image-scanning.js';

describe('ecrImageLocation', () => {
  it('reads the account and Region of private ECR images (FIPS, China, digests)', () => {
    expect(ecrImageLocation('111122223333.dkr.ecr.us-east-1.amazonaws.com/train:1')).toEqual({ accountId: '111122223333', region: 'us-east-1' });
    expect(ecrImageLocation('111122223333.dkr.ecr-fips.us-gov-west-1.amazonaws.com/x@sha256:abc')).toEqual({ accountId: '111122223333', region: 'us-gov-west-1' });
    expect(ecrImageLocation('111122223333.dkr.ecr.cn-north-1.amazonaws.com.cn/x:1')).toEqual({ accountId: '111122223333', region: 'cn-north-1' });
    expect(ecrImageLocation('111122223333.DKR.ECR.eu-west-1.AMAZONAWS.COM/x')).toEqual({ accountId: '111122223333', region: 'eu-west-1' });
  });

  it('gives nothing for other registries and lookalike hosts', () => {
    for (const image of [
      'public.ecr.aws/lambda/python:3.12',
      'docker.io/library/python:3.12',
      'python:3.12',
      '111122223333.dkr.ecr.us-east-1.amazonaws.com.evil.example/x:1',
      'evil.example/111122223333.dkr.ecr.us-east-1.amazonaws.com/x',
      '1111222233334.dkr.ecr.us-east-1.amazonaws.com/x',
      '',
    ]) {
      expect(ecrImageLocation(image), image).toBeUndefined();
    }
  });

  it('answers hostile lengths in bounded time', () => {
    const started = performance.now();
    for (const image of ['1'.repeat(2_000_000), `111122223333.dkr.ecr.${'a-'.repeat(1_000_000)}.amazonaws.com/x`, `${'.'.repeat(1_000_000)}/x`]) {
      expect(ecrImageLocation(image)).toBeUndefined();
    }
    expect(performance.now() - started).toBeLessThan(500);
  });
});
